/**
 * What the event-source and rule conformance tests run on: moto on a free port, the real Lambda
 * runtime (with a way to make the Invoke API throttle), the local Step Functions endpoint, and
 * small stacks deployed through the local deploy from templates written here. Functions are tiny
 * ESM handlers that append what they receive to a JSON-lines file the test reads.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type Deployment, deploy } from '../../../local/deploy.ts';
import { startMoto } from '../../../local/moto.ts';
import type { EventSourceContext } from '../../../local/runtime/event-sources.ts';
import { type InvokeResult, LambdaRuntime } from '../../../local/runtime/lambda-runtime.ts';
import { StepFunctions } from '../../../local/runtime/step-functions.ts';
import { freePort } from '../../../local/support.ts';
import { LOCAL_CREDENTIALS, REGION } from '../../../local/template.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The real runtime, whose Invoke API can be made to throttle a function as Lambda would. */
export class ThrottlingRuntime extends LambdaRuntime {
  private readonly throttled = new Map<string, number>();
  /** Invoke calls per function name or ARN as called, throttled ones included. */
  readonly calls = new Map<string, number>();

  /** Throttles the next `times` calls to the function (Infinity: every call). */
  throttle(nameOrArn: string, times: number): void {
    const fn = this.find(nameOrArn);
    if (!fn) throw new Error(`no function ${nameOrArn}`);
    this.throttled.set(fn.name, times);
  }

  callsTo(name: string): number {
    const fn = this.find(name);
    return fn ? (this.calls.get(fn.name) ?? 0) : 0;
  }

  override invoke(nameOrArn: string, event: unknown): Promise<InvokeResult> {
    const fn = this.find(nameOrArn);
    if (fn) {
      this.calls.set(fn.name, (this.calls.get(fn.name) ?? 0) + 1);
      const left = this.throttled.get(fn.name) ?? 0;
      if (left > 0) {
        this.throttled.set(fn.name, left - 1);
        return Promise.resolve({
          ok: false,
          kind: 'service',
          error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
        });
      }
    }
    return super.invoke(nameOrArn, event);
  }
}

export interface Recorded {
  at: number;
  end?: number;
  event: { Records?: { messageId: string; body: string; attributes: Record<string, string> }[] } & Record<
    string,
    unknown
  >;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: unknown }>;

export class EventsHarness {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly sfn: SFNClient;
  readonly logs: string[] = [];
  private deployments = 0;

  private constructor(
    readonly dir: string,
    readonly motoUrl: string,
    private readonly stopMoto: () => Promise<void>,
    readonly runtime: ThrottlingRuntime,
    readonly stepFunctions: StepFunctions,
  ) {
    const client = { endpoint: motoUrl, region: REGION, credentials: LOCAL_CREDENTIALS };
    this.sqs = new SQSClient(client);
    this.events = new EventBridgeClient(client);
    this.sfn = new SFNClient({ endpoint: stepFunctions.url, region: REGION, credentials: LOCAL_CREDENTIALS });
  }

  static async start(): Promise<EventsHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'events-conformance-'));
    const log = () => {};
    const moto = await startMoto({ rootDir: ROOT, port: await freePort(), log });
    const runtime = new ThrottlingRuntime(join(dir, 'logs'), undefined);
    const stepFunctions = new StepFunctions({
      port: await freePort(),
      runtime,
      awsEndpoint: moto.url,
      region: REGION,
      sqs: new SQSClient({ endpoint: moto.url, region: REGION, credentials: LOCAL_CREDENTIALS }),
      log,
    });
    await stepFunctions.start();
    return new EventsHarness(dir, moto.url, moto.stop, runtime, stepFunctions);
  }

  async stop(): Promise<void> {
    await this.stepFunctions.stop();
    await this.runtime.stop();
    await this.stopMoto();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The context pollers and the rule delivery run with, polling fast. */
  context(deployment: Deployment): EventSourceContext {
    return {
      runtime: this.runtime,
      sqs: this.sqs,
      queueUrlOf: (arn: string) => deployment.queues.get(arn),
      log: (line: string) => this.logs.push(line),
      region: REGION,
      pollIntervalMs: 50,
    };
  }

  /**
   * A function resource whose handler is `body` (an async function body with `event` in scope
   * and `record(extra)` to append to its record file); returns the resource and its record file.
   */
  fn(name: string, body: string, timeoutSeconds = 1): { resource: Resources[string]; records: string } {
    const codeDir = join(this.dir, 'code', name);
    mkdirSync(codeDir, { recursive: true });
    const records = join(this.dir, 'records', `${name}.jsonl`);
    mkdirSync(join(this.dir, 'records'), { recursive: true });
    writeFileSync(
      join(codeDir, 'index.mjs'),
      `import { appendFileSync } from 'node:fs';
const record = (extra = {}) =>
  appendFileSync(process.env.RECORD_FILE, JSON.stringify({ at: Date.now(), ...extra }) + '\\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event) => {
${body}
};
`,
    );
    return {
      records,
      resource: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: name,
          Handler: 'index.handler',
          Timeout: timeoutSeconds,
          Environment: { Variables: { RECORD_FILE: records } },
        },
        Metadata: { 'aws:asset:path': `../../code/${name}` },
      },
    };
  }

  /** Deploys one stack through the local deploy and registers its functions with the runtime. */
  async deploy(resources: Resources): Promise<Deployment> {
    const stackName = `events-${++this.deployments}`;
    const cdkOut = join(this.dir, 'assemblies', stackName);
    mkdirSync(cdkOut, { recursive: true });
    writeFileSync(join(cdkOut, `${stackName}.template.json`), JSON.stringify({ Resources: resources }));
    writeFileSync(
      join(cdkOut, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          [stackName]: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: `${stackName}.template.json`, stackName },
          },
        },
      }),
    );
    const deployment = await deploy({
      cdkOut,
      awsEndpoint: this.motoUrl,
      sqs: this.sqs,
      log: (line) => this.logs.push(line),
    });
    for (const fn of deployment.functions) this.runtime.register(fn);
    for (const machine of deployment.stateMachines) this.stepFunctions.register(machine);
    return deployment;
  }

  queueUrl(deployment: Deployment, name: string): string {
    const url = [...deployment.queues.values()].find((u) => u.endsWith(`/${name}`));
    if (!url) throw new Error(`no queue ${name}`);
    return url;
  }

  async send(queueUrl: string, bodies: string[]): Promise<void> {
    for (let i = 0; i < bodies.length; i += 10) {
      await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
    }
  }

  async putEvent(bus: string, source: string, detailType: string, detail: unknown): Promise<string> {
    const put = await this.events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
        ],
      }),
    );
    const id = put.Entries?.[0]?.EventId;
    if (!id) throw new Error(`PutEvents failed: ${JSON.stringify(put.Entries)}`);
    return id;
  }

  /** Messages visible plus in flight: what is still on the queue. */
  async depth(queueUrl: string): Promise<number> {
    const attributes = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /** Receives from a queue until `count` messages arrived or the time is up. */
  async receive(queueUrl: string, count: number, timeoutMs = 10_000): Promise<Message[]> {
    const got: Message[] = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < count && Date.now() < deadline) {
      const received = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      got.push(...(received.Messages ?? []));
      if (got.length < count) await sleep(50);
    }
    return got;
  }

  /** What a function recorded so far. */
  records(file: string): Recorded[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Recorded);
  }

  /** Waits until a function's recorded invocations carried at least `count` SQS records. */
  async recordedMessages(file: string, count: number, timeoutMs = 10_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const records = this.records(file);
      if (records.flatMap((r) => r.event.Records ?? []).length >= count) return records;
      await sleep(50);
    }
    return this.records(file);
  }

  /** Waits until a function recorded at least `count` entries. */
  async recorded(file: string, count: number, timeoutMs = 10_000): Promise<Recorded[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const records = this.records(file);
      if (records.length >= count) return records;
      await sleep(50);
    }
    return this.records(file);
  }
}

/** The most intervals [at, end] that overlap at one moment. */
export function maxOverlap(records: Recorded[]): number {
  let best = 0;
  for (const r of records) {
    const at = r.at;
    const open = records.filter((o) => o.at <= at && (o.end ?? o.at) > at).length;
    best = Math.max(best, open);
  }
  return best;
}

export function queueResource(name: string, properties: Record<string, unknown> = {}): Resources[string] {
  return { Type: 'AWS::SQS::Queue', Properties: { QueueName: name, VisibilityTimeout: 1, ...properties } };
}

export function mappingResource(
  fnLogicalId: string,
  queueLogicalId: string,
  properties: Record<string, unknown> = {},
): Resources[string] {
  return {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      FunctionName: { Ref: fnLogicalId },
      EventSourceArn: { 'Fn::GetAtt': [queueLogicalId, 'Arn'] },
      ...properties,
    },
  };
}
