/**
 * The reindex's adapters (domain/reindex.ts): the index's documents and bulk writes through the
 * alias, the products table read by a strongly consistent Scan, and the indexer's DLQ.
 */
import type * as SqsModule from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, ScanCommand } from '#shared/dynamodb.ts';
import { requireSdk } from '#shared/dynamodb-client.ts';
import { captureClient } from '#shared/tracer.ts';
import type {
  BulkOperation,
  BulkOutcome,
  FailureQueue,
  IndexedVersion,
  ProductItemSource,
  ReceivedMessage,
  ReindexIndexPort,
} from '../domain/reindex.ts';
import { path } from './opensearch-index.ts';
import type { Transport } from './opensearch-transport.ts';

/**
 * A bulk request of 500 small documents is well under a megabyte; a busy cluster may take seconds
 * to take it, and nobody waits on the answer but the run.
 */
const BULK_LIMITS = { requestTimeout: 30_000, maxRetries: 2 };

interface Hit {
  _id: string;
  _version?: number;
  sort?: unknown[];
}

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string };
}

export class OpenSearchReindexIndex implements ReindexIndexPort {
  constructor(
    private readonly transport: Transport,
    private readonly alias: string,
    private readonly pageSize = 1000,
  ) {}

  /**
   * Ids and versions by productId (a keyword), page after page with search_after: documents added
   * meanwhile may or may not show, which the reindex's order of steps allows.
   */
  async *versions(): AsyncIterable<IndexedVersion[]> {
    let after: unknown[] | undefined;
    for (;;) {
      const res = await this.transport.request(
        {
          method: 'POST',
          path: path(this.alias, '_search'),
          body: {
            size: this.pageSize,
            _source: false,
            version: true,
            track_total_hits: false,
            query: { match_all: {} },
            sort: [{ productId: 'asc' }],
            ...(after ? { search_after: after } : {}),
          },
        },
        { ...BULK_LIMITS, ignore: [404] },
      );
      // No index yet: nothing is indexed.
      if (res.statusCode === 404) return;
      const hits = ((res.body as { hits?: { hits?: Hit[] } }).hits?.hits ?? []) as Hit[];
      if (hits.length > 0) yield hits.map((h) => ({ productId: h._id, version: Number(h._version ?? 0) }));
      const last = hits.at(-1);
      if (hits.length < this.pageSize || !last?.sort) return;
      after = last.sort;
    }
  }

  async bulk(operations: BulkOperation[]): Promise<BulkOutcome[]> {
    if (operations.length === 0) return [];
    const lines = operations.flatMap((op) =>
      op.kind === 'upsert'
        ? [
            { index: { _id: op.doc.productId, version: op.version, version_type: 'external' } },
            op.doc as unknown as Record<string, unknown>,
          ]
        : [{ delete: { _id: op.productId, version: op.version, version_type: 'external' } }],
    );
    const res = await this.transport.request(
      { method: 'POST', path: path(this.alias, '_bulk'), bulkBody: lines },
      BULK_LIMITS,
    );
    const items = (res.body as { items?: Record<string, BulkItem>[] }).items ?? [];
    return operations.map((op, i) => {
      const item = items[i]?.[op.kind === 'upsert' ? 'index' : 'delete'];
      if (!item) return { error: 'no answer for this operation' };
      // 409: version_conflict_engine_exception, the index holds this version or a newer one.
      if (item.status === 409) return 'stale';
      if (op.kind === 'remove' && item.status === 404) return 'absent';
      if (item.status >= 200 && item.status < 300) return 'applied';
      return { error: `${item.status} ${item.error?.type ?? ''}: ${item.error?.reason ?? ''}`.trim() };
    });
  }
}

/** Product items only (the filter drops SKU claims), strongly consistent, 1 MB a page. */
export class DynamoDbProductItems implements ProductItemSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *pages(): AsyncIterable<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          // A product that exists for the whole scan is in it: what orphan detection relies on.
          ConsistentRead: true,
          FilterExpression: 'begins_with(pk, :product) AND sk = :sk',
          ExpressionAttributeValues: { ':product': 'PRODUCT#', ':sk': 'PRODUCT' },
          ExclusiveStartKey: start,
        }),
      );
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }
}

const sqs = requireSdk('@aws-sdk/client-sqs') as typeof SqsModule;

let sqsClient: SqsModule.SQSClient | undefined;
export function sqsClientFor(): SqsModule.SQSClient {
  sqsClient ??= captureClient(new sqs.SQSClient({}));
  return sqsClient;
}

/** The indexer's DLQ. Messages received stay hidden for `visibilitySeconds`, past the run's end. */
export class SqsFailureQueue implements FailureQueue {
  constructor(
    private readonly client: SqsModule.SQSClient,
    private readonly queueUrl: string,
    private readonly visibilitySeconds: number,
  ) {}

  async receive(max: number): Promise<ReceivedMessage[]> {
    const received = new Map<string, ReceivedMessage>();
    while (received.size < max) {
      // A short wait asks every SQS server, so an empty answer means an empty queue.
      const { Messages = [] } = await this.client.send(
        new sqs.ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(10, max - received.size),
          WaitTimeSeconds: 1,
          VisibilityTimeout: this.visibilitySeconds,
        }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        if (m.MessageId && m.ReceiptHandle)
          received.set(m.MessageId, {
            messageId: m.MessageId,
            receiptHandle: m.ReceiptHandle,
            body: m.Body ?? '',
          });
      }
    }
    return [...received.values()];
  }

  async release(messages: ReceivedMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      await this.client.send(
        new sqs.ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: messages
            .slice(i, i + 10)
            .map((m, n) => ({ Id: String(n), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  async delete(messages: ReceivedMessage[]): Promise<void> {
    const failed: string[] = [];
    for (let i = 0; i < messages.length; i += 10) {
      const { Failed = [] } = await this.client.send(
        new sqs.DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: messages
            .slice(i, i + 10)
            .map((m, n) => ({ Id: String(n), ReceiptHandle: m.receiptHandle })),
        }),
      );
      failed.push(...Failed.map((f) => `${f.Code ?? 'error'}: ${f.Message ?? ''}`));
    }
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} DLQ message(s) could not be deleted: ${failed.slice(0, 3).join('; ')}`,
      );
    }
  }
}
