/**
 * The order model and its rules: ids, the price snapshot and totals, statuses and their
 * timeline, and how a saga failure becomes a failure reason. Pure: no AWS, no HTTP.
 */
import { createHash } from 'node:crypto';

export interface Money {
  amount: number;
  currency: 'USD';
}

export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'FULFILLING',
  'SHIPPED',
  'DELIVERED',
  'FAILED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FAILURE_REASONS = [
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'PRICE_CHANGED',
  'EMPTY_CART',
  'INTERNAL',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** What the order knows of its payment; the provider's ledger is the record of the money. */
export const PAYMENT_STATUSES = [
  'NONE',
  'CAPTURED',
  'VOIDED',
  'REFUNDED',
  'DECLINED',
  'REFUND_PENDING',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

/** One line of the price snapshot taken at checkout. */
export interface OrderLine {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  /** The catalog's price when the order was placed: what is charged. */
  unitPrice: Money;
  /** The price the buyer saw in the cart; a difference fails the order with PRICE_CHANGED. */
  cartPrice: Money;
  lineTotal: Money;
}

export const SHIPMENT_STATUSES = ['CREATED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** A shipment as the order knows it, from fulfillment's events. */
export interface OrderShipment {
  shipmentId: string;
  warehouseId: string;
  items: { sku: string; quantity: number }[];
  status: ShipmentStatus;
  trackingNumber?: string;
}

export interface TimelineEntry {
  status: OrderStatus;
  at: string;
  /** Why, for a FAILED entry. */
  reason?: FailureReason;
  /** The shipment whose event this entry records, and what happened to it. */
  shipmentId?: string;
  shipmentStatus?: ShipmentStatus;
}

export interface Order {
  orderId: string;
  userId: string;
  cartId: string;
  status: OrderStatus;
  items: OrderLine[];
  subtotal: Money;
  shipping: Money;
  total: Money;
  shippingAddress: Address;
  payment: { status: PaymentStatus; amount: Money };
  /** The provider token the saga charges; never shown in a view. */
  paymentToken: string;
  /** Digest of the checkout request: a repeat of the key with another request is refused. */
  requestDigest: string;
  failureReason?: FailureReason;
  /** A sentence for people (support, the buyer's app) on why it failed. */
  failureMessage?: string;
  /** A compensation could not finish: someone must look (the saga's DLQ has the details). */
  attention?: { at: string; error: string };
  /** The buyer's contact as their token stated it at checkout (for notifications). */
  contact?: { email?: string; phone?: string };
  /** Filled in from fulfillment's events once the order is routed. */
  shipments?: OrderShipment[];
  /** How many shipments fulfillment split the order into. */
  shipmentsExpected?: number;
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
  /** +1 per write. */
  version: number;
}

/**
 * An order's id is derived from the buyer and their Idempotency-Key, so every retry of one
 * checkout (even after a crash between writing the order and starting its saga) names the same
 * order and the same execution. Another user's same key gives another id.
 */
export function orderIdFor(userId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`order\n${userId}\n${idempotencyKey}`).digest('base64url');
  return `ord_${digest.slice(0, 32)}`;
}

export const ORDER_ID_PATTERN = /^ord_[A-Za-z0-9_-]{32}$/;

export const usd = (amount: number): Money => ({ amount, currency: 'USD' });

/** Orders of at least this subtotal ship free; others pay the flat rate. */
export const FREE_SHIPPING_FROM = 5000;
export const FLAT_SHIPPING = 599;

export function shippingFor(subtotal: Money): Money {
  return usd(subtotal.amount >= FREE_SHIPPING_FROM ? 0 : FLAT_SHIPPING);
}

export interface Totals {
  subtotal: Money;
  shipping: Money;
  total: Money;
}

export function totalsOf(lines: readonly Pick<OrderLine, 'lineTotal'>[]): Totals {
  const subtotal = usd(lines.reduce((sum, line) => sum + line.lineTotal.amount, 0));
  const shipping = shippingFor(subtotal);
  return { subtotal, shipping, total: usd(subtotal.amount + shipping.amount) };
}

/** Lines whose price moved between the cart and checkout, which the buyer has not seen. */
export function repricedLines(order: Pick<Order, 'items'>): OrderLine[] {
  return order.items.filter((line) => line.unitPrice.amount !== line.cartPrice.amount);
}

export const isSettled = (status: OrderStatus) => status !== 'PENDING';

/** Statuses from which an order may still be cancelled (nothing has shipped). */
export const CANCELLABLE: readonly OrderStatus[] = ['CONFIRMED', 'FULFILLING'];

/** The order's status once its shipments are as given: all delivered, all shipped, or routed. */
export function statusFromShipments(
  order: Pick<Order, 'status' | 'shipmentsExpected'>,
  shipments: readonly OrderShipment[],
): OrderStatus {
  if (order.status === 'CANCELLED' || order.status === 'FAILED' || order.status === 'PENDING')
    return order.status;
  const live = shipments.filter((s) => s.status !== 'CANCELLED');
  const complete = live.length > 0 && live.length >= (order.shipmentsExpected ?? live.length);
  if (complete && live.every((s) => s.status === 'DELIVERED')) return 'DELIVERED';
  if (complete && live.every((s) => s.status === 'SHIPPED' || s.status === 'DELIVERED')) return 'SHIPPED';
  return live.length > 0 ? 'FULFILLING' : order.status;
}

/** A saga error as Step Functions catches it: `{ Error, Cause }`. */
export interface SagaError {
  Error: string;
  Cause?: string;
}

/**
 * The failure reason of a caught saga error. Step errors carry their domain name (OutOfStock,
 * PaymentDeclined...); anything else (timeouts, crashes, bugs) is INTERNAL.
 */
export function failureReasonOf(error: SagaError | undefined): FailureReason {
  switch (error?.Error) {
    case 'OutOfStock':
      return 'OUT_OF_STOCK';
    case 'PaymentDeclined':
      return 'PAYMENT_DECLINED';
    case 'PriceChanged':
      return 'PRICE_CHANGED';
    case 'EmptyCart':
      return 'EMPTY_CART';
    default:
      return 'INTERNAL';
  }
}

const FRIENDLY: Record<FailureReason, string> = {
  OUT_OF_STOCK: 'Some items are out of stock.',
  PAYMENT_DECLINED: 'The payment was declined.',
  PRICE_CHANGED:
    'A price changed since the items were added to the cart; review the cart and check out again.',
  EMPTY_CART: 'The cart was empty.',
  INTERNAL: 'The order could not be completed; nothing was charged.',
};

/**
 * The sentence shown with a failure: the step's own message where it is meant for people (which
 * SKUs were short), else a generic one that leaks nothing internal.
 */
export function failureMessageOf(reason: FailureReason, error: SagaError | undefined): string {
  if (reason === 'INTERNAL' || !error?.Cause) return FRIENDLY[reason];
  try {
    const cause = JSON.parse(error.Cause) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string' && cause.errorMessage.length <= 500) return cause.errorMessage;
  } catch {
    // Not a Lambda error document.
  }
  return FRIENDLY[reason];
}

/** The order as clients see it: everything but the payment token and internal keys. */
export type OrderView = Omit<
  Order,
  | 'paymentToken'
  | 'requestDigest'
  | 'cartId'
  | 'version'
  | 'attention'
  | 'contact'
  | 'items'
  | 'shipments'
  | 'shipmentsExpected'
> & {
  items: Omit<OrderLine, 'cartPrice'>[];
  shipments: OrderShipment[];
};

export function viewOrder(order: Order): OrderView {
  const {
    paymentToken: _token,
    requestDigest: _digest,
    cartId: _cart,
    version: _version,
    attention: _attention,
    contact: _contact,
    shipmentsExpected: _expected,
    shipments,
    items,
    ...rest
  } = order;
  return {
    ...rest,
    items: items.map(({ cartPrice: _seen, ...line }) => line),
    // Fulfillment's events fill these in once it routes the order.
    shipments: shipments ?? [],
  };
}
