/**
 * Fulfillment use cases over the store and publisher ports, no AWS, no HTTP. Each is a loop of
 * read, decide, conditional write: a write refused because something changed since the read
 * (another delivery of the same event, a concurrent cancel or carrier callback) starts the next
 * round from a fresh read, so every outcome is decided on current data.
 */
import { type EventDetail, shipToOf } from '#events/catalog.ts';
import type { Publisher } from '#events/publisher.ts';
import { DEFAULT_RETRY, pause, type RetryPolicy } from '#shared/retry.ts';
import {
  FulfillmentBusyError,
  ShipmentNotFoundError,
  ShipmentStateError,
  WarehouseNotFoundError,
} from './errors.ts';
import type { FulfillmentStore } from './ports.ts';
import type { AddAllocation, CarrierEventRequest, WarehouseWrite } from './requests.ts';
import { type Allocation, mergeLines, planRoute, RoutingError, type Warehouse } from './routing.ts';
import {
  type CarrierStatus,
  cancelled,
  decideCarrierEvent,
  type OrderShipment,
  orderShipmentOf,
  type RoutingRecord,
  type Shipment,
  type ShipmentView,
  shipmentIdOf,
  viewShipment,
} from './shipment.ts';

export interface FulfillmentDeps {
  store: FulfillmentStore;
  publisher: Publisher;
  now?: () => Date;
  retry?: RetryPolicy;
}

/** DynamoDB's limit of items in one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/** What the use cases that publish nothing need: the cancel call runs in the orders service. */
export type StoreDeps = Omit<FulfillmentDeps, 'publisher'>;

const clock = (deps: StoreDeps) => (deps.now ?? (() => new Date()))();
const policy = (deps: StoreDeps) => deps.retry ?? DEFAULT_RETRY;
const byId = (a: { shipmentId: string }, b: { shipmentId: string }) =>
  a.shipmentId < b.shipmentId ? -1 : a.shipmentId > b.shipmentId ? 1 : 0;

/** Either version: v1 (full address) from queues and replays during the rollout, v2 (`shipTo`). */
export type OrderPlaced = EventDetail<'OrderPlaced'>;

export interface RouteOutcome {
  /**
   * `routed`: this call wrote the route; `republished`: the order was routed before, and its
   * ShipmentCreated events were published again; `cancelled`: the order was cancelled, nothing done.
   */
  outcome: 'routed' | 'republished' | 'cancelled';
  shipments: RoutingRecord['shipments'];
}

async function publishCreated(deps: FulfillmentDeps, routing: RoutingRecord): Promise<void> {
  await Promise.all(
    routing.shipments.map((s) =>
      deps.publisher.publish('ShipmentCreated', {
        version: 1,
        shipmentId: s.shipmentId,
        orderId: routing.orderId,
        warehouseId: s.warehouseId,
        items: s.items,
        shipmentsInOrder: routing.shipments.length,
        createdAt: routing.createdAt,
      }),
    ),
  );
}

/**
 * RouteOrder (OrderPlaced): plans the order's shipments, then in one transaction takes the units
 * from the warehouses' allocations and writes the shipments and the routing record, then
 * publishes one ShipmentCreated per shipment.
 *
 * Idempotent: a later delivery finds the routing record and publishes the same events again (same
 * ids, same times), which closes the window of a crash between the write and the publish; their
 * consumers are idempotent. An order cancelled first has a `cancelled` record: nothing happens.
 * Throws RoutingError when allocations cannot cover the order (the record fails, is retried, and
 * lands in the DLQ with its alarm: the allocation data needs fixing).
 */
export async function routeOrder(deps: FulfillmentDeps, order: OrderPlaced): Promise<RouteOutcome> {
  const { store } = deps;
  const retry = policy(deps);
  const lines = mergeLines(order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })));
  for (let round = 0; round < retry.attempts; round++) {
    await pause(retry, round);
    const existing = await store.getRouting(order.orderId);
    if (existing?.status === 'cancelled') return { outcome: 'cancelled', shipments: existing.shipments };
    if (existing) {
      await publishCreated(deps, existing);
      return { outcome: 'republished', shipments: existing.shipments };
    }
    const [warehouses, allocations] = await Promise.all([
      store.listWarehouses(),
      store.allocationsOf(lines.map((l) => l.sku)),
    ]);
    // Country and region are all routing reads: v2 carries only those, v1 is reduced to them.
    const plan = planRoute({ lines, address: shipToOf(order), warehouses, allocations });
    const at = clock(deps).toISOString();
    const shipments: Shipment[] = plan.map((p) => ({
      shipmentId: shipmentIdOf(order.orderId, p.warehouseId),
      orderId: order.orderId,
      warehouseId: p.warehouseId,
      items: p.items,
      status: 'CREATED',
      contact: order.contact,
      createdAt: at,
      updatedAt: at,
      history: [{ status: 'CREATED', at }],
    }));
    const writes = 1 + shipments.length + shipments.reduce((n, s) => n + s.items.length, 0);
    if (writes > MAX_TRANSACTION_ITEMS) {
      throw new RoutingError(
        `Order ${order.orderId} routes to ${writes} writes, more than one transaction takes (${MAX_TRANSACTION_ITEMS}).`,
      );
    }
    const routing: RoutingRecord = {
      orderId: order.orderId,
      status: 'routed',
      shipments: shipments.map((s) => ({
        shipmentId: s.shipmentId,
        warehouseId: s.warehouseId,
        items: s.items,
      })),
      createdAt: at,
      updatedAt: at,
    };
    const result = await store.applyRoute(routing, shipments);
    if (result.kind === 'applied') {
      await publishCreated(deps, routing);
      return { outcome: 'routed', shipments: routing.shipments };
    }
    // exists: the next round reads the record; short: it plans on fresh allocations; contended: waits.
  }
  throw new FulfillmentBusyError(`Routing order ${order.orderId}`);
}

export interface ReleaseReport {
  /** Shipments whose units this call returned to their warehouses. */
  released: string[];
  /** Shipments of the order not CANCELLED (the cancel call did not cancel them): left alone. */
  notCancelled: string[];
}

/**
 * ReleaseShipments (OrderCancelled): returns the units of the order's CANCELLED shipments to their
 * warehouses' allocations, once per shipment (a `released` flag set in the same transaction).
 */
export async function releaseShipments(deps: FulfillmentDeps, orderId: string): Promise<ReleaseReport> {
  const { store } = deps;
  const report: ReleaseReport = { released: [], notCancelled: [] };
  const routing = await store.getRouting(orderId);
  if (!routing || routing.shipments.length === 0) return report;
  const shipments = (await store.getShipments(routing.shipments.map((s) => s.shipmentId))).sort(byId);
  const retry = policy(deps);
  for (const shipment of shipments) {
    if (shipment.status !== 'CANCELLED') {
      report.notCancelled.push(shipment.shipmentId);
      continue;
    }
    if (shipment.released) continue;
    let done = false;
    for (let round = 0; round < retry.attempts && !done; round++) {
      await pause(retry, round);
      const result = await store.releaseShipment(shipment, clock(deps));
      if (result.kind === 'applied') report.released.push(shipment.shipmentId);
      // changed: another delivery released it first.
      done = result.kind !== 'contended';
    }
    if (!done) throw new FulfillmentBusyError(`Releasing shipment ${shipment.shipmentId}`);
  }
  return report;
}

async function publishCarrier(deps: FulfillmentDeps, shipment: Shipment, status: CarrierStatus) {
  // The event's time is the transition's own, so a re-publish states the same instant.
  const at = [...shipment.history].reverse().find((h) => h.status === status)?.at ?? shipment.updatedAt;
  if (status === 'SHIPPED') {
    await deps.publisher.publish('ShipmentShipped', {
      version: 1,
      shipmentId: shipment.shipmentId,
      orderId: shipment.orderId,
      trackingNumber: shipment.trackingNumber ?? '',
      contact: shipment.contact,
      shippedAt: at,
    });
  } else {
    await deps.publisher.publish('ShipmentDelivered', {
      version: 1,
      shipmentId: shipment.shipmentId,
      orderId: shipment.orderId,
      contact: shipment.contact,
      deliveredAt: at,
    });
  }
  await deps.store.markPublished(shipment.shipmentId, status);
}

/**
 * POST /admin/shipments/{shipmentId}/events: a carrier callback. A real transition is written on
 * condition the shipment is still where it was read, then ShipmentShipped or ShipmentDelivered is
 * published; a repeat answers the shipment and publishes nothing. An event whose publish did not
 * finish (a crash after the write) is published by the next callback on the shipment, first.
 */
export async function recordCarrierEvent(
  deps: FulfillmentDeps,
  shipmentId: string,
  event: CarrierEventRequest,
): Promise<ShipmentView> {
  const { store } = deps;
  const retry = policy(deps);
  for (let round = 0; round < retry.attempts; round++) {
    await pause(retry, round);
    const shipment = await store.getShipment(shipmentId);
    if (!shipment) throw new ShipmentNotFoundError(shipmentId);
    if (shipment.unpublished) await publishCarrier(deps, shipment, shipment.unpublished);
    const decision = decideCarrierEvent(shipment, event, clock(deps));
    if (decision.kind === 'repeat') return viewShipment(shipment);
    if (decision.kind === 'illegal') throw new ShipmentStateError(decision.reason);
    const next: Shipment = { ...decision.next, unpublished: event.status };
    const result = await store.recordTransition(next, decision.from);
    if (result.kind === 'applied') {
      await publishCarrier(deps, next, event.status);
      return viewShipment(next);
    }
  }
  throw new FulfillmentBusyError(`Recording ${event.status} on shipment ${shipmentId}`);
}

/** GET /admin/shipments/{shipmentId}. */
export async function getShipment(deps: Pick<StoreDeps, 'store'>, shipmentId: string) {
  const shipment = await deps.store.getShipment(shipmentId);
  if (!shipment) throw new ShipmentNotFoundError(shipmentId);
  return viewShipment(shipment);
}

export interface CancelOutcome {
  /**
   * `cancelled`: every shipment of the order is CANCELLED now (by this call or an earlier one);
   * `none`: the order was not routed, and now never will be; `shipped`: some shipment SHIPPED or
   * DELIVERED, nothing changed (the order can no longer be cancelled).
   */
  outcome: 'cancelled' | 'none' | 'shipped';
  shipments: OrderShipment[];
}

/**
 * The orders service's cancel call (lambdas/fulfillment/client.ts): all of the order's CREATED
 * shipments to CANCELLED in one transaction, each on condition it is still CREATED, or nothing.
 * An order not routed yet gets a `cancelled` routing record, so its RouteOrder does nothing.
 */
export async function cancelOrderShipments(deps: StoreDeps, orderId: string): Promise<CancelOutcome> {
  const { store } = deps;
  const retry = policy(deps);
  for (let round = 0; round < retry.attempts; round++) {
    await pause(retry, round);
    const now = clock(deps);
    const routing = await store.getRouting(orderId);
    if (!routing) {
      const at = now.toISOString();
      const written = await store.cancelUnrouted({
        orderId,
        status: 'cancelled',
        shipments: [],
        createdAt: at,
        updatedAt: at,
      });
      if (written.kind === 'written') return { outcome: 'none', shipments: [] };
      continue; // routed (or cancelled) meanwhile: the next round reads it.
    }
    if (routing.shipments.length === 0) return { outcome: 'none', shipments: [] };
    const shipments = (await store.getShipments(routing.shipments.map((s) => s.shipmentId))).sort(byId);
    if (shipments.some((s) => s.status === 'SHIPPED' || s.status === 'DELIVERED')) {
      return { outcome: 'shipped', shipments: shipments.map(orderShipmentOf) };
    }
    const open = shipments.filter((s) => s.status === 'CREATED');
    if (open.length === 0) return { outcome: 'cancelled', shipments: shipments.map(orderShipmentOf) };
    const next = open.map((s) => cancelled(s, now));
    const result = await store.cancelShipments(orderId, next, now);
    if (result.kind === 'applied') {
      const after = new Map(next.map((s) => [s.shipmentId, s]));
      return {
        outcome: 'cancelled',
        shipments: shipments.map((s) => orderShipmentOf(after.get(s.shipmentId) ?? s)),
      };
    }
  }
  throw new FulfillmentBusyError(`Cancelling the shipments of order ${orderId}`);
}

/** PUT /admin/warehouses/{warehouseId}: creates or replaces the warehouse. */
export async function putWarehouse(
  deps: Pick<StoreDeps, 'store'>,
  warehouseId: string,
  body: WarehouseWrite,
): Promise<Warehouse> {
  const warehouse: Warehouse = { warehouseId, ...body };
  await deps.store.putWarehouse(warehouse);
  return warehouse;
}

/** POST /admin/warehouses/{warehouseId}/allocations: adds units of a SKU the warehouse can ship. */
export async function addAllocation(
  deps: StoreDeps,
  warehouseId: string,
  body: AddAllocation,
): Promise<Allocation> {
  const retry = policy(deps);
  for (let round = 0; round < retry.attempts; round++) {
    await pause(retry, round);
    const result = await deps.store.addAllocation(warehouseId, body.sku, body.quantity);
    if (result.kind === 'added') return result.allocation;
    if (result.kind === 'no-warehouse') throw new WarehouseNotFoundError(warehouseId);
  }
  throw new FulfillmentBusyError(`Allocating ${body.sku} to ${warehouseId}`);
}
