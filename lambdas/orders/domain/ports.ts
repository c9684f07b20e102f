import type { Cart } from '#cart/domain/cart.ts';
import type { EventDetail, EventName } from '#events/catalog.ts';
import type { FailureReason, Order, PaymentStatus } from './order.ts';

export interface OrderPage {
  orders: Order[];
  /** The last order of the page when more may follow. */
  last?: Pick<Order, 'orderId' | 'createdAt'>;
}

/** What orders need from storage; the DynamoDB adapter implements it. Reads are strongly consistent. */
export interface OrderRepository {
  /** Stores a new PENDING order; when one with its id exists, nothing is written and it is returned. */
  create(order: Order): Promise<{ created: true } | { created: false; existing: Order }>;
  get(orderId: string): Promise<Order | undefined>;
  /** The user's orders, newest first, after `after` (exclusive). */
  listByUser(userId: string, limit: number, after?: Pick<Order, 'orderId' | 'createdAt'>): Promise<OrderPage>;
  /** PENDING -> CONFIRMED with the captured payment; false when the order is not PENDING. */
  confirm(orderId: string, payment: PaymentStatus, at: Date): Promise<boolean>;
  /** PENDING -> FAILED; false when the order is not PENDING. */
  fail(
    orderId: string,
    failure: { reason: FailureReason; message: string; payment: PaymentStatus },
    at: Date,
  ): Promise<boolean>;
  /** Flags the order for a person to look at (whatever its status). */
  flag(orderId: string, error: string, at: Date): Promise<void>;
  /** Ids of orders still PENDING that were created before `before`, at most `limit`. */
  pendingBefore(before: Date, limit: number): Promise<string[]>;
  /** Writes the order whole, only if it is still at `expectedVersion`; false when it moved on. */
  save(next: Order, expectedVersion: number): Promise<boolean>;
}

/** Fulfillment's cancel call: every shipment of the order cancelled, or none when one shipped. */
export interface Fulfillment {
  cancelShipments(orderId: string): Promise<'cancelled' | 'none' | 'shipped'>;
}

/** The catalogue events orders publishes after placement. */
export interface OrderEvents {
  publish<E extends EventName>(name: E, detail: EventDetail<E>): Promise<void>;
}

/** The carts an order is placed from: the cart service's read module. */
export interface CartReader {
  get(cartId: string): Promise<Cart | undefined>;
}

/** Current names and prices: the catalog's read module. Unknown SKUs are absent. */
export interface Catalog {
  getSkus(
    skus: readonly string[],
  ): Promise<{ sku: string; productId: string; name: string; price: { amount: number; currency: 'USD' } }[]>;
}

/** The checkout saga: one Standard execution per order, named after it. */
export interface Workflow {
  /** Starts the order's saga; a second start of the same order is harmless and answers false. */
  start(orderId: string): Promise<boolean>;
}
