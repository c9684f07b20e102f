/**
 * In-memory doubles of the orders ports, on the rules the real adapters state: the repository as
 * `dynamodb-order-repository.ts` (create conditional on absence, settling only from PENDING,
 * listing newest first by (createdAt, orderId)), and a workflow whose executions are named after
 * the order, so a second start of one is refused.
 */
import { type Cart, type CartLine, newGuestCartId, userCartId } from '#cart/domain/cart.ts';
import type { FailureReason, Order, PaymentStatus } from '#orders/domain/order.ts';
import type { CartReader, Catalog, OrderPage, OrderRepository, Workflow } from '#orders/domain/ports.ts';
import type { CheckoutRequest } from '#orders/domain/schemas.ts';
import type { OrdersDeps } from '#orders/domain/use-cases.ts';
import type { Caller } from '#shared/auth.ts';

export const usd = (amount: number) => ({ amount, currency: 'USD' as const });

const createdKey = (o: Pick<Order, 'createdAt' | 'orderId'>) => `${o.createdAt}#${o.orderId}`;

export class InMemoryOrders implements OrderRepository {
  readonly orders = new Map<string, Order>();
  /** Successful writes (create, confirm, fail, flag): a refused write is not counted. */
  writes = 0;
  creates = 0;
  /** Runs inside `create` before its condition is checked: lets a test win the race for the id. */
  beforeCreate?: (order: Order) => void;

  async create(order: Order): Promise<{ created: true } | { created: false; existing: Order }> {
    this.creates++;
    this.beforeCreate?.(order);
    const existing = this.orders.get(order.orderId);
    if (existing) return { created: false, existing: structuredClone(existing) };
    this.orders.set(order.orderId, structuredClone(order));
    this.writes++;
    return { created: true };
  }

  async get(orderId: string) {
    const order = this.orders.get(orderId);
    return order && structuredClone(order);
  }

  /** Writes whole, only at the expected version (the adapter's condition). */
  async save(next: Order, expectedVersion: number) {
    const current = this.orders.get(next.orderId);
    if (!current || current.version !== expectedVersion) return false;
    this.orders.set(next.orderId, structuredClone(next));
    this.writes++;
    return true;
  }

  async listByUser(
    userId: string,
    limit: number,
    after?: Pick<Order, 'orderId' | 'createdAt'>,
  ): Promise<OrderPage> {
    const all = [...this.orders.values()]
      .filter((o) => o.userId === userId)
      .sort((a, b) => (createdKey(a) < createdKey(b) ? 1 : createdKey(a) > createdKey(b) ? -1 : 0));
    const start = after ? all.filter((o) => createdKey(o) < createdKey(after)) : all;
    const orders = start.slice(0, limit).map((o) => structuredClone(o));
    const last = orders[orders.length - 1];
    // Like a Query with Limit: a full page carries LastEvaluatedKey, whether or not more follow.
    return {
      orders,
      ...(orders.length === limit && last
        ? { last: { orderId: last.orderId, createdAt: last.createdAt } }
        : {}),
    };
  }

  private settle(
    orderId: string,
    at: Date,
    change: (order: Order) => void,
    entry: Order['timeline'][number],
  ) {
    const order = this.orders.get(orderId);
    if (order?.status !== 'PENDING') return false;
    change(order);
    order.timeline.push(entry);
    order.updatedAt = at.toISOString();
    order.version += 1;
    this.writes++;
    return true;
  }

  async confirm(orderId: string, payment: PaymentStatus, at: Date) {
    return this.settle(
      orderId,
      at,
      (order) => {
        order.status = 'CONFIRMED';
        order.payment.status = payment;
      },
      { status: 'CONFIRMED', at: at.toISOString() },
    );
  }

  async fail(
    orderId: string,
    failure: { reason: FailureReason; message: string; payment: PaymentStatus },
    at: Date,
  ) {
    return this.settle(
      orderId,
      at,
      (order) => {
        order.status = 'FAILED';
        order.failureReason = failure.reason;
        order.failureMessage = failure.message;
        order.payment.status = failure.payment;
      },
      { status: 'FAILED', reason: failure.reason, at: at.toISOString() },
    );
  }

  async flag(orderId: string, error: string, at: Date) {
    const order = this.orders.get(orderId);
    // No order to flag: the adapter swallows the failed condition too.
    if (!order) return;
    order.attention = { at: at.toISOString(), error };
    order.version++;
    order.updatedAt = at.toISOString();
    this.writes++;
  }

  async pendingBefore(before: Date, limit: number) {
    return [...this.orders.values()]
      .filter((o) => o.status === 'PENDING' && o.createdAt < before.toISOString())
      .slice(0, limit)
      .map((o) => o.orderId);
  }
}

export class InMemoryCartReader implements CartReader {
  readonly carts = new Map<string, Cart>();

  put(cart: Cart) {
    this.carts.set(cart.cartId, structuredClone(cart));
    return cart;
  }

  async get(cartId: string) {
    const cart = this.carts.get(cartId);
    return cart && structuredClone(cart);
  }
}

type CatalogSku = Awaited<ReturnType<Catalog['getSkus']>>[number];

export class InMemoryCatalog implements Catalog {
  readonly skus = new Map<string, CatalogSku>();

  set(sku: string, amount: number, name = `Product ${sku}`) {
    this.skus.set(sku, { sku, productId: `p-${sku}`, name, price: usd(amount) });
  }

  async getSkus(skus: readonly string[]) {
    return skus.flatMap((sku) => {
      const found = this.skus.get(sku);
      return found ? [structuredClone(found)] : [];
    });
  }
}

export class RecordingWorkflow implements Workflow {
  /** Every start asked for, in order, repeats included. */
  readonly starts: string[] = [];
  private readonly executions = new Set<string>();

  async start(orderId: string) {
    this.starts.push(orderId);
    if (this.executions.has(orderId)) return false;
    this.executions.add(orderId);
    return true;
  }
}

export const alice: Caller = { sub: 'alice', groups: [], email: 'alice@example.com' };
export const bob: Caller = { sub: 'bob', groups: [] };
export const admin: Caller = { sub: 'root', groups: ['admin'] };

export const START = new Date('2026-05-01T08:00:00.000Z');

export function line(sku: string, amount: number, quantity = 1): CartLine {
  return {
    sku,
    productId: `p-${sku}`,
    name: `Cart name ${sku}`,
    quantity,
    unitPrice: usd(amount),
    addedAt: '2026-04-30T10:00:00.000Z',
  };
}

export function userCart(userId: string, lines: CartLine[]): Cart {
  return {
    cartId: userCartId(userId),
    ownerId: userId,
    lines,
    version: 1,
    createdAt: '2026-04-30T10:00:00.000Z',
    updatedAt: '2026-04-30T10:00:00.000Z',
  };
}

export function guestCart(lines: CartLine[], expiresAt: number): Cart {
  return {
    cartId: newGuestCartId(),
    lines,
    version: 1,
    createdAt: '2026-04-30T10:00:00.000Z',
    updatedAt: '2026-04-30T10:00:00.000Z',
    expiresAt,
  };
}

export const address = {
  name: 'Alice Liddell',
  line1: '1 Rabbit Hole',
  city: 'Oxford',
  postalCode: 'OX1 1AA',
  country: 'GB',
};

export function checkoutOf(cartId: string, token = 'tok_visa'): CheckoutRequest {
  return { cartId, shippingAddress: { ...address }, payment: { token } };
}

export function setup() {
  const orders = new InMemoryOrders();
  const carts = new InMemoryCartReader();
  const catalog = new InMemoryCatalog();
  const workflow = new RecordingWorkflow();
  catalog.set('A', 1000);
  catalog.set('B', 250);
  let now = START;
  const deps: OrdersDeps = { orders, carts, catalog, workflow, now: () => now };
  return {
    deps,
    orders,
    carts,
    catalog,
    workflow,
    now: () => now,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}
