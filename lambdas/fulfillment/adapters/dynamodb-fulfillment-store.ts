/**
 * Warehouses and shipments tables adapter (layout: `table-layout.ts`). Every change that must
 * happen together is one TransactWriteItems: routing (the routing record only if absent, the
 * shipments, one conditional decrement per allocation taken), cancelling (each shipment only if
 * still CREATED, and the routing record), releasing (the shipment's `released` flag only if unset,
 * and the units back). A cancelled transaction's reasons, in request order, say which condition
 * failed. No ClientRequestToken: the conditions already make a repeat a no-op, and a retried
 * attempt carries new timestamps, which a token would refuse as a mismatch.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '#shared/dynamodb.ts';
import type { ApplyRouteResult, ConditionalResult, FulfillmentStore } from '../domain/ports.ts';
import type { Allocation, Warehouse } from '../domain/routing.ts';
import type { CarrierStatus, RoutingRecord, Shipment, ShipmentStatus } from '../domain/shipment.ts';
import {
  allocationKey,
  allocationPartition,
  routingKey,
  shipmentKey,
  WAREHOUSES_PARTITION,
  warehouseKey,
} from './table-layout.ts';

// Loaded the way #shared/dynamodb.ts loads the SDK (require: no ESM interop pass), so nothing loads twice.
const require = createRequire(import.meta.url);
const { PutCommand, UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A CancellationReason as DynamoDB answers it. */
export interface Reason {
  Code?: string;
}

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;
const reasonsOf = (error: unknown) => (error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];
/** Codes of a cancelled transaction that clear up by themselves: wait and try again. */
const TRANSIENT = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
/** Errors of a whole request that mean the same. */
const TRANSIENT_ERRORS = new Set(['TransactionConflictException', 'TransactionInProgressException']);
const failedCondition = (r: Reason | undefined) => r?.Code === 'ConditionalCheckFailed';

/** Up to this many allocation Queries at once. */
const QUERY_CONCURRENCY = 10;

function strip(item: Item): Item {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}

export const toShipmentItem = (s: Shipment): Item => ({ ...shipmentKey(s.shipmentId), ...s });
export const fromShipmentItem = (item: Item): Shipment => strip(item) as unknown as Shipment;
export const toRoutingItem = (r: RoutingRecord): Item => ({ ...routingKey(r.orderId), ...r });
export const fromRoutingItem = (item: Item): RoutingRecord => strip(item) as unknown as RoutingRecord;

export function fromWarehouseItem(item: Item): Warehouse {
  return {
    warehouseId: String(item.warehouseId),
    name: String(item.name),
    country: String(item.country),
    region: String(item.region),
    lat: Number(item.lat),
    lon: Number(item.lon),
  };
}

export function fromAllocationItem(item: Item): Allocation {
  return {
    warehouseId: String(item.warehouseId),
    sku: String(item.sku),
    available: Number(item.available ?? 0),
  };
}

/**
 * What a cancelled routing transaction means: the routing record is first, so its condition
 * failing means the order has a record already, whatever else failed; any other failed condition
 * is an allocation without the units now.
 */
export function applyRouteOutcome(reasons: readonly Reason[]): ApplyRouteResult | undefined {
  if (failedCondition(reasons[0])) return { kind: 'exists' };
  if (reasons.some((r) => r.Code !== undefined && TRANSIENT.has(r.Code))) return { kind: 'contended' };
  if (reasons.some(failedCondition)) return { kind: 'short' };
  return undefined;
}

/** A cancelled transaction whose conditions guard a state read just before: changed, or contended. */
export function conditionalOutcome(reasons: readonly Reason[]): ConditionalResult | undefined {
  if (reasons.some(failedCondition)) return { kind: 'changed' };
  if (reasons.some((r) => r.Code !== undefined && TRANSIENT.has(r.Code))) return { kind: 'contended' };
  return undefined;
}

export interface FulfillmentTables {
  warehousesTable?: string;
  shipmentsTable?: string;
}

export class DynamoDbFulfillmentStore implements FulfillmentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: FulfillmentTables,
  ) {}

  /** Each function is given only the tables it uses. */
  private get warehouses(): string {
    if (!this.tables.warehousesTable)
      throw new Error('FULFILLMENT_WAREHOUSES_TABLE is not set for this function');
    return this.tables.warehousesTable;
  }

  private get shipments(): string {
    if (!this.tables.shipmentsTable)
      throw new Error('FULFILLMENT_SHIPMENTS_TABLE is not set for this function');
    return this.tables.shipmentsTable;
  }

  private async transact(items: TransactItem[]): Promise<{ ok: true } | { ok: false; reasons: Reason[] }> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      const name = errorName(error);
      if (name === 'TransactionCanceledException') return { ok: false, reasons: reasonsOf(error) };
      // The whole request met another transaction: reported as a transient reason.
      if (TRANSIENT_ERRORS.has(name ?? '')) return { ok: false, reasons: [{ Code: 'TransactionConflict' }] };
      throw error;
    }
  }

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async putWarehouse(warehouse: Warehouse): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.warehouses,
        Item: { ...warehouseKey(warehouse.warehouseId), ...warehouse },
      }),
    );
  }

  async listWarehouses(): Promise<Warehouse[]> {
    const items = await this.queryAll({
      TableName: this.warehouses,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': WAREHOUSES_PARTITION },
      ConsistentRead: true,
    });
    return items.map(fromWarehouseItem);
  }

  /**
   * A GetItem of the warehouse, then one UpdateItem that creates the allocation or adds to it.
   * Not one transaction: warehouses are never deleted, so the check cannot go stale, and the
   * update answers the new count, which a transaction cannot.
   */
  async addAllocation(warehouseId: string, sku: string, quantity: number) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.warehouses, Key: warehouseKey(warehouseId), ConsistentRead: true }),
    );
    if (!Item) return { kind: 'no-warehouse' as const };
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.warehouses,
          Key: allocationKey(sku, warehouseId),
          UpdateExpression: 'SET #warehouseId = :w, #sku = :sku ADD #available :q',
          ExpressionAttributeNames: {
            '#warehouseId': 'warehouseId',
            '#sku': 'sku',
            '#available': 'available',
          },
          ExpressionAttributeValues: { ':w': warehouseId, ':sku': sku, ':q': quantity },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'added' as const, allocation: fromAllocationItem(Attributes ?? {}) };
    } catch (error) {
      // An allocation inside a running routing transaction refuses single writes: the caller retries.
      if (TRANSIENT_ERRORS.has(errorName(error) ?? '')) return { kind: 'contended' as const };
      throw error;
    }
  }

  async allocationsOf(skus: readonly string[]): Promise<Allocation[]> {
    const unique = [...new Set(skus)];
    const found: Allocation[] = [];
    for (let i = 0; i < unique.length; i += QUERY_CONCURRENCY) {
      const batch = await Promise.all(
        unique.slice(i, i + QUERY_CONCURRENCY).map((sku) =>
          this.queryAll({
            TableName: this.warehouses,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': allocationPartition(sku) },
            ConsistentRead: true,
          }),
        ),
      );
      found.push(...batch.flat().map(fromAllocationItem));
    }
    return found;
  }

  async getRouting(orderId: string): Promise<RoutingRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.shipments, Key: routingKey(orderId), ConsistentRead: true }),
    );
    return Item ? fromRoutingItem(Item) : undefined;
  }

  async applyRoute(routing: RoutingRecord, shipments: readonly Shipment[]): Promise<ApplyRouteResult> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.shipments,
          Item: toRoutingItem(routing),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...shipments.map(
        (s): TransactItem => ({ Put: { TableName: this.shipments, Item: toShipmentItem(s) } }),
      ),
      ...shipments.flatMap((s) =>
        s.items.map(
          (line): TransactItem => ({
            Update: {
              TableName: this.warehouses,
              Key: allocationKey(line.sku, s.warehouseId),
              UpdateExpression: 'SET #available = #available - :q',
              // False for a missing allocation too: a missing attribute compares as nothing.
              ConditionExpression: '#available >= :q',
              ExpressionAttributeNames: { '#available': 'available' },
              ExpressionAttributeValues: { ':q': line.quantity },
            },
          }),
        ),
      ),
    ];
    const result = await this.transact(items);
    if (result.ok) return { kind: 'applied' };
    const outcome = applyRouteOutcome(result.reasons);
    if (outcome) return outcome;
    throw new Error(`Routing transaction cancelled: ${JSON.stringify(result.reasons)}`);
  }

  async cancelUnrouted(routing: RoutingRecord) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.shipments,
          Item: toRoutingItem(routing),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { kind: 'written' as const };
    } catch (error) {
      const name = errorName(error) ?? '';
      if (name === 'ConditionalCheckFailedException') return { kind: 'exists' as const };
      if (TRANSIENT_ERRORS.has(name)) return { kind: 'contended' as const };
      throw error;
    }
  }

  async getShipment(shipmentId: string): Promise<Shipment | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.shipments, Key: shipmentKey(shipmentId), ConsistentRead: true }),
    );
    return Item ? fromShipmentItem(Item) : undefined;
  }

  async getShipments(shipmentIds: readonly string[]): Promise<Shipment[]> {
    const found: Shipment[] = [];
    const ids = [...new Set(shipmentIds)];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Item[] | undefined = ids.slice(i, i + 100).map(shipmentKey);
      // Unprocessed keys (throttling) are asked for again until none is left.
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(500, 20 * 2 ** attempt)));
        const out = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.shipments]: { Keys: keys, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[this.shipments] ?? []).map(fromShipmentItem));
        keys = out.UnprocessedKeys?.[this.shipments]?.Keys as Item[] | undefined;
      }
    }
    return found;
  }

  async recordTransition(next: Shipment, from: ShipmentStatus): Promise<ConditionalResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.shipments,
          Key: shipmentKey(next.shipmentId),
          UpdateExpression: `SET #status = :to, #updatedAt = :now, #history = :history, #unpublished = :unpublished${
            next.trackingNumber ? ', #trackingNumber = :tracking' : ''
          }`,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updatedAt': 'updatedAt',
            '#history': 'history',
            '#unpublished': 'unpublished',
            ...(next.trackingNumber ? { '#trackingNumber': 'trackingNumber' } : {}),
          },
          ExpressionAttributeValues: {
            ':to': next.status,
            ':from': from,
            ':now': next.updatedAt,
            ':history': next.history,
            ':unpublished': next.unpublished,
            ...(next.trackingNumber ? { ':tracking': next.trackingNumber } : {}),
          },
        }),
      );
      return { kind: 'applied' };
    } catch (error) {
      const name = errorName(error) ?? '';
      if (name === 'ConditionalCheckFailedException') return { kind: 'changed' };
      if (TRANSIENT_ERRORS.has(name)) return { kind: 'contended' };
      throw error;
    }
  }

  async markPublished(shipmentId: string, status: CarrierStatus): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.shipments,
          Key: shipmentKey(shipmentId),
          UpdateExpression: 'REMOVE #unpublished',
          ConditionExpression: '#unpublished = :status',
          ExpressionAttributeNames: { '#unpublished': 'unpublished' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    } catch (error) {
      // Cleared already, or a later transition's marker: not this call's to remove.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async cancelShipments(orderId: string, next: readonly Shipment[], now: Date): Promise<ConditionalResult> {
    const items: TransactItem[] = [
      ...next.map(
        (s): TransactItem => ({
          Update: {
            TableName: this.shipments,
            Key: shipmentKey(s.shipmentId),
            UpdateExpression: 'SET #status = :cancelled, #updatedAt = :now, #history = :history',
            ConditionExpression: '#status = :created',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#updatedAt': 'updatedAt',
              '#history': 'history',
            },
            ExpressionAttributeValues: {
              ':cancelled': 'CANCELLED',
              ':created': 'CREATED',
              ':now': s.updatedAt,
              ':history': s.history,
            },
          },
        }),
      ),
      {
        Update: {
          TableName: this.shipments,
          Key: routingKey(orderId),
          UpdateExpression: 'SET #status = :cancelled, #updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': now.toISOString() },
        },
      },
    ];
    const result = await this.transact(items);
    if (result.ok) return { kind: 'applied' };
    const outcome = conditionalOutcome(result.reasons);
    if (outcome) return outcome;
    throw new Error(`Cancel transaction cancelled: ${JSON.stringify(result.reasons)}`);
  }

  async releaseShipment(shipment: Shipment, now: Date): Promise<ConditionalResult> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.shipments,
          Key: shipmentKey(shipment.shipmentId),
          UpdateExpression: 'SET #released = :true, #updatedAt = :now',
          ConditionExpression: '#status = :cancelled AND attribute_not_exists(#released)',
          ExpressionAttributeNames: {
            '#released': 'released',
            '#status': 'status',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: { ':true': true, ':cancelled': 'CANCELLED', ':now': now.toISOString() },
        },
      },
      ...shipment.items.map(
        (line): TransactItem => ({
          Update: {
            TableName: this.warehouses,
            Key: allocationKey(line.sku, shipment.warehouseId),
            // ADD recreates an allocation that was somehow removed, with its identifying attributes.
            UpdateExpression: 'SET #warehouseId = :w, #sku = :sku ADD #available :q',
            ExpressionAttributeNames: {
              '#warehouseId': 'warehouseId',
              '#sku': 'sku',
              '#available': 'available',
            },
            ExpressionAttributeValues: { ':w': shipment.warehouseId, ':sku': line.sku, ':q': line.quantity },
          },
        }),
      ),
    ];
    const result = await this.transact(items);
    if (result.ok) return { kind: 'applied' };
    const outcome = conditionalOutcome(result.reasons);
    if (outcome) return outcome;
    throw new Error(`Release transaction cancelled: ${JSON.stringify(result.reasons)}`);
  }
}
