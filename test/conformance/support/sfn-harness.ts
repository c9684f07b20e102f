/**
 * The local Step Functions endpoint on a free port, called through @aws-sdk/client-sfn, with a
 * real LambdaRuntime running tiny ESM handlers from a temporary directory and moto for the
 * EventBridge, SQS and DynamoDB integrations.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateQueueCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startMoto } from '../../../local/moto.ts';
import { LambdaRuntime } from '../../../local/runtime/lambda-runtime.ts';
import { StepFunctions } from '../../../local/runtime/step-functions.ts';
import { freePort } from '../../../local/support.ts';

export const ROOT_DIR = resolve(import.meta.dirname, '../../..');
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The functions the suites call, by name: each a one-file ESM handler. */
const HANDLERS: Record<string, { code: string; timeoutSeconds?: number }> = {
  ok: { code: 'export const handler = async (event) => ({ ok: true, event });' },
  thrower: {
    code: `
class PaymentDeclined extends Error { name = 'PaymentDeclined'; }
export const handler = async () => { throw new PaymentDeclined('card declined'); };`,
  },
  sleeper: {
    code: `export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, (event.seconds ?? 3) * 1000));
  return { slept: event.seconds ?? 3 };
};`,
    timeoutSeconds: 1,
  },
  patient: {
    code: `export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.seconds * 1000));
  return { slept: event.seconds };
};`,
    timeoutSeconds: 120,
  },
  big: { code: `export const handler = async (event) => 'x'.repeat(event.bytes);` },
  // Stands in for every step of the checkout saga: one answer with every field any step reads.
  saga: {
    code: `export const handler = async (event) => ({
  orderId: event.orderId, userId: 'alice', cartId: 'g-cart', total: 2599, currency: 'USD', token: 'tok_visa',
  lines: [{ sku: 'SKU-1', productId: 'p-1', quantity: 1, unitPrice: 2599 }],
  chargeId: 'ch_1', status: 'OK', confirmedAt: '2026-01-01T00:00:00.000Z',
  shipTo: { country: 'US', region: 'IL' },
  contact: { email: 'alice@example.com' },
});`,
  },
  // Answers its own callback over the SFN wire protocol, as a function holding the token would.
  rejecter: {
    code: `export const handler = async (event) => {
  const response = await fetch(process.env.SFN_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.SendTaskFailure' },
    body: JSON.stringify({ taskToken: event.token, error: 'Rejected', cause: 'manual review' }),
  });
  return { status: response.status };
};`,
  },
};

export interface SfnHarness {
  sfn: StepFunctions;
  client: SFNClient;
  runtime: LambdaRuntime;
  sqs: SQSClient;
  events: EventBridgeClient;
  dynamodb: DynamoDBClient;
  functionArn(name: string): string;
  /** Registers a state machine as the local cloud's deploy does; returns its ARN. */
  register(name: string, definition: Record<string, unknown>): string;
  start(stateMachineArn: string, input?: unknown, name?: string): Promise<string>;
  /** DescribeExecution until the execution has closed. */
  finished(executionArn: string, timeoutMs?: number): Promise<DescribeExecutionCommandOutput>;
  run(stateMachineArn: string, input?: unknown): Promise<DescribeExecutionCommandOutput>;
  queue(name: string): Promise<string>;
  /** Messages on a queue, waiting up to `waitMs` for the first. */
  receive(queueUrl: string, waitMs?: number): Promise<Message[]>;
  stop(): Promise<void>;
}

export async function startSfnHarness(): Promise<SfnHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-conformance-'));
  const [motoPort, sfnPort] = [await freePort(), await freePort()];
  const moto = await startMoto({ rootDir: ROOT_DIR, port: motoPort, log: () => {} });
  const aws = { endpoint: moto.url, region: REGION, credentials };
  const sqs = new SQSClient(aws);
  const runtime = new LambdaRuntime(join(dir, 'logs'), undefined);
  const sfnUrl = `http://127.0.0.1:${sfnPort}`;
  for (const [name, { code, timeoutSeconds }] of Object.entries(HANDLERS)) {
    const codeDir = join(dir, name);
    mkdirSync(codeDir, { recursive: true });
    writeFileSync(join(codeDir, 'index.mjs'), code);
    runtime.register({
      logicalId: name,
      name,
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
      codeDir,
      handler: 'index.handler',
      env: { SFN_URL: sfnUrl },
      timeoutSeconds: timeoutSeconds ?? 10,
      memoryMb: 128,
    });
  }
  const sfn = new StepFunctions({
    port: sfnPort,
    runtime,
    awsEndpoint: moto.url,
    region: REGION,
    sqs,
    log: () => {},
  });
  await sfn.start();
  // One attempt per call, on a fresh connection: no retry hides an answer, no idle socket races
  // the server's keep-alive timeout during the long waits.
  const client = new SFNClient({
    endpoint: sfnUrl,
    region: REGION,
    credentials,
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
  });

  const describe = (executionArn: string) => client.send(new DescribeExecutionCommand({ executionArn }));
  const harness: SfnHarness = {
    sfn,
    client,
    runtime,
    sqs,
    events: new EventBridgeClient(aws),
    dynamodb: new DynamoDBClient(aws),
    functionArn: (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    register(name, definition) {
      const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
      sfn.register({ arn, name, definition, type: 'STANDARD' });
      return arn;
    },
    async start(stateMachineArn, input = {}, name) {
      const started = await client.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
      );
      return started.executionArn ?? '';
    },
    async finished(executionArn, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const described = await describe(executionArn);
        if (described.status !== 'RUNNING' || Date.now() > deadline) return described;
        await sleep(100);
      }
    },
    async run(stateMachineArn, input = {}) {
      return harness.finished(await harness.start(stateMachineArn, input));
    },
    async queue(name) {
      return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
    },
    async receive(queueUrl, waitMs = 5000) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (Messages?.length || Date.now() > deadline) return Messages ?? [];
      }
    },
    async stop() {
      await sfn.stop();
      await runtime.stop();
      await moto.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The output of a closed execution, parsed. */
export function outputOf(described: DescribeExecutionCommandOutput): Record<string, unknown> {
  if (described.status !== 'SUCCEEDED')
    throw new Error(`execution ${described.status}: ${described.error}: ${described.cause}`);
  return JSON.parse(described.output ?? 'null') as Record<string, unknown>;
}
