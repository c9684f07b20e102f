/**
 * Plays EventBridge's delivery to rule targets. moto matches the events put on a bus against each
 * rule's pattern and copies the matches, whole, into a queue of the rule's own; from there every
 * target type (SQS queue, Lambda function, Step Functions state machine) is served the same way:
 * the target's input (Input, InputPath or InputTransformer), retries under its RetryPolicy and,
 * once they run out, its dead-letter queue. Scheduled rules feed the same delivery from a timer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DeleteMessageBatchCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, LOCAL_CREDENTIALS } from '../template.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';

export type TargetKind = 'sqs' | 'lambda' | 'states';

export interface RuleTarget {
  id: string;
  arn: string;
  kind: TargetKind;
  /** Constant JSON text sent instead of the event. */
  input?: string;
  /** JSONPath of the part of the event to send. */
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
  deadLetterArn?: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** SQS FIFO targets: SqsParameters.MessageGroupId. */
  messageGroupId?: string;
}

export interface RuleDefinition {
  name: string;
  arn: string;
  eventBusName: string;
  enabled: boolean;
  eventPattern?: unknown;
  scheduleExpression?: string;
  /** Pattern rules: the queue moto copies the matched events to (set by the deploy). */
  tapQueueUrl?: string;
  targets: RuleTarget[];
}

/** RetryPolicy defaults: 24 hours and 185 retries ("Event retry policy and using dead-letter queues"). */
const DEFAULT_RETRY_ATTEMPTS = 185;
const DEFAULT_EVENT_AGE_SECONDS = 86_400;

/** Target fields the local delivery honours; RoleArn is accepted because IAM is not enforced locally. */
const TARGET_FIELDS = new Set([
  'Id',
  'Arn',
  'RoleArn',
  'Input',
  'InputPath',
  'InputTransformer',
  'DeadLetterConfig',
  'RetryPolicy',
  'SqsParameters',
]);

const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.json',
  'aws.events.event.ingestion-time',
]);

const PLACEHOLDER = /<([^<>\s"]+)>/g;

/**
 * The rule a template's AWS::Events::Rule describes, with its targets checked: a target type or
 * field the local cloud does not deliver fails here, so nothing is dropped silently.
 */
export function ruleFromTemplate(
  name: string,
  properties: Record<string, unknown>,
  region: string,
): RuleDefinition {
  const bus = String(properties.EventBusName ?? 'default').replace(
    /^arn:[^:]*:events:[^:]*:[^:]*:event-bus\//,
    '',
  );
  const arn = `arn:aws:events:${region}:${ACCOUNT}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
  const targets = ((properties.Targets as Record<string, unknown>[] | undefined) ?? []).map((t) =>
    targetFromTemplate(name, t),
  );
  return {
    name,
    arn,
    eventBusName: bus,
    enabled: properties.State !== 'DISABLED',
    eventPattern: properties.EventPattern,
    scheduleExpression: properties.ScheduleExpression as string | undefined,
    targets,
  };
}

function targetFromTemplate(rule: string, t: Record<string, unknown>): RuleTarget {
  const id = String(t.Id);
  const arn = String(t.Arn);
  const fail = (why: string): never => {
    throw new Error(`rule ${rule}: target ${id} (${arn}): ${why}`);
  };
  const unsupported = Object.keys(t).filter((key) => !TARGET_FIELDS.has(key));
  if (unsupported.length > 0) fail(`${unsupported.join(', ')} is not emulated by the local cloud`);
  const kind = targetKind(arn);
  if (!kind) {
    fail(
      'this target type is not emulated by the local cloud (SQS queues, Lambda functions and Step Functions state machines are)',
    );
  }
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((key) => t[key] !== undefined);
  if (inputs.length > 1) fail('Only one of Input, InputPath, or InputTransformer must be provided');
  const target: RuleTarget = {
    id,
    arn,
    kind: kind as TargetKind,
    maximumRetryAttempts: DEFAULT_RETRY_ATTEMPTS,
    maximumEventAgeSeconds: DEFAULT_EVENT_AGE_SECONDS,
  };
  if (t.Input !== undefined) {
    target.input = String(t.Input);
    try {
      JSON.parse(target.input);
    } catch {
      fail('Input must be valid JSON text');
    }
  }
  if (t.InputPath !== undefined) {
    target.inputPath = String(t.InputPath);
    if (!parseJsonPath(target.inputPath)) fail(`InputPath ${target.inputPath} is not a supported JSONPath`);
  }
  if (t.InputTransformer !== undefined) {
    const transformer = t.InputTransformer as {
      InputPathsMap?: Record<string, string>;
      InputTemplate?: string;
    };
    if (typeof transformer.InputTemplate !== 'string') fail('InputTransformer needs an InputTemplate');
    const inputPathsMap = transformer.InputPathsMap ?? {};
    for (const [key, path] of Object.entries(inputPathsMap)) {
      if (PREDEFINED.has(key)) fail(`InputPathsMap cannot define the reserved variable ${key}`);
      if (!parseJsonPath(path)) fail(`InputPathsMap.${key}: ${path} is not a supported JSONPath`);
    }
    const template = transformer.InputTemplate as string;
    for (const match of template.matchAll(PLACEHOLDER)) {
      const name = match[1] ?? '';
      if (!Object.hasOwn(inputPathsMap, name) && !PREDEFINED.has(name)) {
        fail(`InputTemplate contains invalid placeholder ${name}`);
      }
    }
    target.inputTransformer = { inputPathsMap, inputTemplate: template };
  }
  const dlq = (t.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
  if (t.DeadLetterConfig !== undefined) {
    if (!dlq?.startsWith('arn:aws:sqs:')) fail('DeadLetterConfig.Arn must be an SQS queue');
    if (dlq?.endsWith('.fifo')) fail('a dead-letter queue must be a standard queue, not FIFO');
    target.deadLetterArn = dlq;
  }
  const retry = t.RetryPolicy as
    | { MaximumRetryAttempts?: unknown; MaximumEventAgeInSeconds?: unknown }
    | undefined;
  if (retry?.MaximumRetryAttempts !== undefined) {
    const n = Number(retry.MaximumRetryAttempts);
    if (!Number.isInteger(n) || n < 0 || n > 185) fail('RetryPolicy.MaximumRetryAttempts must be 0 to 185');
    target.maximumRetryAttempts = n;
  }
  if (retry?.MaximumEventAgeInSeconds !== undefined) {
    const n = Number(retry.MaximumEventAgeInSeconds);
    if (!Number.isInteger(n) || n < 60 || n > 86_400) {
      fail('RetryPolicy.MaximumEventAgeInSeconds must be 60 to 86400');
    }
    target.maximumEventAgeSeconds = n;
  }
  const sqsParameters = t.SqsParameters as Record<string, unknown> | undefined;
  if (sqsParameters !== undefined) {
    if (kind !== 'sqs') fail('SqsParameters apply to SQS targets only');
    const other = Object.keys(sqsParameters).filter((key) => key !== 'MessageGroupId');
    if (other.length > 0) fail(`SqsParameters.${other.join(', ')} is not emulated by the local cloud`);
    target.messageGroupId = sqsParameters.MessageGroupId as string | undefined;
  }
  if (kind === 'sqs' && arn.endsWith('.fifo') && !target.messageGroupId) {
    fail(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
  }
  return target;
}

function targetKind(arn: string): TargetKind | undefined {
  if (/^arn:aws:sqs:/.test(arn)) return 'sqs';
  if (/^arn:aws:lambda:[^:]*:[^:]*:function:/.test(arn)) return 'lambda';
  if (/^arn:aws:states:[^:]*:[^:]*:stateMachine:/.test(arn)) return 'states';
  return undefined;
}

/** The queue moto copies a rule's matched events to. */
export function tapQueueName(rule: RuleDefinition): string {
  return `local-rule-${createHash('sha1').update(rule.arn).digest('hex').slice(0, 16)}`;
}

/**
 * The one target the deploy gives a pattern rule in moto: its queue, receiving each matched
 * event whole (moto's `<aws.events.event.json>`, with its ingestion time), untransformed.
 */
export function tapTarget(queueArn: string): {
  Id: string;
  Arn: string;
  InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
} {
  return {
    Id: 'local-delivery',
    Arn: queueArn,
    InputTransformer: { InputPathsMap: {}, InputTemplate: '<aws.events.event.json>' },
  };
}

// ---- Target input ----

type Step = { key: string } | { index: number } | { wildcard: true };

/** The JSONPath subset EventBridge evaluates: dot notation, array indices and wildcards. */
export function parseJsonPath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotted = /^\.(\*|[A-Za-z0-9_\-/:@]+)/.exec(rest);
    const bracketed = /^\[(?:(\d+)|(\*)|'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (dotted) {
      const key = dotted[1] as string;
      steps.push(key === '*' ? { wildcard: true } : { key });
      rest = rest.slice(dotted[0].length);
    } else if (bracketed) {
      if (bracketed[1] !== undefined) steps.push({ index: Number(bracketed[1]) });
      else if (bracketed[2] !== undefined) steps.push({ wildcard: true });
      else steps.push({ key: (bracketed[3] ?? bracketed[4]) as string });
      rest = rest.slice(bracketed[0].length);
    } else {
      return undefined;
    }
  }
  return steps;
}

/** The value at a path; a path with a wildcard yields the list of everything it reaches. */
export function selectJsonPath(path: string, value: unknown): { found: boolean; value?: unknown } {
  const steps = parseJsonPath(path) ?? [];
  let current: unknown[] = [value];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      if ('wildcard' in step) next.push(...Object.values(node as Record<string, unknown>));
      else if ('index' in step) {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else if (!Array.isArray(node) && Object.hasOwn(node, step.key)) {
        next.push((node as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  if (steps.some((s) => 'wildcard' in s)) return { found: current.length > 0, value: current };
  return current.length > 0 ? { found: true, value: current[0] } : { found: false };
}

/**
 * Fills an InputTemplate ("Amazon EventBridge input transformation"): outside quotes a variable
 * becomes its JSON value (strings quoted); inside a quoted string it is inserted as text, not
 * escaped; a path the event lacks gives an empty string. JSON output is minified.
 */
export function renderInputTemplate(template: string, variables: Map<string, unknown>): string {
  const jsonShaped = /^\s*[[{"]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (inString && c === '\\') {
      out += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') {
      inString = !inString;
      out += c;
      continue;
    }
    if (c === '<') {
      const match = /^<([^<>\s"]+)>/.exec(template.slice(i));
      const name = match?.[1];
      if (match && name !== undefined && variables.has(name)) {
        const value = variables.get(name);
        const asText = inString || !jsonShaped;
        if (value === undefined) out += asText ? '' : '""';
        else if (asText) out += typeof value === 'string' ? value : JSON.stringify(value);
        else out += JSON.stringify(value);
        i += match[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  if (/^\s*[[{]/.test(template)) {
    try {
      return JSON.stringify(JSON.parse(out));
    } catch {
      return out;
    }
  }
  return out;
}

/** The text a target receives for an event. */
export function targetInput(
  rule: RuleDefinition,
  target: RuleTarget,
  event: Record<string, unknown>,
  ingestedAt: number,
): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) {
    const selected = selectJsonPath(target.inputPath, event);
    return JSON.stringify(selected.found ? selected.value : null);
  }
  if (target.inputTransformer) {
    const variables = new Map<string, unknown>();
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) {
      const selected = selectJsonPath(path, event);
      variables.set(name, selected.found ? selected.value : undefined);
    }
    const { detail: _detail, ...withoutDetail } = event;
    variables.set('aws.events.rule-arn', rule.arn);
    variables.set('aws.events.rule-name', rule.name);
    variables.set('aws.events.event', withoutDetail);
    variables.set('aws.events.event.json', event);
    variables.set('aws.events.event.ingestion-time', new Date(ingestedAt).toISOString());
    return renderInputTemplate(target.inputTransformer.inputTemplate, variables);
  }
  return JSON.stringify(event);
}

// ---- Delivery ----

export interface RuleDeliveryContext {
  runtime: LambdaRuntime;
  sqs: SQSClient;
  queueUrlOf: (arn: string) => string | undefined;
  /** The local Step Functions endpoint that StartExecution goes to. */
  stepFunctionsUrl: string;
  log: (line: string) => void;
  region: string;
  pollIntervalMs: number;
  /** The first retry's delay; each retry doubles it (with jitter), up to five minutes. */
  retryBaseDelayMs?: number;
}

export interface RuleStats {
  events: number;
  delivered: number;
  retries: number;
  deadLettered: number;
  dropped: number;
  lastError?: string;
}

/** Why one attempt failed; `retry: false` for errors retrying cannot fix (a missing target). */
interface Failure {
  code: 'NO_RESOURCE' | 'THROTTLING' | 'SDK_CLIENT_ERROR';
  message: string;
  retry: boolean;
}

const MAX_RETRY_DELAY_MS = 300_000;

export class RuleDelivery {
  readonly stats = new Map<string, RuleStats>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly wakers = new Set<() => void>();
  private readonly sfn: SFNClient;

  constructor(
    readonly rules: RuleDefinition[],
    private readonly ctx: RuleDeliveryContext,
  ) {
    // One attempt per call: the target's RetryPolicy decides what happens after a failure.
    this.sfn = new SFNClient({
      endpoint: ctx.stepFunctionsUrl,
      region: ctx.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    for (const rule of rules)
      this.stats.set(rule.name, { events: 0, delivered: 0, retries: 0, deadLettered: 0, dropped: 0 });
  }

  start(): void {
    for (const rule of this.rules.filter((r) => r.enabled)) {
      if (rule.tapQueueUrl) {
        const tap = rule.tapQueueUrl;
        this.loops.push(
          this.poll(rule, tap).catch((error: unknown) => {
            this.ruleStats(rule).lastError = `poller stopped: ${String(error)}`;
            this.ctx.log(`rule ${rule.name}: delivery stopped: ${String(error)}`);
          }),
        );
      } else if (rule.scheduleExpression) {
        const every = rateMs(rule.scheduleExpression);
        if (every === undefined) {
          this.ctx.log(
            `rule ${rule.name}: ${rule.scheduleExpression} is not run locally (rate() expressions only)`,
          );
          continue;
        }
        const timer = setInterval(
          () => this.track(this.deliver(rule, scheduledEvent(rule, this.ctx.region))),
          every,
        );
        timer.unref();
        this.timers.push(timer);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
    await Promise.allSettled([...this.pending]);
  }

  /**
   * Serves one event to every target of a rule; resolves once each target has its outcome
   * (delivered, in the dead-letter queue, or dropped). `ingestedAt` is when EventBridge received
   * the event, which MaximumEventAgeInSeconds counts from.
   */
  async deliver(
    rule: RuleDefinition,
    event: Record<string, unknown>,
    ingestedAt = Date.now(),
  ): Promise<void> {
    this.ruleStats(rule).events++;
    await Promise.all(rule.targets.map((target) => this.deliverTo(rule, target, event, ingestedAt)));
  }

  private ruleStats(rule: RuleDefinition): RuleStats {
    let stats = this.stats.get(rule.name);
    if (!stats) {
      stats = { events: 0, delivered: 0, retries: 0, deadLettered: 0, dropped: 0 };
      this.stats.set(rule.name, stats);
    }
    return stats;
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.ctx.log(`event delivery failed: ${String(error)}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async poll(rule: RuleDefinition, queueUrl: string): Promise<void> {
    while (!this.stopped) {
      const received = await this.ctx.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        await this.wait(this.ctx.pollIntervalMs);
        continue;
      }
      for (const message of messages) {
        let copy: Record<string, unknown>;
        try {
          copy = JSON.parse(message.Body ?? '') as Record<string, unknown>;
        } catch {
          this.ctx.log(`rule ${rule.name}: unreadable event copy ${message.Body}`);
          continue;
        }
        const { 'ingestion-time': ingestion, ...event } = copy;
        const ingestedAt = typeof ingestion === 'number' ? Math.round(ingestion * 1000) : Date.now();
        this.track(this.deliver(rule, event, ingestedAt));
      }
      // Retries are held here, in memory: the copy in the rule's queue is done with.
      await this.ctx.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    }
  }

  private async deliverTo(
    rule: RuleDefinition,
    target: RuleTarget,
    event: Record<string, unknown>,
    ingestedAt: number,
  ): Promise<void> {
    const stats = this.ruleStats(rule);
    const payload = targetInput(rule, target, event, ingestedAt);
    const base = this.ctx.retryBaseDelayMs ?? 1000;
    const tooOld = () => Date.now() - ingestedAt >= target.maximumEventAgeSeconds * 1000;
    for (let retries = 0; ; retries++) {
      const failure = await this.attempt(rule, target, payload);
      if (!failure) {
        stats.delivered++;
        return;
      }
      stats.lastError = `${target.id}: ${failure.code}: ${failure.message}`;
      let exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined;
      if (failure.retry) {
        if (retries >= target.maximumRetryAttempts) exhausted = 'MaximumRetryAttempts';
        else if (tooOld()) exhausted = 'MaximumEventAgeInSeconds';
        else {
          // Exponential backoff with jitter, never past the event's maximum age.
          const delay = Math.min(base * 2 ** retries, MAX_RETRY_DELAY_MS);
          const ageLeft = ingestedAt + target.maximumEventAgeSeconds * 1000 - Date.now();
          await this.wait(Math.min(delay / 2 + Math.random() * (delay / 2), Math.max(ageLeft, 0)));
          if (this.stopped) {
            stats.dropped++;
            return;
          }
          if (tooOld()) exhausted = 'MaximumEventAgeInSeconds';
          else {
            stats.retries++;
            continue;
          }
        }
      }
      await this.deadLetter(rule, target, event, failure, retries, exhausted);
      return;
    }
  }

  private async attempt(
    rule: RuleDefinition,
    target: RuleTarget,
    payload: string,
  ): Promise<Failure | undefined> {
    try {
      switch (target.kind) {
        case 'sqs': {
          const queueUrl = this.ctx.queueUrlOf(target.arn);
          if (!queueUrl) return { code: 'NO_RESOURCE', message: `no queue ${target.arn}`, retry: false };
          await this.ctx.sqs.send(
            new SendMessageCommand({
              QueueUrl: queueUrl,
              MessageBody: payload,
              MessageGroupId: target.messageGroupId,
            }),
          );
          return undefined;
        }
        case 'lambda': {
          // EventBridge invokes functions asynchronously: once Lambda accepts the event the
          // delivery is done, and a function error is Lambda's to handle, not a delivery failure.
          let event: unknown;
          try {
            event = JSON.parse(payload);
          } catch {
            return {
              code: 'SDK_CLIENT_ERROR',
              message: 'InvalidRequestContentException: Could not parse request body into json',
              retry: true,
            };
          }
          const result = await this.ctx.runtime.invoke(target.arn, event);
          if (result.ok || result.kind !== 'service') {
            if (!result.ok) {
              this.ctx.log(
                `rule ${rule.name}: ${target.arn} failed on the event: ${result.error.errorType}: ${result.error.errorMessage}`,
              );
            }
            return undefined;
          }
          const { errorType, errorMessage } = result.error;
          if (errorType === 'ResourceNotFoundException') {
            return { code: 'NO_RESOURCE', message: `${errorType}: ${errorMessage}`, retry: false };
          }
          if (errorType === 'TooManyRequestsException') {
            return { code: 'THROTTLING', message: `${errorType}: ${errorMessage}`, retry: true };
          }
          return { code: 'SDK_CLIENT_ERROR', message: `${errorType}: ${errorMessage}`, retry: true };
        }
        case 'states': {
          await this.sfn.send(new StartExecutionCommand({ stateMachineArn: target.arn, input: payload }));
          return undefined;
        }
      }
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      if (/DoesNotExist|NonExistentQueue|NotFound/.test(name))
        return { code: 'NO_RESOURCE', message, retry: false };
      if (/Throttl|TooManyRequests/.test(name)) return { code: 'THROTTLING', message, retry: true };
      return { code: 'SDK_CLIENT_ERROR', message, retry: true };
    }
  }

  /**
   * Sends the event to the target's dead-letter queue with the attributes EventBridge documents
   * (rule and target ARNs, error code and message, the exhausted retry condition, the retries).
   */
  private async deadLetter(
    rule: RuleDefinition,
    target: RuleTarget,
    event: Record<string, unknown>,
    failure: Failure,
    retries: number,
    exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined,
  ): Promise<void> {
    const stats = this.ruleStats(rule);
    const queueUrl = target.deadLetterArn ? this.ctx.queueUrlOf(target.deadLetterArn) : undefined;
    if (!queueUrl) {
      stats.dropped++;
      this.ctx.log(
        `rule ${rule.name}: event ${String(event.id)} to ${target.arn} dropped after ${retries} retries: ${failure.message}`,
      );
      return;
    }
    const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
    const attributes: Record<string, MessageAttributeValue> = {
      RULE_ARN: text(rule.arn),
      TARGET_ARN: text(target.arn),
      ERROR_CODE: text(failure.code),
      ERROR_MESSAGE: text(failure.message),
      RETRY_ATTEMPTS: text(String(retries)),
    };
    if (exhausted) attributes.EXHAUSTED_RETRY_CONDITION = text(exhausted);
    try {
      await this.ctx.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(event),
          MessageAttributes: attributes,
        }),
      );
      stats.deadLettered++;
    } catch (error) {
      stats.dropped++;
      this.ctx.log(
        `rule ${rule.name}: dead-letter queue ${target.deadLetterArn} refused the event: ${String(error)}`,
      );
    }
  }

  /** A sleep that stop() cuts short. */
  private wait(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

function scheduledEvent(rule: RuleDefinition, region: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule.arn],
    detail: {},
  };
}

function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  const unit =
    { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[(match[2] as string).replace(/s$/, '')] ?? 60_000;
  return Number(match[1]) * unit;
}
