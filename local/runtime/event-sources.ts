/**
 * Plays Lambda's event source mappings: DynamoDB Streams and SQS pollers with batch size, filter
 * criteria, partial batch failures, retries with bisection and on-failure destinations; for SQS
 * also batching windows, concurrent batches (ScalingConfig) and throttling retries.
 */
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sleep } from '../support.ts';
import { LOCAL_CREDENTIALS } from '../template.ts';
import { matchesAnyPattern, matchesSqsRecord, sqsFilterProblem } from './event-filter.ts';
import type { InvokeResult, LambdaRuntime } from './lambda-runtime.ts';

export interface MappingDefinition {
  logicalId: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  filters: unknown[];
  reportBatchItemFailures: boolean;
  /** -1 = until the record expires (treated as unbounded here). */
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  onFailureArn?: string;
  /** SQS: how long to keep gathering records once the first arrived (0: invoke with one receive). */
  maximumBatchingWindowSeconds: number;
  /** SQS: ScalingConfig.MaximumConcurrency, the most batches in flight at once. */
  maximumConcurrency?: number;
}

export interface MappingStats {
  /** What the poller is doing now, for /health when a mapping looks stuck. */
  phase?: string;
  batches: number;
  records: number;
  failures: number;
  /** SQS: messages the filter criteria rejected (deleted without an invocation). */
  filtered?: number;
  lastError?: string;
}

interface Context {
  runtime: LambdaRuntime;
  sqs: SQSClient;
  queueUrlOf: (arn: string) => string | undefined;
  log: (line: string) => void;
  region: string;
  pollIntervalMs: number;
}

abstract class Poller {
  protected stopped = false;
  readonly stats: MappingStats = { batches: 0, records: 0, failures: 0 };
  private loop?: Promise<void>;
  constructor(
    readonly mapping: MappingDefinition,
    protected readonly ctx: Context,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      this.stats.lastError = String(error);
      this.ctx.log(
        `${this.mapping.logicalId}: poller stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  protected abstract run(): Promise<void>;
}

/** Sends a failed batch's description to the mapping's on-failure queue, as Lambda does. */
async function sendToOnFailure(ctx: Context, mapping: MappingDefinition, payload: unknown): Promise<void> {
  if (!mapping.onFailureArn) return;
  const queueUrl = ctx.queueUrlOf(mapping.onFailureArn);
  if (!queueUrl) {
    ctx.log(`${mapping.logicalId}: on-failure destination ${mapping.onFailureArn} is not a known queue`);
    return;
  }
  await ctx.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(payload) }));
}

export class StreamPoller extends Poller {
  private readonly streams: DynamoDBStreamsClient;

  constructor(mapping: MappingDefinition, ctx: Context, endpoint: string) {
    super(mapping, ctx);
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: ctx.region,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  protected async run(): Promise<void> {
    const described = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: this.mapping.eventSourceArn }),
    );
    const shards = described.StreamDescription?.Shards ?? [];
    await Promise.all(shards.map((shard) => this.pollShard(shard.ShardId as string)));
  }

  private async pollShard(shardId: string): Promise<void> {
    let lastSequence: string | undefined;
    // The tables are created by the local cloud just before the pollers: read from the start.
    // After an error, resume right after the last record read, so nothing is skipped or repeated.
    const iteratorFrom = async () =>
      (
        await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.mapping.eventSourceArn,
            ShardId: shardId,
            ...(lastSequence
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastSequence }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
    let iterator = await iteratorFrom();
    const backlog: Record<string, unknown>[] = [];
    while (!this.stopped && iterator) {
      if (backlog.length < this.mapping.batchSize) {
        this.stats.phase = 'GetRecords';
        try {
          const page = await this.streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
          );
          iterator = page.NextShardIterator;
          for (const record of page.Records ?? []) {
            lastSequence = record.dynamodb?.SequenceNumber ?? lastSequence;
            const event = this.toEvent(record);
            // Filtered-out records are dropped, never delivered, as with Lambda's filter criteria.
            if (matchesAnyPattern(this.mapping.filters, event)) backlog.push(event);
          }
        } catch (error) {
          this.stats.lastError = `GetRecords: ${error instanceof Error ? error.message : String(error)}`;
          await sleep(500);
          iterator = await iteratorFrom();
          continue;
        }
      }
      if (backlog.length === 0) {
        this.stats.phase = 'idle';
        await sleep(this.ctx.pollIntervalMs);
        continue;
      }
      const batch = backlog.splice(0, this.mapping.batchSize);
      this.stats.phase = 'invoke';
      await this.deliver(batch);
    }
  }

  /** Delivers one batch with retries; returns when it succeeded or went to the on-failure destination. */
  private async deliver(initial: Record<string, unknown>[]): Promise<void> {
    const queue: Record<string, unknown>[][] = [initial];
    while (queue.length > 0 && !this.stopped) {
      let batch = queue.shift() as Record<string, unknown>[];
      let attempts = 0;
      while (batch.length > 0) {
        this.stats.batches++;
        this.stats.records += batch.length;
        const invoked = await this.ctx.runtime.invoke(this.mapping.functionArn, { Records: batch });
        let failedFrom = -1;
        if (!invoked.ok) {
          this.stats.lastError = `${invoked.error.errorType}: ${invoked.error.errorMessage}`;
          failedFrom = 0;
        } else if (this.mapping.reportBatchItemFailures) {
          const failures =
            (invoked.result as { batchItemFailures?: { itemIdentifier?: string }[] } | null)
              ?.batchItemFailures ?? [];
          if (failures.length > 0) {
            const ids = new Set(failures.map((f) => f.itemIdentifier));
            // Lambda checkpoints before the lowest failed sequence number and retries from there.
            failedFrom = batch.findIndex((r) =>
              ids.has((r.dynamodb as { SequenceNumber: string }).SequenceNumber),
            );
            if (failedFrom < 0) failedFrom = 0;
          }
        }
        if (failedFrom < 0) break;
        batch = batch.slice(failedFrom);
        attempts++;
        this.stats.failures++;
        const limit =
          this.mapping.maximumRetryAttempts < 0
            ? Number.POSITIVE_INFINITY
            : this.mapping.maximumRetryAttempts;
        if (attempts > limit) {
          await this.exhausted(batch);
          break;
        }
        if (!invoked.ok && this.mapping.bisectBatchOnFunctionError && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, half), batch.slice(half));
          break;
        }
        await sleep(Math.min(2000, 100 * 2 ** attempts));
      }
    }
  }

  private async exhausted(batch: Record<string, unknown>[]): Promise<void> {
    const first = batch[0]?.dynamodb as
      | { SequenceNumber: string; ApproximateCreationDateTime: number }
      | undefined;
    const last = batch[batch.length - 1]?.dynamodb as
      | { SequenceNumber: string; ApproximateCreationDateTime: number }
      | undefined;
    this.ctx.log(
      `${this.mapping.logicalId}: ${batch.length} record(s) exhausted their retries; sent to the on-failure destination`,
    );
    await sendToOnFailure(this.ctx, this.mapping, {
      requestContext: { condition: 'RetryAttemptsExhausted', functionArn: this.mapping.functionArn },
      responseContext: { statusCode: 200 },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        streamArn: this.mapping.eventSourceArn,
        batchSize: batch.length,
        startSequenceNumber: first?.SequenceNumber,
        endSequenceNumber: last?.SequenceNumber,
        approximateArrivalOfFirstRecord: first
          ? new Date(first.ApproximateCreationDateTime * 1000).toISOString()
          : undefined,
        approximateArrivalOfLastRecord: last
          ? new Date(last.ApproximateCreationDateTime * 1000).toISOString()
          : undefined,
      },
    });
  }

  private toEvent(record: _Record): Record<string, unknown> {
    const ddb = record.dynamodb ?? {};
    const created = ddb.ApproximateCreationDateTime;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: record.awsRegion ?? this.ctx.region,
      dynamodb: {
        ...ddb,
        ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : created,
      },
      eventSourceARN: this.mapping.eventSourceArn,
    };
  }
}

/** Lambda starts with five concurrent batches and adds pollers while messages remain, up to 1,000. */
const SQS_INITIAL_CONCURRENCY = 5;
const SQS_MAX_CONCURRENCY = 1000;
/** Lambda adds up to 300 concurrent batches a minute. */
const SQS_SCALE_UP_EVERY_MS = 200;
/** The synchronous invocation payload limit a batch must fit in. */
const INVOKE_PAYLOAD_LIMIT = 6 * 1024 * 1024;

interface Received {
  message: Message;
  record: Record<string, unknown>;
  receivedAt: number;
  bytes: number;
}

/**
 * What CreateEventSourceMapping would refuse for an SQS mapping, in Lambda's words where Lambda
 * has them; undefined when the mapping is acceptable.
 */
export function queueMappingProblem(
  mapping: MappingDefinition,
  queue: { visibilityTimeoutSeconds: number },
  fn: { timeoutSeconds: number },
): string | undefined {
  if (queue.visibilityTimeoutSeconds < fn.timeoutSeconds) {
    return `InvalidParameterValueException: Queue visibility timeout: ${queue.visibilityTimeoutSeconds} seconds is less than Function timeout: ${fn.timeoutSeconds} seconds`;
  }
  if (mapping.batchSize > 10 && mapping.maximumBatchingWindowSeconds < 1) {
    return 'InvalidParameterValueException: Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
  }
  if (mapping.batchSize < 1 || mapping.batchSize > 10_000) return 'BatchSize must be between 1 and 10000';
  if (mapping.maximumBatchingWindowSeconds < 0 || mapping.maximumBatchingWindowSeconds > 300) {
    return 'MaximumBatchingWindowInSeconds must be between 0 and 300';
  }
  const concurrency = mapping.maximumConcurrency;
  if (concurrency !== undefined && (concurrency < 2 || concurrency > SQS_MAX_CONCURRENCY)) {
    return 'ScalingConfig.MaximumConcurrency must be between 2 and 1000';
  }
  for (const pattern of mapping.filters) {
    const problem = sqsFilterProblem(pattern);
    if (problem) return `FilterCriteria: ${problem}`;
  }
  return undefined;
}

/**
 * Reads a partial batch response: the message ids to keep on the queue, or 'all' when Lambda
 * treats the batch as a complete failure (an identifier that is empty, null, missing or names no
 * message of the batch, or a response that is not a batch response).
 */
export function failedMessageIds(result: unknown, messageIds: string[]): Set<string> | 'all' {
  if (result === null || result === undefined) return new Set();
  if (typeof result !== 'object' || Array.isArray(result)) return 'all';
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

function isThrottled(result: InvokeResult): boolean {
  return !result.ok && result.kind === 'service' && result.error.errorType === 'TooManyRequestsException';
}

export class QueuePoller extends Poller {
  /** A record that did not fit the previous batch's payload; it opens the next one. */
  private carry: Received[] = [];

  protected async run(): Promise<void> {
    const queueUrl = this.ctx.queueUrlOf(this.mapping.eventSourceArn);
    if (!queueUrl) throw new Error(`event source ${this.mapping.eventSourceArn} is not a known queue`);
    const visibilityMs = await this.visibilityTimeoutMs(queueUrl);
    const limit = Math.min(this.mapping.maximumConcurrency ?? SQS_MAX_CONCURRENCY, SQS_MAX_CONCURRENCY);
    const floor = Math.min(SQS_INITIAL_CONCURRENCY, limit);
    let slots = floor;
    let grewAt = 0;
    const inFlight = new Set<Promise<void>>();
    try {
      while (!this.stopped) {
        if (inFlight.size >= slots) {
          this.stats.phase = 'invoke';
          await Promise.race(inFlight);
          continue;
        }
        this.stats.phase = 'ReceiveMessage';
        const batch = await this.gather(queueUrl);
        // Stopping: whatever was received returns to the queue after its visibility timeout.
        if (this.stopped) break;
        if (batch.length === 0) {
          // An idle queue scales back to the initial pollers.
          slots = floor;
          this.stats.phase = 'idle';
          await sleep(this.ctx.pollIntervalMs);
          continue;
        }
        const saturated = batch.length >= this.mapping.batchSize && inFlight.size + 1 >= slots;
        if (saturated && slots < limit && Date.now() - grewAt >= SQS_SCALE_UP_EVERY_MS) {
          slots++;
          grewAt = Date.now();
        }
        const task: Promise<void> = this.process(queueUrl, batch, visibilityMs)
          .catch((error: unknown) => {
            this.stats.lastError = error instanceof Error ? error.message : String(error);
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  private async visibilityTimeoutMs(queueUrl: string): Promise<number> {
    const attributes = await this.ctx.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    return Number(attributes.Attributes?.VisibilityTimeout ?? 30) * 1000;
  }

  /**
   * One batch: up to BatchSize records, gathered across receives until the batching window since
   * the first record closes or the payload limit is reached. Records the filter criteria reject
   * are deleted here and never reach the function.
   */
  private async gather(queueUrl: string): Promise<Received[]> {
    const windowMs = this.mapping.maximumBatchingWindowSeconds * 1000;
    const batch = this.carry.splice(0);
    let bytes = batch.reduce((sum, r) => sum + r.bytes, 0);
    let openedAt = batch[0]?.receivedAt;
    while (!this.stopped && batch.length < this.mapping.batchSize) {
      const received = await this.ctx.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, this.mapping.batchSize - batch.length),
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      const now = Date.now();
      const rejected: Message[] = [];
      for (const message of messages) {
        const record = this.toRecord(message);
        if (!matchesSqsRecord(this.mapping.filters, record)) {
          rejected.push(message);
          continue;
        }
        const entry = { message, record, receivedAt: now, bytes: Buffer.byteLength(JSON.stringify(record)) };
        if (batch.length > 0 && bytes + entry.bytes > INVOKE_PAYLOAD_LIMIT) {
          this.carry.push(entry);
          continue;
        }
        batch.push(entry);
        bytes += entry.bytes;
        openedAt ??= now;
      }
      if (rejected.length > 0) {
        this.stats.filtered = (this.stats.filtered ?? 0) + rejected.length;
        await this.delete(queueUrl, rejected);
      }
      if (this.carry.length > 0) break;
      if (openedAt === undefined) {
        if (messages.length === 0) break;
        continue;
      }
      const remaining = openedAt + windowMs - Date.now();
      if (windowMs === 0 || remaining <= 0) break;
      if (messages.length === 0) await sleep(Math.min(this.ctx.pollIntervalMs, remaining));
    }
    return batch;
  }

  private async process(queueUrl: string, batch: Received[], visibilityMs: number): Promise<void> {
    this.stats.batches++;
    this.stats.records += batch.length;
    const event = { Records: batch.map((r) => r.record) };
    // A throttled batch is retried until its messages would become visible again; then it is
    // left to return to the queue, as Lambda does.
    const visibleAgainAt = Math.min(...batch.map((r) => r.receivedAt)) + visibilityMs;
    let invoked = await this.ctx.runtime.invoke(this.mapping.functionArn, event);
    for (let backoff = 100; isThrottled(invoked) && !this.stopped; backoff = Math.min(backoff * 2, 5000)) {
      if (Date.now() + backoff >= visibleAgainAt) break;
      await sleep(backoff);
      invoked = await this.ctx.runtime.invoke(this.mapping.functionArn, event);
    }
    if (!invoked.ok) {
      // Left on the queue: the messages return after the visibility timeout and, past the redrive
      // policy's maxReceiveCount, move to the queue's dead-letter queue.
      this.stats.failures++;
      this.stats.lastError = `${invoked.error.errorType}: ${invoked.error.errorMessage}`;
      return;
    }
    let done = batch;
    if (this.mapping.reportBatchItemFailures) {
      const failed = failedMessageIds(
        invoked.result,
        batch.map((r) => r.message.MessageId ?? ''),
      );
      if (failed === 'all') {
        this.stats.failures++;
        this.stats.lastError = `batch response names no message of the batch: ${JSON.stringify(invoked.result)}`;
        return;
      }
      if (failed.size > 0) this.stats.failures++;
      done = batch.filter((r) => !failed.has(r.message.MessageId ?? ''));
    }
    await this.delete(
      queueUrl,
      done.map((r) => r.message),
    );
  }

  private async delete(queueUrl: string, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await this.ctx.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    }
  }

  private toRecord(message: Message): Record<string, unknown> {
    const messageAttributes: Record<string, unknown> = {};
    for (const [name, attr] of Object.entries(message.MessageAttributes ?? {})) {
      messageAttributes[name] = {
        stringValue: attr.StringValue,
        binaryValue: attr.BinaryValue,
        dataType: attr.DataType,
        stringListValues: [],
        binaryListValues: [],
      };
    }
    return {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: message.Attributes ?? {},
      messageAttributes,
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.mapping.eventSourceArn,
      awsRegion: this.ctx.region,
    };
  }
}

export type { Context as EventSourceContext };
