/**
 * Orders use cases over the ports, no AWS, no HTTP: placing an order (the checkout route), reading
 * and listing orders, and the saga's order steps (validate, confirm, fail, flag) plus the sweeper
 * that starts sagas an interrupted checkout never started.
 */

import { createHash } from 'node:crypto';
import { canUse, isExpired, mayAddress } from '#cart/domain/cart.ts';
import { shipToOfAddress } from '#events/catalog.ts';
import { ADMIN_GROUP, type Caller } from '#shared/auth.ts';
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import {
  CheckoutCartNotFoundError,
  EmptyCartError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  orderMissing,
  orderSettled,
  priceChanged,
  UnavailableItemsError,
} from './errors.ts';
import {
  failureMessageOf,
  failureReasonOf,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OrderView,
  orderIdFor,
  type PaymentStatus,
  repricedLines,
  type SagaError,
  totalsOf,
  usd,
  viewOrder,
} from './order.ts';
import type { CartReader, Catalog, OrderRepository, Workflow } from './ports.ts';
import type { CheckoutRequest } from './schemas.ts';

export interface OrdersDeps {
  orders: OrderRepository;
  carts: CartReader;
  catalog: Catalog;
  workflow: Workflow;
  now?: () => Date;
  /** The saga steps' business figures (OrdersPlaced, OrdersFailed, CompensationsFailed). */
  metrics?: BusinessMetrics;
}

const clock = (deps: Pick<OrdersDeps, 'now'>) => (deps.now ?? (() => new Date()))();

/** A digest of the request, keys sorted: the same checkout however its JSON was spelled. */
export function requestDigest(request: CheckoutRequest): string {
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('base64url');
}

export interface PlaceOrder {
  caller: Caller;
  idempotencyKey: string;
  request: CheckoutRequest;
}

export interface Placed {
  orderId: string;
  status: OrderStatus;
}

/**
 * POST /checkout: prices the cart against the catalog, stores the PENDING order with that
 * snapshot and starts its saga. The order id derives from (user, key), so a repeat of the same
 * checkout finds its order (and starts its saga if a crash stopped the first attempt short of it);
 * the same key with another request is refused. Nothing is written for a cart that cannot be
 * checked out.
 */
export async function placeOrder(deps: OrdersDeps, input: PlaceOrder): Promise<Placed> {
  const { caller, idempotencyKey, request } = input;
  const orderId = orderIdFor(caller.sub, idempotencyKey);
  const digest = requestDigest(request);
  const known = await deps.orders.get(orderId);
  if (known) return resumed(deps, known, digest);

  const now = clock(deps);
  const { cartId } = request;
  if (!mayAddress(cartId, caller.sub)) throw new CheckoutCartNotFoundError(cartId);
  const cart = await deps.carts.get(cartId);
  if (!cart || !canUse(cart, caller.sub) || isExpired(cart, now)) throw new CheckoutCartNotFoundError(cartId);
  if (cart.lines.length === 0) throw new EmptyCartError(cartId);

  const current = new Map((await deps.catalog.getSkus(cart.lines.map((l) => l.sku))).map((s) => [s.sku, s]));
  const gone = cart.lines.filter((line) => !current.has(line.sku)).map((line) => line.sku);
  if (gone.length > 0) throw new UnavailableItemsError(gone);
  const items: OrderLine[] = cart.lines.map((line) => {
    const sku = current.get(line.sku) as NonNullable<ReturnType<typeof current.get>>;
    return {
      sku: line.sku,
      productId: sku.productId,
      name: sku.name,
      quantity: line.quantity,
      unitPrice: usd(sku.price.amount),
      cartPrice: usd(line.unitPrice.amount),
      lineTotal: usd(sku.price.amount * line.quantity),
    };
  });
  const totals = totalsOf(items);
  const at = now.toISOString();
  const order: Order = {
    orderId,
    userId: caller.sub,
    cartId,
    status: 'PENDING',
    items,
    ...totals,
    shippingAddress: request.shippingAddress,
    payment: { status: 'NONE', amount: totals.total },
    paymentToken: request.payment.token,
    requestDigest: digest,
    contact: {
      ...(caller.email ? { email: caller.email } : {}),
      ...(caller.phone ? { phone: caller.phone } : {}),
    },
    timeline: [{ status: 'PENDING', at }],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const result = await deps.orders.create(order);
  if (!result.created) return resumed(deps, result.existing, digest);
  await deps.workflow.start(orderId);
  return { orderId, status: 'PENDING' };
}

/** A repeat of a checkout that already has its order. */
async function resumed(deps: OrdersDeps, order: Order, digest: string): Promise<Placed> {
  if (order.requestDigest !== digest) throw new IdempotencyKeyReusedError();
  // Starting again is harmless (the execution is named after the order) and closes the window of
  // a crash between the write and the first start.
  if (order.status === 'PENDING') await deps.workflow.start(order.orderId);
  return { orderId: order.orderId, status: order.status };
}

/** GET /orders/{orderId}: the owner's or, for an admin, anyone's; everyone else gets a 404. */
export async function getOrder(
  deps: Pick<OrdersDeps, 'orders'>,
  caller: Caller,
  orderId: string,
): Promise<OrderView> {
  const order = await deps.orders.get(orderId);
  if (!order || (order.userId !== caller.sub && !caller.groups.some((g) => g === ADMIN_GROUP)))
    throw new OrderNotFoundError(orderId);
  return viewOrder(order);
}

export interface OrderListing {
  items: OrderView[];
  last?: Pick<Order, 'orderId' | 'createdAt'>;
}

/** GET /orders: the caller's orders, newest first. */
export async function listOrders(
  deps: Pick<OrdersDeps, 'orders'>,
  caller: Caller,
  limit: number,
  after?: Pick<Order, 'orderId' | 'createdAt'>,
): Promise<OrderListing> {
  const page = await deps.orders.listByUser(caller.sub, limit, after);
  return { items: page.orders.map(viewOrder), ...(page.last ? { last: page.last } : {}) };
}

/** What the saga carries from ValidateCart on: everything the later steps need, nothing more. */
export interface SagaOrder {
  orderId: string;
  userId: string;
  cartId: string;
  /** Minor units, and its currency: the server-computed total the payment steps charge. */
  total: number;
  currency: 'USD';
  token: string;
  lines: { sku: string; productId: string; quantity: number; unitPrice: number }[];
  /**
   * Where the order ships, as OrderPlaced v2 carries it: country and region, nothing finer. The
   * full address stays in the order record, out of the saga's state and execution history.
   */
  shipTo: { country: string; region?: string };
  /**
   * Deprecated, for one release: executions started before the deploy that moved OrderPlaced to v2
   * keep running the earlier definition, whose publish step reads `$.order.shippingAddress`; a
   * missing path there is a runtime error after the payment is captured. Drop in the next release
   * (docs/events.md, "OrderPlaced v1 and v2").
   */
  shippingAddress: Order['shippingAddress'];
  /** Always an object, so the state machine's paths into it always resolve. */
  contact: NonNullable<Order['contact']>;
}

/**
 * The saga's first step (ValidateCart): the order must still be PENDING, and every line must be
 * charged at the price the buyer saw in the cart, or the order fails with PRICE_CHANGED.
 */
export async function validateOrder(deps: Pick<OrdersDeps, 'orders'>, orderId: string): Promise<SagaOrder> {
  const order = await deps.orders.get(orderId);
  if (!order) throw orderMissing(orderId);
  if (order.status !== 'PENDING') throw orderSettled(orderId, order.status);
  const moved = repricedLines(order);
  if (moved.length > 0) throw priceChanged(moved.map((line) => line.sku));
  return {
    orderId,
    userId: order.userId,
    cartId: order.cartId,
    total: order.total.amount,
    currency: order.total.currency,
    token: order.paymentToken,
    lines: order.items.map((l) => ({
      sku: l.sku,
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: l.unitPrice.amount,
    })),
    shipTo: shipToOfAddress(order.shippingAddress),
    shippingAddress: order.shippingAddress,
    contact: order.contact ?? {},
  };
}

/** After the pivot (ConfirmOrder): CONFIRMED with the captured total. Repeats are harmless. */
export async function confirmOrder(
  deps: Pick<OrdersDeps, 'orders' | 'now' | 'metrics'>,
  orderId: string,
): Promise<{ orderId: string; status: 'CONFIRMED'; confirmedAt: string }> {
  const now = clock(deps);
  if (await deps.orders.confirm(orderId, 'CAPTURED', now)) {
    // Counted where the order moved, so a retry that finds it CONFIRMED counts nothing.
    deps.metrics?.record('OrdersPlaced');
    return { orderId, status: 'CONFIRMED', confirmedAt: now.toISOString() };
  }
  const order = await deps.orders.get(orderId);
  if (!order) throw orderMissing(orderId);
  // FAILED would mean a compensated order was committed: never retried, the execution fails and
  // alarms. CONFIRMED or later is a retry after the write: done, at the time it was done.
  if (order.status === 'FAILED' || order.status === 'PENDING') throw orderSettled(orderId, order.status);
  const confirmed = order.timeline.find((entry) => entry.status === 'CONFIRMED');
  return { orderId, status: 'CONFIRMED', confirmedAt: confirmed?.at ?? order.updatedAt };
}

export interface MarkFailed {
  orderId: string;
  /** What the Catch caught. */
  error?: SagaError;
  /** ReversePayment's result, when the compensation ran. */
  reversal?: { status?: string };
}

/** What the order records of its payment after the compensations. */
export function paymentAfterCompensation(input: MarkFailed): PaymentStatus {
  switch (input.reversal?.status) {
    case 'VOIDED':
      return 'VOIDED';
    case 'REFUNDED':
      return 'REFUNDED';
    default:
      return input.error?.Error === 'PaymentDeclined' ? 'DECLINED' : 'NONE';
  }
}

/** The compensations' last step (MarkFailed): FAILED with the reason. Repeats are harmless. */
export async function markFailed(
  deps: Pick<OrdersDeps, 'orders' | 'now' | 'metrics'>,
  input: MarkFailed,
): Promise<{ orderId: string; status: 'FAILED'; reason: string }> {
  const reason = failureReasonOf(input.error);
  const failure = {
    reason,
    message: failureMessageOf(reason, input.error),
    payment: paymentAfterCompensation(input),
  };
  if (await deps.orders.fail(input.orderId, failure, clock(deps))) {
    deps.metrics?.record('OrdersFailed', 1, reason);
  } else {
    const order = await deps.orders.get(input.orderId);
    // A missing order has nothing to mark: its saga was started for an id nothing wrote.
    if (order && order.status !== 'FAILED') throw orderSettled(input.orderId, order.status);
    // A repeat answers what the first run recorded.
    if (order?.failureReason)
      return { orderId: input.orderId, status: 'FAILED', reason: order.failureReason };
  }
  return { orderId: input.orderId, status: 'FAILED', reason };
}

/** A compensation gave up (MarkForAttention): the order is flagged; the saga's DLQ has the state. */
export async function flagForAttention(
  deps: Pick<OrdersDeps, 'orders' | 'now' | 'metrics'>,
  input: { orderId: string; error?: SagaError },
): Promise<{ orderId: string; flagged: true }> {
  const summary = input.error ? `${input.error.Error}` : 'compensation failed';
  await deps.orders.flag(input.orderId, summary.slice(0, 200), clock(deps));
  deps.metrics?.record('CompensationsFailed');
  return { orderId: input.orderId, flagged: true };
}

/** Orders are given this long to start their saga before the sweeper starts it for them. */
export const PENDING_GRACE_MS = 2 * 60 * 1000;
/** At most this many a run (5 minutes); a start takes a few milliseconds. */
export const SWEEP_BATCH = 1000;

/**
 * The sweeper: every PENDING order older than the grace period gets its saga started. A start of
 * an order whose saga runs or ran is harmless, so nothing is left PENDING for ever by a checkout
 * that crashed between the write and the start and was never retried.
 */
export async function resumePending(
  deps: Pick<OrdersDeps, 'orders' | 'workflow' | 'now'>,
): Promise<{ found: number; started: number }> {
  const before = new Date(clock(deps).getTime() - PENDING_GRACE_MS);
  const ids = await deps.orders.pendingBefore(before, SWEEP_BATCH);
  let started = 0;
  for (const id of ids) if (await deps.workflow.start(id)) started++;
  return { found: ids.length, started };
}
