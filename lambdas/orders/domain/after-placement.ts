/**
 * What happens to an order after its saga confirmed it: fulfillment's shipment events move it to
 * FULFILLING, SHIPPED and DELIVERED (each step on the timeline with the shipment it came from),
 * the buyer or an admin may cancel it until something ships, and the refund of a cancelled order
 * is recorded when payments reports it. Every change is a read and a write conditional on the
 * version read, so concurrent events never lose one another's change, and each is idempotent:
 * an event delivered twice changes the order once.
 */

import type { EventDetail } from '#events/catalog.ts';
import { ADMIN_GROUP, type Caller } from '#shared/auth.ts';
import { ConflictError } from '#shared/errors.ts';
import { OrderNotFoundError } from './errors.ts';
import {
  CANCELLABLE,
  type Order,
  type OrderShipment,
  type ShipmentStatus,
  statusFromShipments,
  type TimelineEntry,
} from './order.ts';
import type { Fulfillment, OrderEvents, OrderRepository } from './ports.ts';

export interface AfterPlacementDeps {
  orders: OrderRepository;
  fulfillment: Fulfillment;
  events: OrderEvents;
  now?: () => Date;
}

const clock = (deps: Pick<AfterPlacementDeps, 'now'>) => (deps.now ?? (() => new Date()))();
const UPDATE_ROUNDS = 5;

/** Something that must wait: an event about an order or shipment this service has not seen yet. */
export class NotYetKnownError extends Error {
  override readonly name = 'NotYetKnown';
}

export class OrderNotCancellableError extends ConflictError {
  constructor(orderId: string, why: string) {
    super(`Order ${orderId} cannot be cancelled: ${why}.`);
  }
}

/** Concurrent writes kept changing the order: a 409 the client may retry (SQS retries an event). */
export class OrderBusyError extends ConflictError {
  constructor(orderId: string) {
    super(`Order ${orderId} kept changing under ${UPDATE_ROUNDS} updates; retry.`);
  }
}

/**
 * Applies `change` to the order until the write lands on the version read; `change` answers the
 * next order, or undefined when there is nothing to do (a repeat).
 */
async function update(
  deps: Pick<AfterPlacementDeps, 'orders'>,
  orderId: string,
  change: (order: Order) => Order | undefined,
): Promise<Order | undefined> {
  for (let round = 0; round < UPDATE_ROUNDS; round++) {
    const order = await deps.orders.get(orderId);
    if (!order) throw new NotYetKnownError(`No order ${orderId} yet.`);
    const next = change(order);
    if (!next) return order;
    if (await deps.orders.save({ ...next, version: order.version + 1 }, order.version)) return next;
  }
  throw new OrderBusyError(orderId);
}

export type ShipmentEvent =
  | { kind: 'created'; detail: EventDetail<'ShipmentCreated'> }
  | { kind: 'shipped'; detail: EventDetail<'ShipmentShipped'> }
  | { kind: 'delivered'; detail: EventDetail<'ShipmentDelivered'> };

const RANK: Record<ShipmentStatus, number> = { CREATED: 0, SHIPPED: 1, DELIVERED: 2, CANCELLED: 3 };

/** The order after one shipment event, or undefined when it changes nothing (a repeat, or late). */
export function withShipmentEvent(order: Order, event: ShipmentEvent, at: string): Order | undefined {
  const shipments: OrderShipment[] = [...(order.shipments ?? [])];
  const { shipmentId } = event.detail;
  const index = shipments.findIndex((s) => s.shipmentId === shipmentId);
  const known = shipments[index];
  let status: ShipmentStatus;
  let expected = order.shipmentsExpected;
  if (event.kind === 'created') {
    if (known) return undefined;
    // A shipment routed just before the order was cancelled is cancelled with it.
    status = order.status === 'CANCELLED' ? 'CANCELLED' : 'CREATED';
    shipments.push({
      shipmentId,
      warehouseId: event.detail.warehouseId,
      items: event.detail.items,
      status,
    });
    expected = event.detail.shipmentsInOrder;
  } else {
    // Shipped or delivered before this service saw it created: retried until it has.
    if (!known)
      throw new NotYetKnownError(`Shipment ${shipmentId} of order ${order.orderId} is not known yet.`);
    status = event.kind === 'shipped' ? 'SHIPPED' : 'DELIVERED';
    if (RANK[known.status] >= RANK[status]) return undefined;
    shipments[index] = {
      ...known,
      status,
      ...(event.kind === 'shipped' ? { trackingNumber: event.detail.trackingNumber } : {}),
    };
  }
  const nextStatus = statusFromShipments({ status: order.status, shipmentsExpected: expected }, shipments);
  const entry: TimelineEntry = { status: nextStatus, at, shipmentId, shipmentStatus: status };
  return {
    ...order,
    status: nextStatus,
    shipments,
    ...(expected === undefined ? {} : { shipmentsExpected: expected }),
    timeline: [...order.timeline, entry],
    updatedAt: at,
  };
}

export async function applyShipmentEvent(
  deps: Pick<AfterPlacementDeps, 'orders' | 'now'>,
  event: ShipmentEvent,
) {
  const at = clock(deps).toISOString();
  return update(deps, event.detail.orderId, (order) => withShipmentEvent(order, event, at));
}

/** PaymentRefunded: the order's payment is REFUNDED (once). */
export async function applyRefund(
  deps: Pick<AfterPlacementDeps, 'orders' | 'now'>,
  detail: EventDetail<'PaymentRefunded'>,
) {
  const at = clock(deps).toISOString();
  return update(deps, detail.orderId, (order) =>
    order.payment.status === 'REFUNDED' || order.status !== 'CANCELLED'
      ? undefined
      : { ...order, payment: { ...order.payment, status: 'REFUNDED' }, updatedAt: at },
  );
}

function cancelledEvent(order: Order, at: string): EventDetail<'OrderCancelled'> {
  return {
    version: 1,
    orderId: order.orderId,
    userId: order.userId,
    lines: order.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
    refund: order.total,
    contact: order.contact ?? {},
    cancelledAt: order.timeline.find((t) => t.status === 'CANCELLED')?.at ?? at,
  };
}

/**
 * POST /orders/{orderId}/cancel: by its owner or an admin, while nothing has shipped. Fulfillment
 * cancels the shipments first (all or nothing, refused when one shipped: 409); then the order is
 * CANCELLED and OrderCancelled is published, on which payments refund the capture and inventory
 * returns the stock. A repeat answers the same and publishes the event again, which closes the
 * window of a crash before the first publish (its consumers are idempotent).
 */
export async function cancelOrder(
  deps: AfterPlacementDeps,
  caller: Caller,
  orderId: string,
): Promise<{ orderId: string; status: 'CANCELLED' }> {
  const order = await deps.orders.get(orderId);
  if (!order || (order.userId !== caller.sub && !caller.groups.some((g) => g === ADMIN_GROUP))) {
    throw new OrderNotFoundError(orderId);
  }
  const at = clock(deps).toISOString();
  if (order.status !== 'CANCELLED') {
    if (order.status === 'PENDING') throw new OrderNotCancellableError(orderId, 'it is still being placed');
    if (!CANCELLABLE.includes(order.status))
      throw new OrderNotCancellableError(orderId, `it is ${order.status}`);
    if ((await deps.fulfillment.cancelShipments(orderId)) === 'shipped') {
      throw new OrderNotCancellableError(orderId, 'a shipment has shipped');
    }
    const cancelled = await update(deps, orderId, (current) => {
      if (current.status === 'CANCELLED') return undefined;
      if (!CANCELLABLE.includes(current.status))
        throw new OrderNotCancellableError(orderId, `it is ${current.status}`);
      return {
        ...current,
        status: 'CANCELLED',
        payment: { ...current.payment, status: 'REFUND_PENDING' },
        shipments: (current.shipments ?? []).map((s) => ({ ...s, status: 'CANCELLED' as const })),
        timeline: [...current.timeline, { status: 'CANCELLED', at }],
        updatedAt: at,
      };
    });
    await deps.events.publish('OrderCancelled', cancelledEvent(cancelled as Order, at));
  } else {
    await deps.events.publish('OrderCancelled', cancelledEvent(order, at));
  }
  return { orderId, status: 'CANCELLED' };
}
