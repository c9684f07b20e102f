/**
 * What the order-flow suites share: products with stock received and allocated to warehouses,
 * buyers with a cart, checkout, and polling an order until a condition holds, all through the API.
 */
import { expect } from 'vitest';
import { DEMO_WAREHOUSES } from '../../../lambdas/fulfillment/seed.ts';
import { client, eventually, productBody, uniqueSku } from './fixtures.ts';

export const ADDRESS = {
  name: 'Ada Buyer',
  line1: '1 Test Street',
  city: 'Springfield',
  region: 'NJ',
  postalCode: '12345',
  country: 'US',
};

export interface Money {
  amount: number;
  currency: string;
}

export interface Order {
  orderId: string;
  userId: string;
  status: string;
  items: { sku: string; quantity: number; unitPrice: Money; lineTotal: Money }[];
  subtotal: Money;
  shipping: Money;
  total: Money;
  payment: { status: string; amount: Money };
  failureReason?: string;
  failureMessage?: string;
  shipments: {
    shipmentId: string;
    warehouseId: string;
    items: { sku: string; quantity: number }[];
    status: string;
    trackingNumber?: string;
  }[];
  timeline: { status: string; at: string; reason?: string; shipmentId?: string; shipmentStatus?: string }[];
}

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
    const res = await client.request('PUT', `/admin/warehouses/${warehouseId}`, { token: admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
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
  const created = await client.request<{ productId: string }>('POST', '/admin/products', {
    token: admin,
    body: productBody({
      variants: [{ sku, attributes: { size: 'M' }, price: { amount: price, currency: 'USD' } }],
    }),
  });
  expect(created.status).toBe(201);
  const received = Object.values(at).reduce((a, b) => a + b, 0);
  if (received > 0) {
    const res = await client.request('POST', `/admin/inventory/${sku}/receive`, {
      token: admin,
      body: { quantity: received },
    });
    expect(res.status).toBe(200);
  }
  for (const [warehouseId, quantity] of Object.entries(at)) {
    const res = await client.request('POST', `/admin/warehouses/${warehouseId}/allocations`, {
      token: admin,
      body: { sku, quantity },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return { sku, productId: created.body.productId, received };
}

export async function buyer(
  lines: [string, number][] = [],
  options: { phone?: string } = {},
): Promise<Buyer> {
  const sub = `buyer-${run}-${++buyers}`;
  const email = `${sub}@example.com`;
  const token = await client.token({ sub, email, ...(options.phone ? { phone: options.phone } : {}) });
  const cart = await client.request<{ cartId: string }>('GET', '/me/cart', { token });
  for (const [sku, quantity] of lines) {
    const added = await client.request('POST', `/carts/${cart.body.cartId}/items`, {
      token,
      body: { sku, quantity },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  return { sub, token, cartId: cart.body.cartId, email, ...(options.phone ? { phone: options.phone } : {}) };
}

export async function checkout(b: Buyer, card = 'tok_visa', key = newKey()): Promise<string> {
  const res = await client.request<{ orderId: string }>('POST', '/checkout', {
    token: b.token,
    body: { cartId: b.cartId, shippingAddress: ADDRESS, payment: { token: card } },
    headers: { 'idempotency-key': key },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.orderId;
}

export async function orderOf(token: string, orderId: string): Promise<Order> {
  const res = await client.request<Order>('GET', `/orders/${orderId}`, { token });
  expect(res.status).toBe(200);
  return res.body;
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
