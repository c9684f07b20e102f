/**
 * Orders table adapter. One item per order, written whole at checkout and then changed only by
 * conditional updates that move it out of PENDING, so a saga step that runs twice, or two that
 * race, change it once.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '#shared/dynamodb.ts';
import type { FailureReason, Order, PaymentStatus } from '../domain/order.ts';
import type { OrderPage, OrderRepository } from '../domain/ports.ts';
import { BY_USER_INDEX, PENDING_INDEX, PENDING_SHARDS } from './table-layout.ts';

const require = createRequire(import.meta.url);
const { PutCommand, UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;

type Item = Record<string, unknown>;

export const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });
const userKey = (userId: string) => `USER#${userId}`;
const createdKey = (o: Pick<Order, 'createdAt' | 'orderId'>) => `${o.createdAt}#${o.orderId}`;

export function pendingShard(orderId: string): string {
  const n = createHash('sha256').update(orderId).digest().readUInt16BE(0) % PENDING_SHARDS;
  return `PENDING#${n}`;
}

export function toOrderItem(order: Order): Item {
  const item: Item = {
    ...orderKey(order.orderId),
    ...order,
    userKey: userKey(order.userId),
    createdKey: createdKey(order),
  };
  if (order.status === 'PENDING') {
    item.pendingShard = pendingShard(order.orderId);
    item.pendingSince = order.createdAt;
  }
  return item;
}

const INTERNAL = ['pk', 'sk', 'userKey', 'createdKey', 'pendingShard', 'pendingSince'];

export function fromOrderItem(item: Item): Order {
  const order: Item = { ...item };
  for (const key of INTERNAL) delete order[key];
  return order as unknown as Order;
}

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(order: Order): Promise<{ created: true } | { created: false; existing: Order }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: toOrderItem(order),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, unknown> }).Item;
      const existing = old ? fromOrderItem(unmarshalled(old)) : await this.get(order.orderId);
      if (!existing) throw error;
      return { created: false, existing };
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: orderKey(orderId), ConsistentRead: true }),
    );
    return out.Item ? fromOrderItem(out.Item) : undefined;
  }

  async listByUser(
    userId: string,
    limit: number,
    after?: Pick<Order, 'orderId' | 'createdAt'>,
  ): Promise<OrderPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_USER_INDEX,
        KeyConditionExpression: 'userKey = :u',
        ExpressionAttributeValues: { ':u': userKey(userId) },
        ScanIndexForward: false,
        Limit: limit,
        ...(after
          ? {
              ExclusiveStartKey: {
                ...orderKey(after.orderId),
                userKey: userKey(userId),
                createdKey: createdKey(after),
              },
            }
          : {}),
      }),
    );
    const orders = (out.Items ?? []).map(fromOrderItem);
    const lastOrder = orders[orders.length - 1];
    return {
      orders,
      ...(out.LastEvaluatedKey && lastOrder
        ? { last: { orderId: lastOrder.orderId, createdAt: lastOrder.createdAt } }
        : {}),
    };
  }

  /** Leaves PENDING: the status, the timeline entry, and out of the pending index. */
  private async settle(
    orderId: string,
    at: Date,
    set: Record<string, unknown>,
    entry: Record<string, unknown>,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status', '#timeline': 'timeline' };
    const values: Record<string, unknown> = {
      ':pending': 'PENDING',
      ':entry': [{ ...entry, at: at.toISOString() }],
      ':at': at.toISOString(),
      ':one': 1,
    };
    const assignments = [
      '#timeline = list_append(#timeline, :entry)',
      'updatedAt = :at',
      'version = version + :one',
    ];
    for (const [i, [path, value]] of Object.entries(set).entries()) {
      const parts = path.split('.').map((part, j) => {
        names[`#s${i}_${j}`] = part;
        return `#s${i}_${j}`;
      });
      values[`:s${i}`] = value;
      assignments.push(`${parts.join('.')} = :s${i}`);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(orderId),
          UpdateExpression: `SET ${assignments.join(', ')} REMOVE pendingShard, pendingSince`,
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  confirm(orderId: string, payment: PaymentStatus, at: Date): Promise<boolean> {
    return this.settle(
      orderId,
      at,
      { status: 'CONFIRMED', 'payment.status': payment },
      { status: 'CONFIRMED' },
    );
  }

  fail(
    orderId: string,
    failure: { reason: FailureReason; message: string; payment: PaymentStatus },
    at: Date,
  ): Promise<boolean> {
    return this.settle(
      orderId,
      at,
      {
        status: 'FAILED',
        failureReason: failure.reason,
        failureMessage: failure.message,
        'payment.status': failure.payment,
      },
      { status: 'FAILED', reason: failure.reason },
    );
  }

  async flag(orderId: string, error: string, at: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: orderKey(orderId),
          // Out of the sweeper's index too: a person settles it, no new saga should start for it.
          UpdateExpression:
            'SET attention = :a, updatedAt = :at, version = version + :one REMOVE pendingShard, pendingSince',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':a': { at: at.toISOString(), error },
            ':at': at.toISOString(),
            ':one': 1,
          },
        }),
      );
    } catch (failure) {
      // No order to flag: the DLQ message is the record.
      if (!isConditionFailure(failure)) throw failure;
    }
  }

  async save(next: Order, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: toOrderItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async pendingBefore(before: Date, limit: number): Promise<string[]> {
    const ids: string[] = [];
    for (let shard = 0; shard < PENDING_SHARDS && ids.length < limit; shard++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: PENDING_INDEX,
          KeyConditionExpression: 'pendingShard = :s AND pendingSince < :before',
          ExpressionAttributeValues: { ':s': `PENDING#${shard}`, ':before': before.toISOString() },
          ProjectionExpression: 'orderId',
          Limit: limit - ids.length,
        }),
      );
      for (const item of out.Items ?? []) ids.push(String(item.orderId));
    }
    return ids;
  }
}

/** The old item of a failed condition comes back in attribute-value form. */
function unmarshalled(item: Record<string, unknown>): Item {
  const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof import('@aws-sdk/util-dynamodb');
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}
