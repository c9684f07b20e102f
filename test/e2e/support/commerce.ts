/**
 * What the order-flow suites share: products with stock received and allocated to warehouses,
 * buyers with a cart, checkout, and polling an order until a condition holds, all through the API.
 */
import { DEMO_WAREHOUSES } from '../../../lambdas/fulfillment/seed.ts';
import { api, client, eventually, ok, productBody, type Schemas, uniqueSku } from './fixtures.ts';

export const ADDRESS: Schemas['Address'] = {
  name: 'Ada Buyer',
  line1: '1 Test Street',
  city: 'Springfield',
  region: 'NJ',
  postalCode: '12345',
  country: 'US',
};

export type Money = Schemas['Money'];
export type Order = Schemas['Order'];

export interface Buyer {
  sub: string;
  token: string;
  cartId: string;
  email: string;
  phone?: string;
}

const run = Math.random().toString(36).slice(2, 8);
let buyers = 0;

export const newKey = () => `key-${run}-${Math.random().toString(36).slice(2, 12)}`;

/** The demo warehouses, as the seed writes them (PUT is idempotent). */
export async function ensureWarehouses(admin: string): Promise<void> {
  for (const { warehouseId, ...body } of DEMO_WAREHOUSES) {
    ok(
      await api(admin).PUT('/admin/warehouses/{warehouseId}', { params: { path: { warehouseId } }, body }),
      200,
    );
  }
}

/**
 * A product of one SKU at `price` with stock received and allocated: `at` names the units per
 * warehouse (all to us-east by default), and the stock received is their sum.
 */
export async function product(
  admin: string,
  price = 1999,
  at: Record<string, number> = { 'us-east': 100 },
): Promise<{ sku: string; productId: string; received: number }> {
  const sku = uniqueSku('FL');
  const created = ok(
    await api(admin).POST('/admin/products', {
      body: productBody({
        variants: [{ sku, attributes: { size: 'M' }, price: { amount: price, currency: 'USD' } }],
      }),
    }),
    201,
  );
  const received = Object.values(at).reduce((a, b) => a + b, 0);
  if (received > 0) {
    ok(
      await api(admin).POST('/admin/inventory/{sku}/receive', {
        params: { path: { sku } },
        body: { quantity: received },
      }),
      200,
    );
  }
  for (const [warehouseId, quantity] of Object.entries(at)) {
    ok(
      await api(admin).POST('/admin/warehouses/{warehouseId}/allocations', {
        params: { path: { warehouseId } },
        body: { sku, quantity },
      }),
      200,
    );
  }
  return { sku, productId: created.productId, received };
}

export async function buyer(
  lines: [string, number][] = [],
  options: { phone?: string } = {},
): Promise<Buyer> {
  const sub = `buyer-${run}-${++buyers}`;
  const email = `${sub}@example.com`;
  const token = await client.token({ sub, email, ...(options.phone ? { phone: options.phone } : {}) });
  const { cartId } = ok(await api(token).GET('/me/cart'), 200);
  for (const [sku, quantity] of lines) {
    ok(
      await api(token).POST('/carts/{cartId}/items', {
        params: { path: { cartId } },
        body: { sku, quantity },
      }),
      200,
    );
  }
  return { sub, token, cartId, email, ...(options.phone ? { phone: options.phone } : {}) };
}

export async function checkout(b: Buyer, card = 'tok_visa', key = newKey()): Promise<string> {
  const placed = await api(b.token).POST('/checkout', {
    params: { header: { 'idempotency-key': key } },
    body: { cartId: b.cartId, shippingAddress: ADDRESS, payment: { token: card } },
  });
  return ok(placed, 202).orderId;
}

export async function orderOf(token: string, orderId: string): Promise<Order> {
  return ok(await api(token).GET('/orders/{orderId}', { params: { path: { orderId } } }), 200);
}

/** Polls the order until `done` holds; answers the order. */
export async function orderWhen(
  token: string,
  orderId: string,
  done: (o: Order) => boolean,
  timeoutMs = 60_000,
): Promise<Order> {
  let last: Order | undefined;
  try {
    await eventually(
      async () => {
        last = await orderOf(token, orderId);
        return done(last);
      },
      timeoutMs,
      100,
    );
  } catch (error) {
    throw new Error(`order ${orderId} never got there; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
  return last as Order;
}
