/**
 * Plays Lambda's event source mappings: DynamoDB Streams and SQS pollers with batch size, filter
 * criteria, partial batch failures, retries with bisection and on-failure destinations.
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
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sleep } from '../support.ts';
import { LOCAL_CREDENTIALS } from '../template.ts';
import { matchesAnyPattern } from './event-filter.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';

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
}

export interface MappingStats {
  /** What the poller is doing now, for /health when a mapping looks stuck. */
  phase?: string;
  batches: number;
  records: number;
  failures: number;
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

export class QueuePoller extends Poller {
  protected async run(): Promise<void> {
    const queueUrl = this.ctx.queueUrlOf(this.mapping.eventSourceArn);
    if (!queueUrl) throw new Error(`event source ${this.mapping.eventSourceArn} is not a known queue`);
    while (!this.stopped) {
      const received = await this.ctx.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, this.mapping.batchSize),
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        await sleep(this.ctx.pollIntervalMs);
        continue;
      }
      this.stats.batches++;
      this.stats.records += messages.length;
      const records = messages.map((m) => this.toRecord(m));
      const invoked = await this.ctx.runtime.invoke(this.mapping.functionArn, { Records: records });
      let done = messages;
      if (!invoked.ok) {
        this.stats.failures++;
        this.stats.lastError = `${invoked.error.errorType}: ${invoked.error.errorMessage}`;
        // Left on the queue: they return after the visibility timeout and redrive to the DLQ.
        done = [];
      } else if (this.mapping.reportBatchItemFailures) {
        const failed = new Set(
          (
            (invoked.result as { batchItemFailures?: { itemIdentifier?: string }[] } | null)
              ?.batchItemFailures ?? []
          ).map((f) => f.itemIdentifier),
        );
        if (failed.size > 0) this.stats.failures++;
        done = messages.filter((m) => !failed.has(m.MessageId));
      }
      if (done.length > 0) {
        await this.ctx.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
      }
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
