/**
 * Shipments and their tracking states. A shipment is CREATED when its order is routed, then moves
 * CREATED -> SHIPPED -> DELIVERED on carrier callbacks, or CREATED -> CANCELLED when its order is
 * cancelled before it left the warehouse. Nothing else: the transition rules are `decideCarrierEvent`.
 */
import { createHash } from 'node:crypto';
import type { RouteLine } from './routing.ts';

export type ShipmentStatus = 'CREATED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
export type CarrierStatus = 'SHIPPED' | 'DELIVERED';

export interface Contact {
  email?: string;
  phone?: string;
}

export interface Shipment {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  items: RouteLine[];
  status: ShipmentStatus;
  trackingNumber?: string;
  /** The buyer's contact, copied from OrderPlaced: the tracking events carry it. */
  contact: Contact;
  createdAt: string;
  updatedAt: string;
  history: { status: ShipmentStatus; at: string }[];
  /** Internal: a CANCELLED shipment whose units went back to the warehouse's allocation. */
  released?: boolean;
  /**
   * Internal outbox: the carrier status whose event is not known to be published yet (set with
   * the transition, cleared after PutEvents), so a crash between the two is repaired by the next
   * callback instead of losing the event.
   */
  unpublished?: CarrierStatus;
}

/** What the admin routes and the cancel call answer: the shipment without internal markers. */
export type ShipmentView = Omit<Shipment, 'released' | 'unpublished'>;

export function viewShipment(s: Shipment): ShipmentView {
  const { released: _released, unpublished: _unpublished, ...view } = s;
  return view;
}

/** The shipment as the order shows it (API.md, "Checkout and orders"). */
export interface OrderShipment {
  shipmentId: string;
  warehouseId: string;
  items: RouteLine[];
  status: ShipmentStatus;
  trackingNumber?: string;
}

export function orderShipmentOf(s: Shipment): OrderShipment {
  return {
    shipmentId: s.shipmentId,
    warehouseId: s.warehouseId,
    items: s.items,
    status: s.status,
    ...(s.trackingNumber ? { trackingNumber: s.trackingNumber } : {}),
  };
}

/**
 * The id of an order's shipment from one warehouse: derived, not random, so routing the same
 * order again can never make a second set of shipments.
 */
export function shipmentIdOf(orderId: string, warehouseId: string): string {
  return `shp_${createHash('sha256').update(`${orderId}\u0000${warehouseId}`).digest('hex').slice(0, 24)}`;
}

export interface CarrierEvent {
  status: CarrierStatus;
  trackingNumber?: string;
}

export type CarrierDecision =
  /** A real transition: write `next` on condition the shipment is still `from`, then publish. */
  | { kind: 'transition'; from: ShipmentStatus; next: Shipment }
  /** The same transition again (a carrier's retry): nothing to write or publish. */
  | { kind: 'repeat' }
  /** Not a legal move from the shipment's status: 409 with this reason. */
  | { kind: 'illegal'; reason: string };

/**
 * What a carrier callback does to a shipment:
 * - SHIPPED: CREATED -> SHIPPED recording the tracking number; again with the same number while
 *   SHIPPED or DELIVERED is a repeat (callbacks arrive late and twice); another number, or a
 *   CANCELLED shipment, is illegal.
 * - DELIVERED: SHIPPED -> DELIVERED; again while DELIVERED is a repeat; before SHIPPED, or on a
 *   CANCELLED shipment, illegal. A tracking number sent with it must be the shipment's.
 */
export function decideCarrierEvent(shipment: Shipment, event: CarrierEvent, now: Date): CarrierDecision {
  const at = now.toISOString();
  const { status } = shipment;
  const tracking = event.trackingNumber;
  if (status === 'CANCELLED') {
    return { kind: 'illegal', reason: `Shipment ${shipment.shipmentId} was cancelled.` };
  }
  if (
    tracking !== undefined &&
    shipment.trackingNumber !== undefined &&
    tracking !== shipment.trackingNumber
  ) {
    return {
      kind: 'illegal',
      reason: `Shipment ${shipment.shipmentId} was shipped with another tracking number.`,
    };
  }
  if (event.status === 'SHIPPED') {
    if (status === 'SHIPPED' || status === 'DELIVERED') return { kind: 'repeat' };
    if (!tracking) return { kind: 'illegal', reason: 'SHIPPED needs a tracking number.' };
    return {
      kind: 'transition',
      from: status,
      next: {
        ...shipment,
        status: 'SHIPPED',
        trackingNumber: tracking,
        updatedAt: at,
        history: [...shipment.history, { status: 'SHIPPED', at }],
      },
    };
  }
  if (status === 'DELIVERED') return { kind: 'repeat' };
  if (status === 'CREATED') {
    return { kind: 'illegal', reason: `Shipment ${shipment.shipmentId} has not shipped yet.` };
  }
  return {
    kind: 'transition',
    from: status,
    next: {
      ...shipment,
      status: 'DELIVERED',
      updatedAt: at,
      history: [...shipment.history, { status: 'DELIVERED', at }],
    },
  };
}

/** A CREATED shipment cancelled with its order. */
export function cancelled(shipment: Shipment, now: Date): Shipment {
  const at = now.toISOString();
  return {
    ...shipment,
    status: 'CANCELLED',
    updatedAt: at,
    history: [...shipment.history, { status: 'CANCELLED', at }],
  };
}

/** The per-order routing record: its presence is what makes routing an order happen once. */
export interface RoutingRecord {
  orderId: string;
  /** `cancelled`: the order was cancelled (before routing, or with its shipments); routing it does nothing. */
  status: 'routed' | 'cancelled';
  /** The order's shipments as created (ids, warehouses, items), for re-publishing and lookups. */
  shipments: { shipmentId: string; warehouseId: string; items: RouteLine[] }[];
  createdAt: string;
  updatedAt: string;
}
