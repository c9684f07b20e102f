/**
 * Inventory and reservations tables adapter (docs/architecture.md, "Inventory tables"). Stock is
 * one item per SKU; a reservation is one item per order. Every change of the counts is a
 * conditional write, so no read-then-write can oversell: a reservation is one TransactWriteItems
 * of the reservation record (only if the order has none) and one update per SKU (only if
 * `available >= quantity`); a commit or release is one TransactWriteItems of the record (only if
 * still HELD) and one update per SKU. A cancelled transaction's reasons say which condition
 * failed, and ReturnValuesOnConditionCheckFailure brings back what the item held, so a refusal
 * costs no extra read.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import type * as UtilModule from '@aws-sdk/util-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '#shared/dynamodb.ts';
import type { HoldResult, InventoryStore, ReceiveResult, SettleResult } from '../domain/ports.ts';
import {
  allHeldShards,
  epochSeconds,
  FINISHED_RETENTION_SECONDS,
  heldShardOf,
  MAX_STOCK,
  type Reservation,
  type ReservationLine,
  type ReservationStatus,
  requestToken,
  type Shortage,
  type Stock,
} from '../domain/stock.ts';
import { HELD_INDEX, reservationKey, stockKey } from './table-layout.ts';

// Loaded the way #shared/dynamodb.ts loads the SDK (require: no ESM interop pass), so nothing loads twice.
const require = createRequire(import.meta.url);
const { UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;
const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof UtilModule;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function fromStockItem(item: Item): Stock {
  return {
    sku: String(item.sku),
    available: Number(item.available ?? 0),
    reserved: Number(item.reserved ?? 0),
    sold: Number(item.sold ?? 0),
    received: Number(item.received ?? 0),
    version: Number(item.version ?? 0),
    updatedAt: String(item.updatedAt),
  };
}

export function toReservationItem(reservation: Reservation): Item {
  const lines: Record<string, number> = {};
  for (const line of reservation.lines) lines[line.sku] = line.quantity;
  return {
    ...reservationKey(reservation.orderId),
    orderId: reservation.orderId,
    lines,
    status: reservation.status,
    expiresAt: reservation.expiresAt,
    createdAt: reservation.createdAt,
    updatedAt: reservation.updatedAt,
    // Only a HELD reservation is in the index the reaper reads.
    ...(reservation.status === 'HELD' ? { heldShard: heldShardOf(reservation.orderId) } : {}),
  };
}

export function fromReservationItem(item: Item): Reservation {
  const lines: ReservationLine[] = Object.entries((item.lines ?? {}) as Record<string, unknown>)
    .map(([sku, quantity]) => ({ sku, quantity: Number(quantity) }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return {
    orderId: String(item.orderId),
    lines,
    status: String(item.status) as ReservationStatus,
    expiresAt: Number(item.expiresAt),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/** A CancellationReason as DynamoDB answers it (items as AttributeValues: errors are not unmarshalled). */
export interface Reason {
  Code?: string;
  Item?: Record<string, unknown>;
}

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;
const reasonsOf = (error: unknown) => (error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];
/** Codes of a cancelled transaction that clear up by themselves: wait and try again. */
const TRANSIENT = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
/** Errors of a whole request that mean the same. */
const TRANSIENT_ERRORS = new Set(['TransactionConflictException', 'TransactionInProgressException']);

function plain(item: Record<string, unknown>): Item {
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}

/**
 * What a cancelled reservation means, from its reasons (in request order: the reservation record
 * first, then one per line). The record's condition failing means the order has a reservation
 * already, whatever else failed; otherwise the SKUs whose `available >= quantity` failed are
 * exactly the shortages, each with the available count the item had.
 */
export function holdOutcome(reasons: readonly Reason[], reservation: Reservation): HoldResult | undefined {
  const [record, ...lines] = reasons;
  if (record?.Code === 'ConditionalCheckFailed' && record.Item) {
    return { kind: 'exists', reservation: fromReservationItem(plain(record.Item)) };
  }
  if (reasons.some((r) => r.Code !== undefined && TRANSIENT.has(r.Code))) return { kind: 'contended' };
  const shortages: Shortage[] = [];
  reservation.lines.forEach((line, i) => {
    const reason = lines[i];
    if (reason?.Code !== 'ConditionalCheckFailed') return;
    const available = reason.Item ? Number(plain(reason.Item).available ?? 0) : 0;
    shortages.push({ sku: line.sku, requested: line.quantity, available });
  });
  return shortages.length > 0 ? { kind: 'short', shortages } : undefined;
}

export class DynamoDbInventoryStore implements InventoryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly inventoryTable: string,
    private readonly reservationsTableName?: string,
  ) {}

  /** Functions that only read or receive stock have no reservations table. */
  private get reservationsTable(): string {
    if (!this.reservationsTableName) throw new Error('RESERVATIONS_TABLE is not set for this function');
    return this.reservationsTableName;
  }

  async getStock(sku: string): Promise<Stock | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.inventoryTable, Key: stockKey(sku), ConsistentRead: true }),
    );
    return Item ? fromStockItem(Item) : undefined;
  }

  async receive(sku: string, quantity: number, now: Date): Promise<ReceiveResult> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.inventoryTable,
          Key: stockKey(sku),
          // One expression whether or not the SKU has a record: created with zero counts, then added to.
          UpdateExpression:
            'SET #sku = :sku, #available = if_not_exists(#available, :zero) + :q, ' +
            '#reserved = if_not_exists(#reserved, :zero), #sold = if_not_exists(#sold, :zero), ' +
            '#received = if_not_exists(#received, :zero) + :q, ' +
            '#version = if_not_exists(#version, :zero) + :one, #updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(#received) OR #received <= :room',
          ExpressionAttributeNames: {
            '#sku': 'sku',
            '#available': 'available',
            '#reserved': 'reserved',
            '#sold': 'sold',
            '#received': 'received',
            '#version': 'version',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':sku': sku,
            ':q': quantity,
            ':zero': 0,
            ':one': 1,
            ':now': now.toISOString(),
            ':room': MAX_STOCK - quantity,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'received', stock: fromStockItem(Attributes ?? {}) };
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return { kind: 'full' };
      // An item inside a running transaction refuses single writes: the caller retries.
      if (TRANSIENT_ERRORS.has(errorName(error) ?? '')) return { kind: 'contended' };
      throw error;
    }
  }

  async getReservation(orderId: string): Promise<Reservation | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.reservationsTable,
        Key: reservationKey(orderId),
        ConsistentRead: true,
      }),
    );
    return Item ? fromReservationItem(Item) : undefined;
  }

  async hold(reservation: Reservation): Promise<HoldResult> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.reservationsTable,
          Item: toReservationItem(reservation),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...reservation.lines.map(
        (line): TransactItem => ({
          Update: {
            TableName: this.inventoryTable,
            Key: stockKey(line.sku),
            UpdateExpression:
              'SET #available = #available - :q, #reserved = #reserved + :q, #version = #version + :one, #updatedAt = :now',
            // False for a SKU without a record too: a missing attribute compares as nothing.
            ConditionExpression: '#available >= :q',
            ExpressionAttributeNames: {
              '#available': 'available',
              '#reserved': 'reserved',
              '#version': 'version',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: { ':q': line.quantity, ':one': 1, ':now': reservation.createdAt },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
      ),
    ];
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: items,
          ClientRequestToken: requestToken(reservation.orderId, 'reserve'),
        }),
      );
      return { kind: 'held', reservation };
    } catch (error) {
      const name = errorName(error);
      if (name === 'TransactionCanceledException') {
        const outcome = holdOutcome(reasonsOf(error), reservation);
        if (outcome) return outcome;
      }
      if (TRANSIENT_ERRORS.has(name ?? '')) return { kind: 'contended' };
      // The token already made this order's reservation (a repeat within DynamoDB's 10-minute
      // window, with another expiry): the reservation is there to compare with.
      if (name === 'IdempotentParameterMismatchException') {
        const existing = await this.getReservation(reservation.orderId);
        return existing ? { kind: 'exists', reservation: existing } : { kind: 'contended' };
      }
      throw error;
    }
  }

  async settle(
    reservation: Reservation,
    to: 'RELEASED' | 'COMMITTED',
    now: Date,
    expiredBy?: Date,
  ): Promise<SettleResult> {
    const at = now.toISOString();
    // Release: reserved -> available; commit: reserved -> sold.
    const target = to === 'RELEASED' ? 'available' : 'sold';
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.reservationsTable,
          Key: reservationKey(reservation.orderId),
          // Out of the reaper's index, and purged by TTL once no retry can need it.
          UpdateExpression: 'SET #status = :to, #updatedAt = :now, #purgeAt = :purge REMOVE #heldShard',
          ConditionExpression: `#status = :held${expiredBy ? ' AND #expiresAt <= :by' : ''}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updatedAt': 'updatedAt',
            '#purgeAt': 'purgeAt',
            '#heldShard': 'heldShard',
            ...(expiredBy ? { '#expiresAt': 'expiresAt' } : {}),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ':held': 'HELD',
            ':now': at,
            ':purge': epochSeconds(now) + FINISHED_RETENTION_SECONDS,
            ...(expiredBy ? { ':by': epochSeconds(expiredBy) } : {}),
          },
        },
      },
      ...reservation.lines.map(
        (line): TransactItem => ({
          Update: {
            TableName: this.inventoryTable,
            Key: stockKey(line.sku),
            UpdateExpression:
              'SET #target = #target + :q, #reserved = #reserved - :q, #version = #version + :one, #updatedAt = :now',
            // Always true while the invariant holds; a guard, so a bug can never make a count negative.
            ConditionExpression: '#reserved >= :q',
            ExpressionAttributeNames: {
              '#target': target,
              '#reserved': 'reserved',
              '#version': 'version',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: { ':q': line.quantity, ':one': 1, ':now': at },
          },
        }),
      ),
    ];
    return this.finish(items, requestToken(reservation.orderId, to === 'RELEASED' ? 'release' : 'commit'), {
      ...reservation,
      status: to,
      updatedAt: at,
    });
  }

  /**
   * Runs the transaction that moves a reservation on: `changed` when its first item's condition
   * (the reservation's status) failed, `contended` when another transaction held an item.
   */
  private async finish(items: TransactItem[], token: string, after: Reservation): Promise<SettleResult> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return { kind: 'settled', reservation: after };
    } catch (error) {
      const name = errorName(error);
      if (name === 'TransactionCanceledException') {
        const reasons = reasonsOf(error);
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'changed' };
        if (reasons.some((r) => r.Code !== undefined && TRANSIENT.has(r.Code))) return { kind: 'contended' };
      }
      if (TRANSIENT_ERRORS.has(name ?? '')) return { kind: 'contended' };
      // The same token already finished this order's reservation (another caller, other parameters).
      if (name === 'IdempotentParameterMismatchException') return { kind: 'changed' };
      throw error;
    }
  }

  async returnSold(reservation: Reservation, now: Date): Promise<SettleResult> {
    const at = now.toISOString();
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.reservationsTable,
          Key: reservationKey(reservation.orderId),
          UpdateExpression: 'SET #status = :returned, #updatedAt = :now',
          ConditionExpression: '#status = :committed',
          ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':returned': 'RETURNED', ':committed': 'COMMITTED', ':now': at },
        },
      },
      ...reservation.lines.map(
        (line): TransactItem => ({
          Update: {
            TableName: this.inventoryTable,
            Key: stockKey(line.sku),
            UpdateExpression:
              'SET #available = #available + :q, #sold = #sold - :q, #version = #version + :one, #updatedAt = :now',
            // A guard like settle's: the invariant makes it always true.
            ConditionExpression: '#sold >= :q',
            ExpressionAttributeNames: {
              '#available': 'available',
              '#sold': 'sold',
              '#version': 'version',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: { ':q': line.quantity, ':one': 1, ':now': at },
          },
        }),
      ),
    ];
    return this.finish(items, requestToken(reservation.orderId, 'return'), {
      ...reservation,
      status: 'RETURNED',
      updatedAt: at,
    });
  }

  async expiredHolds(now: Date, limit: number): Promise<string[]> {
    const perShard = await Promise.all(
      allHeldShards().map(async (shard) => {
        const found: string[] = [];
        let start: Item | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.reservationsTable,
              IndexName: HELD_INDEX,
              KeyConditionExpression: '#shard = :shard AND #expiresAt <= :now',
              ExpressionAttributeNames: { '#shard': 'heldShard', '#expiresAt': 'expiresAt' },
              ExpressionAttributeValues: { ':shard': shard, ':now': epochSeconds(now) },
              Limit: limit - found.length,
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) found.push(String(item.orderId));
          start = out.LastEvaluatedKey;
        } while (start && found.length < limit);
        return found;
      }),
    );
    return perShard.flat().slice(0, limit);
  }
}
