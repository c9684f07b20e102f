/**
 * Reviews table adapter (layout: table-layout.ts). A review write is one TransactWriteItems: the
 * review (conditional on its own state), the author's claim, and the summary's delta as ADDs, so
 * the summary is exact however many writers race: a transaction that loses answers `race` and the
 * use case reads again and retries. Purchases are string sets, so repeated events add nothing.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '#shared/dynamodb.ts';
import type { ReviewPosition } from '../domain/list-cursor.ts';
import type { CreateOutcome, OrderRecord, ReviewPage, ReviewStore, WriteOutcome } from '../domain/ports.ts';
import { type Review, type ReviewSort, STARS, type Summary, type SummaryDelta } from '../domain/review.ts';
import {
  authorKey,
  BY_NEWEST_INDEX,
  BY_RATING_INDEX,
  newestKey,
  orderRecordKey,
  productPartition,
  purchaseKey,
  ratingKey,
  reviewKey,
  summaryKey,
  UNPUBLISHED_INDEX,
  UNPUBLISHED_SHARDS,
} from './table-layout.ts';

const require = createRequire(import.meta.url);
const { UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function unpublishedShard(productId: string): string {
  const n = createHash('sha256').update(productId).digest().readUInt16BE(0) % UNPUBLISHED_SHARDS;
  return `UNPUBLISHED#${n}`;
}

export function toReviewItem(review: Review): Item {
  return {
    ...reviewKey(review.reviewId),
    ...review,
    // Only visible reviews are listed: the indexes are sparse on listKey.
    ...(review.hidden
      ? {}
      : {
          listKey: productPartition(review.productId),
          newestKey: newestKey(review.createdAt, review.reviewId),
          ratingKey: ratingKey(review.rating, review.createdAt, review.reviewId),
        }),
  };
}

const INTERNAL = ['pk', 'sk', 'listKey', 'newestKey', 'ratingKey'];

export function fromReviewItem(item: Item): Review {
  const review: Item = { ...item };
  for (const key of INTERNAL) delete review[key];
  return review as unknown as Review;
}

export function fromSummaryItem(item: Item): Summary {
  const histogram = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const star of STARS) histogram[star] = Number(item[`h${star}`] ?? 0);
  return {
    productId: String(item.productId),
    count: Number(item.count ?? 0),
    sum: Number(item.sum ?? 0),
    histogram,
    version: Number(item.version ?? 0),
    unpublished: item.unpublishedShard !== undefined,
  };
}

const isZero = (delta: SummaryDelta) =>
  delta.count === 0 && delta.sum === 0 && STARS.every((s) => (delta.histogram[s] ?? 0) === 0);

/** The delta as ADDs (an absent summary starts at zero), version +1, and the unpublished marker. */
function summaryUpdate(table: string, productId: string, delta: SummaryDelta): TransactItem {
  const names: Record<string, string> = { '#count': 'count', '#sum': 'sum', '#version': 'version' };
  const values: Record<string, unknown> = {
    ':dc': delta.count,
    ':ds': delta.sum,
    ':one': 1,
    ':p': productId,
    ':shard': unpublishedShard(productId),
  };
  const adds = ['#count :dc', '#sum :ds', '#version :one'];
  for (const star of STARS) {
    const d = delta.histogram[star] ?? 0;
    if (d === 0) continue;
    values[`:h${star}`] = d;
    adds.push(`h${star} :h${star}`);
  }
  return {
    Update: {
      TableName: table,
      Key: summaryKey(productId),
      UpdateExpression: `ADD ${adds.join(', ')} SET productId = :p, unpublishedShard = :shard`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

interface CancellationReason {
  Code?: string;
}

/** The reasons of a cancelled transaction, or rethrows anything else. */
function cancellationReasons(error: unknown): (string | undefined)[] {
  if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
  return ((error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []).map(
    (r) => r?.Code,
  );
}

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoDbReviewStore implements ReviewStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async get(key: Item, projection?: string): Promise<Item | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: key,
        ConsistentRead: true,
        ...(projection ? { ProjectionExpression: projection } : {}),
      }),
    );
    return out.Item;
  }

  async getReview(reviewId: string): Promise<Review | undefined> {
    const item = await this.get(reviewKey(reviewId));
    return item ? fromReviewItem(item) : undefined;
  }

  async reviewIdOf(productId: string, userId: string): Promise<string | undefined> {
    const item = await this.get(authorKey(productId, userId), 'reviewId');
    return typeof item?.reviewId === 'string' ? item.reviewId : undefined;
  }

  async isBuyer(userId: string, productId: string): Promise<boolean> {
    const item = await this.get(purchaseKey(userId, productId), 'orders');
    return item?.orders instanceof Set && item.orders.size > 0;
  }

  async create(review: Review, delta: SummaryDelta): Promise<CreateOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: toReviewItem(review),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...authorKey(review.productId, review.userId), reviewId: review.reviewId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // Still a buyer at the write: a cancel handled since the check refuses it.
              ConditionCheck: {
                TableName: this.table,
                Key: purchaseKey(review.userId, review.productId),
                ConditionExpression: 'attribute_exists(orders)',
              },
            },
            summaryUpdate(this.table, review.productId, delta),
          ],
        }),
      );
      return 'created';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons[1] === 'ConditionalCheckFailed') return 'exists';
      if (reasons[2] === 'ConditionalCheckFailed') return 'not-buyer';
      // A conflict, an id collision, or an engine without reasons: read again and retry.
      return 'race';
    }
  }

  private async transact(items: TransactItem[]): Promise<WriteOutcome> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      cancellationReasons(error);
      return 'race';
    }
  }

  update(next: Review, previous: Review, delta: SummaryDelta): Promise<WriteOutcome> {
    return this.transact([
      {
        Put: {
          TableName: this.table,
          Item: toReviewItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        },
      },
      // A title or body edit leaves the rating as it was: no new summary version to publish.
      ...(isZero(delta) ? [] : [summaryUpdate(this.table, previous.productId, delta)]),
    ]);
  }

  delete(previous: Review, delta: SummaryDelta): Promise<WriteOutcome> {
    return this.transact([
      {
        Delete: {
          TableName: this.table,
          Key: reviewKey(previous.reviewId),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        },
      },
      // The author may review the product again.
      {
        Delete: {
          TableName: this.table,
          Key: authorKey(previous.productId, previous.userId),
          ConditionExpression: 'attribute_not_exists(pk) OR reviewId = :id',
          ExpressionAttributeValues: { ':id': previous.reviewId },
        },
      },
      ...(isZero(delta) ? [] : [summaryUpdate(this.table, previous.productId, delta)]),
    ]);
  }

  async getSummary(productId: string): Promise<Summary | undefined> {
    const item = await this.get(summaryKey(productId));
    return item ? fromSummaryItem(item) : undefined;
  }

  async markPublished(productId: string, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: summaryKey(productId),
          UpdateExpression: 'REMOVE unpublishedShard',
          ConditionExpression: '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':v': version },
        }),
      );
    } catch (error) {
      // A newer change came: its writer (or the sweeper) publishes that one.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async unpublished(limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (let shard = 0; shard < UNPUBLISHED_SHARDS && ids.length < limit; shard++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: UNPUBLISHED_INDEX,
          KeyConditionExpression: 'unpublishedShard = :s',
          ExpressionAttributeValues: { ':s': `UNPUBLISHED#${shard}` },
          Limit: limit - ids.length,
        }),
      );
      for (const item of out.Items ?? []) ids.push(String(item.productId));
    }
    return ids;
  }

  async list(
    productId: string,
    sort: ReviewSort,
    limit: number,
    after?: ReviewPosition,
  ): Promise<ReviewPage> {
    const [index, sortAttribute] =
      sort === 'rating'
        ? ([BY_RATING_INDEX, 'ratingKey'] as const)
        : ([BY_NEWEST_INDEX, 'newestKey'] as const);
    const partition = productPartition(productId);
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: 'listKey = :p',
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      // One extra tells whether another page exists, so the last page never comes back empty.
      Limit: limit + 1,
    };
    if (after) {
      // Built from a validated position: no key a client wrote reaches the query.
      input.ExclusiveStartKey = {
        ...reviewKey(after.reviewId),
        listKey: partition,
        [sortAttribute]:
          sort === 'rating'
            ? ratingKey(after.rating, after.createdAt, after.reviewId)
            : newestKey(after.createdAt, after.reviewId),
      };
    }
    const out = await this.db.send(new QueryCommand(input));
    const items = (out.Items ?? []).slice(0, limit).map(fromReviewItem);
    const more = (out.Items ?? []).length > limit || (out.LastEvaluatedKey !== undefined && items.length > 0);
    const last = items.at(-1);
    return { items, ...(more && last ? { last } : {}) };
  }

  private async updateOrder(orderId: string, set: string, values: Item): Promise<OrderRecord> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: orderRecordKey(orderId),
        UpdateExpression: `SET ${set}`,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toOrderRecord(orderId, out.Attributes ?? {});
  }

  notePlaced(order: { orderId: string; userId: string; productIds: string[] }): Promise<OrderRecord> {
    return this.updateOrder(
      order.orderId,
      'userId = if_not_exists(userId, :u), productIds = if_not_exists(productIds, :p), cancelled = if_not_exists(cancelled, :f)',
      { ':u': order.userId, ':p': order.productIds, ':f': false },
    );
  }

  noteCancelled(order: { orderId: string; userId: string }): Promise<OrderRecord> {
    return this.updateOrder(order.orderId, 'userId = if_not_exists(userId, :u), cancelled = :t', {
      ':u': order.userId,
      ':t': true,
    });
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const item = await this.get(orderRecordKey(orderId));
    return item ? toOrderRecord(orderId, item) : undefined;
  }

  private async purchases(
    op: 'ADD' | 'DELETE',
    userId: string,
    orderId: string,
    productIds: readonly string[],
  ): Promise<void> {
    // One item per product: an order holds a few, and each update is idempotent on its own.
    await Promise.all(
      productIds.map((productId) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: purchaseKey(userId, productId),
            UpdateExpression: `${op} orders :o`,
            ExpressionAttributeValues: { ':o': new Set([orderId]) },
          }),
        ),
      ),
    );
  }

  addPurchases(userId: string, orderId: string, productIds: readonly string[]): Promise<void> {
    return this.purchases('ADD', userId, orderId, productIds);
  }

  removePurchases(userId: string, orderId: string, productIds: readonly string[]): Promise<void> {
    return this.purchases('DELETE', userId, orderId, productIds);
  }
}

function toOrderRecord(orderId: string, item: Item): OrderRecord {
  return {
    orderId,
    userId: String(item.userId ?? ''),
    ...(Array.isArray(item.productIds) ? { productIds: item.productIds.map(String) } : {}),
    cancelled: item.cancelled === true,
  };
}
