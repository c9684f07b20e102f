/**
 * Checkout end to end on the local cloud: POST /checkout through the real saga (Step Functions
 * with every step a deployed function on moto), then the order, the sandbox provider's ledger and
 * the stock read back through the API. After every scenario the invariants of the design hold:
 * per SKU available + reserved + sold = received and available >= 0; per order at most one
 * capture, CONFIRMED iff the total is captured, FAILED with no net charge. Faults are armed per
 * order (`POST /dev/faults` with `orderId`), so scenarios run side by side without touching each
 * other's steps.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbInventoryStore } from '#inventory/adapters/dynamodb-inventory-store.ts';
import { reservationKey } from '#inventory/adapters/table-layout.ts';
import { reapExpired } from '#inventory/domain/use-cases.ts';
import { orderIdFor } from '#orders/domain/order.ts';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import { ensureWarehouses, type Order } from './support/commerce.ts';
import { expectDocumented } from './support/contract.ts';
import {
  adminToken,
  api,
  client,
  eventually,
  ok,
  type Problem,
  productBody,
  type Schemas,
  uniqueSku,
} from './support/fixtures.ts';

type Charge = Schemas['PspCharges']['items'][number];
type Stock = Schemas['Stock'];
type FaultMode = Schemas['FaultRequest']['mode'];

const ADDRESS: Schemas['Address'] = {
  name: 'Ada Buyer',
  line1: '1 Test Street',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};
const SETTLE_MS = 90_000;

let admin: string;
const aws = { endpoint: inject('awsEndpoint'), region: REGION, credentials: LOCAL_CREDENTIALS };
const doc = DynamoDBDocumentClient.from(new DynamoDBClient(aws));
const inventory = {
  store: new DynamoDbInventoryStore(doc, 'store-local-inventory', 'store-local-reservations'),
};

beforeAll(async () => {
  admin = await adminToken();
  ok(await api(admin).DELETE('/dev/faults'), 204);
  await ensureWarehouses(admin);
});

const run = Math.random().toString(36).slice(2, 8);
let buyers = 0;
const key = () => `key-${run}-${Math.random().toString(36).slice(2, 12)}`;

/** A product of one SKU at `price` with `stock` units received. */
async function product(price = 1999, stock = 100): Promise<{ sku: string; productId: string }> {
  const sku = uniqueSku('CO');
  const created = ok(
    await api(admin).POST('/admin/products', {
      body: productBody({
        variants: [{ sku, attributes: { size: 'M' }, price: { amount: price, currency: 'USD' } }],
      }),
    }),
    201,
  );
  if (stock > 0) {
    ok(
      await api(admin).POST('/admin/inventory/{sku}/receive', {
        params: { path: { sku } },
        body: { quantity: stock },
      }),
      200,
    );
    // Fulfillment routes confirmed orders to where the units are.
    ok(
      await api(admin).POST('/admin/warehouses/{warehouseId}/allocations', {
        params: { path: { warehouseId: 'us-east' } },
        body: { sku, quantity: stock },
      }),
      200,
    );
  }
  return { sku, productId: created.productId };
}

interface Buyer {
  sub: string;
  token: string;
  cartId: string;
}

async function buyer(lines: [string, number][] = []): Promise<Buyer> {
  const sub = `buyer-${run}-${++buyers}`;
  const token = await client.token({ sub, email: `${sub}@example.com` });
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
  return { sub, token, cartId };
}

const checkoutBody = (b: Buyer, token = 'tok_visa'): Schemas['CheckoutRequest'] => ({
  cartId: b.cartId,
  shippingAddress: ADDRESS,
  payment: { token },
});

/** POST /checkout through the typed client: the body and key are well-formed. */
function checkout(
  b: Buyer,
  options: { key?: string; card?: string; body?: Schemas['CheckoutRequest'] } = {},
) {
  return api(b.token).POST('/checkout', {
    params: { header: { 'idempotency-key': options.key ?? key() } },
    body: options.body ?? checkoutBody(b, options.card),
  });
}

/** POST /checkout as raw HTTP, for keys and bodies the document forbids. */
function rawCheckout(b: Buyer, options: { key?: string; body?: unknown } = {}) {
  return client.request<{ orderId: string; status: string } & Problem>('POST', '/checkout', {
    token: b.token,
    body: options.body ?? checkoutBody(b),
    headers: { 'idempotency-key': options.key ?? key() },
  });
}

/** The id of an accepted checkout. */
const accepted = async (placing: ReturnType<typeof checkout>) => ok(await placing, 202).orderId;

async function order(b: Buyer, orderId: string): Promise<Order> {
  return ok(await api(b.token).GET('/orders/{orderId}', { params: { path: { orderId } } }), 200);
}

/** Statuses of an order the saga confirmed: fulfillment moves it on within a second or so. */
const CONFIRMED_OR_LATER = ['CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED'];

/** The saga's outcome: CONFIRMED for a confirmed order, whatever fulfillment did since. */
const outcome = (o: Order) => (CONFIRMED_OR_LATER.includes(o.status) ? 'CONFIRMED' : o.status);

/** Polls the order until its saga has settled it. */
async function settled(b: Buyer, orderId: string, timeoutMs = SETTLE_MS): Promise<Order> {
  let last: Order | undefined;
  await eventually(
    async () => {
      last = await order(b, orderId);
      return last.status !== 'PENDING';
    },
    timeoutMs,
    100,
  );
  return last as Order;
}

async function stockOf(sku: string): Promise<Stock> {
  return ok(await api(admin).GET('/admin/inventory/{sku}', { params: { path: { sku } } }), 200);
}

async function chargesOf(orderId: string): Promise<Charge[]> {
  return ok(await api(admin).GET('/dev/psp/charges', { params: { query: { orderId } } }), 200).items;
}

/** Runs `task` over `items`, at most `width` at a time, keeping their order. */
async function pool<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i] as T);
      }
    }),
  );
  return out;
}

async function arm(step: string, mode: FaultMode, orderId: string, count = 1): Promise<void> {
  ok(await api(admin).POST('/dev/faults', { body: { step, mode, count, orderId } }), 201);
}

/**
 * The invariants after an order settled: its SKU's counts add up to what was received with
 * nothing left reserved, and the money matches the status.
 */
async function expectInvariants(o: Order, sku: string, received: number): Promise<void> {
  const bought = o.items.filter((i) => i.sku === sku).reduce((n, i) => n + i.quantity, 0);
  const stock = await stockOf(sku);
  expect(stock.available + stock.reserved + stock.sold, sku).toBe(received);
  expect(stock.available).toBeGreaterThanOrEqual(0);
  expect(stock.reserved, `${sku}: nothing left on hold`).toBe(0);
  const charges = await chargesOf(o.orderId);
  const captured = charges.filter((c) => c.capturedAmount > 0);
  expect(captured.length, 'at most one capture').toBeLessThanOrEqual(1);
  const net = charges.reduce((sum, c) => sum + c.capturedAmount - c.refundedAmount, 0);
  expect(
    charges.filter((c) => c.status === 'AUTHORIZED'),
    'no authorization left open',
  ).toEqual([]);
  if (outcome(o) === 'CONFIRMED') {
    expect(net).toBe(o.total.amount);
    expect(o.payment).toEqual({ status: 'CAPTURED', amount: o.total });
    expect(stock.sold).toBeGreaterThanOrEqual(bought);
  } else {
    expect(o.status).toBe('FAILED');
    expect(net, 'no net charge').toBe(0);
    expect(o.failureReason).toBeDefined();
  }
}

describe('checkout: the happy path', () => {
  it('confirms the order, captures the server-computed total once, sells the stock, clears the cart and publishes OrderPlaced', async () => {
    const a = await product(1250, 20);
    const b2 = await product(999, 20);
    // OrderPlaced reaches a queue through a rule of the stage's bus, as a consumer's would.
    const sqs = new SQSClient(aws);
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `e2e-order-placed-${run}` }));
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const events = new EventBridgeClient(aws);
    await events.send(
      new PutRuleCommand({
        Name: `e2e-order-placed-${run}`,
        EventBusName: 'store-local-bus',
        EventPattern: JSON.stringify({ source: ['store.orders'], 'detail-type': ['OrderPlaced'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: `e2e-order-placed-${run}`,
        EventBusName: 'store-local-bus',
        Targets: [{ Id: 'e2e', Arn: attrs.Attributes?.QueueArn }],
      }),
    );

    const b = await buyer([
      [a.sku, 2],
      [b2.sku, 1],
    ]);
    const placed = await checkout(b);
    const { orderId, status } = ok(placed, 202);
    await expectDocumented('POST /checkout', placed);
    expect(placed.response.headers.get('location')).toBe(`/orders/${orderId}`);
    expect(status).toBe('PENDING');
    const o = await settled(b, orderId);
    const res = await api(b.token).GET('/orders/{orderId}', { params: { path: { orderId: o.orderId } } });
    await expectDocumented('GET /orders/{orderId}', res);

    // 2 x 12.50 + 9.99 = 34.99, under the free-shipping threshold: 5.99 shipping.
    expect(outcome(o)).toBe('CONFIRMED');
    expect(o).toMatchObject({
      userId: b.sub,
      subtotal: { amount: 3499, currency: 'USD' },
      shipping: { amount: 599, currency: 'USD' },
      total: { amount: 4098, currency: 'USD' },
      payment: { status: 'CAPTURED', amount: { amount: 4098, currency: 'USD' } },
    });
    expect(o.timeline.map((t) => t.status).slice(0, 2)).toEqual(['PENDING', 'CONFIRMED']);
    const charges = await chargesOf(o.orderId);
    expect(charges).toEqual([
      expect.objectContaining({ amount: 4098, capturedAmount: 4098, status: 'CAPTURED' }),
    ]);
    expect(await stockOf(a.sku)).toMatchObject({ available: 18, reserved: 0, sold: 2 });
    expect(await stockOf(b2.sku)).toMatchObject({ available: 19, reserved: 0, sold: 1 });
    await expectInvariants(o, a.sku, 20);
    expect(ok(await api(b.token).GET('/me/cart'), 200).items).toEqual([]);

    let detail: Record<string, unknown> | undefined;
    await eventually(async () => {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1 }));
      for (const m of got.Messages ?? []) {
        const event = JSON.parse(m.Body ?? '{}') as { detail: Record<string, unknown> };
        if (event.detail.orderId === o.orderId) detail = event.detail;
      }
      return detail !== undefined;
    }, 15_000);
    expect(detail).toMatchObject({
      version: 2,
      orderId: o.orderId,
      userId: b.sub,
      total: { amount: 4098, currency: 'USD' },
      lines: expect.arrayContaining([expect.objectContaining({ sku: a.sku, quantity: 2, unitPrice: 1250 })]),
    });
    // Where it ships, no finer than routing needs: no address, and never the payment token.
    expect(Object.keys(detail ?? {}).sort()).toEqual(
      ['contact', 'lines', 'orderId', 'placedAt', 'shipTo', 'total', 'userId', 'version'].sort(),
    );
    expect(JSON.stringify(detail)).not.toMatch(/tok_|postalCode|line1/);

    // The order is listed, newest first, and the listing matches the document.
    const list = await api(b.token).GET('/orders');
    await expectDocumented('GET /orders', list);
    expect(ok(list, 200).items.map((x) => x.orderId)).toEqual([o.orderId]);
  });

  it('retries a transient processor error and captures once', async () => {
    const p = await product(2000, 5);
    const b = await buyer([[p.sku, 1]]);
    const o = await settled(b, await accepted(checkout(b, { card: 'tok_processingError' })));
    expect(outcome(o)).toBe('CONFIRMED');
    expect((await chargesOf(o.orderId)).filter((c) => c.capturedAmount > 0)).toHaveLength(1);
    await expectInvariants(o, p.sku, 5);
  });
});

describe('checkout: orders that fail', () => {
  it.each([['tok_chargeDeclined'], ['tok_insufficientFunds']])(
    'a declined card (%s): FAILED PAYMENT_DECLINED, stock back, cart kept',
    async (card) => {
      const p = await product(1500, 3);
      const b = await buyer([[p.sku, 2]]);
      const o = await settled(b, await accepted(checkout(b, { card })));
      expect(o).toMatchObject({
        status: 'FAILED',
        failureReason: 'PAYMENT_DECLINED',
        payment: { status: 'DECLINED' },
      });
      expect(o.timeline.map((t) => t.status)).toEqual(['PENDING', 'FAILED']);
      expect(await stockOf(p.sku)).toMatchObject({ available: 3, reserved: 0, sold: 0 });
      await expectInvariants(o, p.sku, 3);
      const cart = ok(await api(b.token).GET('/me/cart'), 200);
      expect(cart.items.map((i) => i.sku)).toEqual([p.sku]);
    },
  );

  it('out of stock: FAILED OUT_OF_STOCK naming the SKU, nothing held, nothing charged', async () => {
    const p = await product(1000, 1);
    const b = await buyer([[p.sku, 2]]);
    const o = await settled(b, await accepted(checkout(b)));
    expect(o).toMatchObject({ status: 'FAILED', failureReason: 'OUT_OF_STOCK', payment: { status: 'NONE' } });
    expect(o.failureMessage).toContain(p.sku);
    expect(await chargesOf(o.orderId)).toEqual([]);
    await expectInvariants(o, p.sku, 1);
  });

  it('a price changed since it was added: FAILED PRICE_CHANGED, nothing charged; re-adding accepts the new price', async () => {
    const p = await product(1000, 5);
    const b = await buyer([[p.sku, 1]]);
    const path = { productId: p.productId };
    const current = ok(await api().GET('/products/{productId}', { params: { path } }), 200);
    const { productId: _id, createdAt: _c, updatedAt: _u, rating: _r, ...writable } = current;
    const raised = await api(admin).PUT('/admin/products/{productId}', {
      params: { path },
      body: {
        ...writable,
        variants: [{ sku: p.sku, attributes: { size: 'M' }, price: { amount: 1200, currency: 'USD' } }],
      },
    });
    ok(raised, 200);
    const o = await settled(b, await accepted(checkout(b)));
    expect(o).toMatchObject({
      status: 'FAILED',
      failureReason: 'PRICE_CHANGED',
      total: { amount: 1200 + 599 },
    });
    expect(await chargesOf(o.orderId)).toEqual([]);
    await expectInvariants(o, p.sku, 5);
    // Adding again takes the current price; the next checkout charges it.
    const cartPath = { cartId: b.cartId };
    ok(
      await api(b.token).POST('/carts/{cartId}/items', {
        params: { path: cartPath },
        body: { sku: p.sku, quantity: 1 },
      }),
    );
    ok(
      await api(b.token).PATCH('/carts/{cartId}/items/{sku}', {
        params: { path: { ...cartPath, sku: p.sku } },
        body: { quantity: 1 },
      }),
    );
    const again = await settled(b, await accepted(checkout(b)));
    expect(outcome(again)).toBe('CONFIRMED');
    expect(again.total.amount).toBe(1799);
  });
});

describe('checkout: bad input changes nothing', () => {
  it('answers 400, 404 and 422 as documented, writes no order, and leaves the cart and stock as they were', async () => {
    const p = await product(1000, 4);
    const b = await buyer([[p.sku, 1]]);
    const other = await buyer([[p.sku, 1]]);
    const empty = await buyer();
    const before = ok(await api(b.token).GET('/me/cart'), 200);
    const cases: { name: string; res: Awaited<ReturnType<typeof rawCheckout>>; status: number }[] = [];
    const expectStatus = async (name: string, res: Awaited<ReturnType<typeof rawCheckout>>, status: number) =>
      cases.push({ name, res, status });
    await expectStatus(
      'no key',
      await client.request('POST', '/checkout', { token: b.token, body: checkoutBody(b) }),
      400,
    );
    for (const bad of ['short', 'has space in it', 'x'.repeat(129), 'ünïcode-key-1']) {
      await expectStatus(`key ${bad}`, await rawCheckout(b, { key: bad }), 400);
    }
    const body = checkoutBody(b);
    for (const [name, broken] of [
      ['no address', { ...body, shippingAddress: undefined }],
      ['no country', { ...body, shippingAddress: { ...ADDRESS, country: undefined } }],
      ['bad country', { ...body, shippingAddress: { ...ADDRESS, country: 'usa' } }],
      ['blank name', { ...body, shippingAddress: { ...ADDRESS, name: '   ' } }],
      ['extra field', { ...body, coupon: 'FREE' }],
      ['no token', { ...body, payment: {} }],
      ['bad cart id', { ...body, cartId: '../etc' }],
      ['array body', [body]],
    ] as const) {
      await expectStatus(name, await rawCheckout(b, { body: broken }), 400);
    }
    await expectStatus(
      'raw text',
      await client.request('POST', '/checkout', {
        token: b.token,
        rawBody: '{"cartId":',
        headers: { 'idempotency-key': key() },
      }),
      400,
    );
    await expectStatus("someone else's cart", await rawCheckout(b, { body: checkoutBody(other) }), 404);
    await expectStatus('an empty cart', await rawCheckout(empty), 422);
    const anonymous = await client.request('POST', '/checkout', {
      body: checkoutBody(b),
      headers: { 'idempotency-key': key() },
    });
    expect(anonymous.status).toBe(401);
    for (const c of cases) {
      expect(c.res.status, `${c.name}: ${JSON.stringify(c.res.body)}`).toBe(c.status);
      expect(c.res.headers.get('content-type'), c.name).toContain('application/problem+json');
      await expectDocumented('POST /checkout', c.res);
    }
    expect(ok(await api(b.token).GET('/orders'), 200).items).toEqual([]);
    expect(ok(await api(b.token).GET('/me/cart'), 200).version).toBe(before.version);
    expect(await stockOf(p.sku)).toMatchObject({ available: 4, reserved: 0, sold: 0 });
  });

  it("answers 404 for someone else's order and 400 for an id no order has; cursors are bound to their user", async () => {
    const p = await product(1000, 4);
    const b = await buyer([[p.sku, 1]]);
    const o = await settled(b, await accepted(checkout(b)));
    const stranger = await buyer();
    const orderPath = { params: { path: { orderId: o.orderId } } };
    const theirs = await api(stranger.token).GET('/orders/{orderId}', orderPath);
    expect(theirs.response.status).toBe(404);
    await expectDocumented('GET /orders/{orderId}', theirs);
    expect(ok(await api(admin).GET('/orders/{orderId}', orderPath), 200).orderId).toBe(o.orderId);
    const malformed = await client.request('GET', '/orders/not-an-order', { token: b.token });
    expect(malformed.status).toBe(400);
    await expectDocumented('GET /orders/{orderId}', malformed);

    // Two more orders, then pages of one: newest first, and a cursor is this user's only.
    for (let i = 0; i < 2; i++) {
      ok(
        await api(b.token).POST('/carts/{cartId}/items', {
          params: { path: { cartId: b.cartId } },
          body: { sku: p.sku, quantity: 1 },
        }),
      );
      await settled(b, await accepted(checkout(b)));
    }
    const first = ok(await api(b.token).GET('/orders', { params: { query: { limit: 1 } } }), 200);
    const all = ok(await api(b.token).GET('/orders'), 200);
    expect(all.items).toHaveLength(3);
    expect(first.items[0]?.orderId).toBe(all.items[0]?.orderId);
    const createdAt = all.items.map((x) => x.timeline[0]?.at ?? '');
    expect([...createdAt].sort().reverse()).toEqual(createdAt);
    const cursor = first.nextCursor as string;
    const second = ok(await api(b.token).GET('/orders', { params: { query: { limit: 1, cursor } } }), 200);
    expect(second.items[0]?.orderId).toBe(all.items[1]?.orderId);
    const stolen = await api(stranger.token).GET('/orders', { params: { query: { cursor } } });
    expect(stolen.response.status).toBe(400);
    await expectDocumented('GET /orders', stolen);
    for (const q of ['limit=0', 'limit=101', 'limit=x', 'cursor=%20', 'sort=old']) {
      const res = await client.request('GET', `/orders?${q}`, { token: b.token });
      expect(res.status, q).toBe(400);
    }
  });
});

describe('checkout: idempotency', () => {
  it('answers a repeat with the same order, refuses the key with another body (422), and keys are per user', async () => {
    const p = await product(1000, 10);
    const b = await buyer([[p.sku, 1]]);
    const k = key();
    const first = await accepted(checkout(b, { key: k }));
    expect(first).toBe(orderIdFor(b.sub, k));
    const o = await settled(b, first);
    const again = await checkout(b, { key: k });
    expect([200, 202]).toContain(again.response.status);
    expect(again.data?.orderId).toBe(first);
    const changed = await checkout(b, { key: k, card: 'tok_chargeDeclined' });
    expect(changed.response.status).toBe(422);
    await expectDocumented('POST /checkout', changed);
    expect(await chargesOf(o.orderId)).toHaveLength(1);
    // Another buyer's same key is another checkout.
    const c = await buyer([[p.sku, 1]]);
    const theirs = await accepted(checkout(c, { key: k }));
    expect(theirs).not.toBe(first);
    await settled(c, theirs);
  });

  it('20 parallel requests with one key place one order and charge once', async () => {
    const p = await product(1000, 10);
    const b = await buyer([[p.sku, 1]]);
    const k = key();
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkout(b, { key: k })));
    const statuses = answers.map((a) => a.response.status);
    // One runs; a duplicate that arrives while it runs is told to retry (409), later ones replay it.
    for (const s of statuses) expect([202, 409]).toContain(s);
    const ids = new Set(answers.filter((a) => a.response.status === 202).map((a) => a.data?.orderId));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids] as [string];
    for (const a of answers) await expectDocumented('POST /checkout', a);
    const o = await settled(b, orderId);
    expect(outcome(o)).toBe('CONFIRMED');
    const listed = ok(await api(b.token).GET('/orders'), 200);
    expect(listed.items.map((x) => x.orderId)).toEqual([orderId]);
    expect(await chargesOf(orderId)).toHaveLength(1);
    await expectInvariants(o, p.sku, 10);
  });

  it('a retry after the checkout function crashed answers the same order, whose saga runs once', async () => {
    const p = await product(1000, 10);
    const b = await buyer([[p.sku, 1]]);
    const k = key();
    // The function writes the order and starts the saga, then crashes before answering.
    ok(
      await api(admin).POST('/dev/faults', {
        body: { step: 'PlaceOrder', mode: 'crash-after-success', count: 1 },
      }),
      201,
    );
    const crashed = await checkout(b, { key: k });
    expect(crashed.response.status).toBe(502);
    const retried = await accepted(checkout(b, { key: k }));
    expect(retried).toBe(orderIdFor(b.sub, k));
    const o = await settled(b, retried);
    expect(outcome(o)).toBe('CONFIRMED');
    expect(await chargesOf(o.orderId)).toHaveLength(1);
  });
});

describe('checkout: concurrency', () => {
  it('30 buyers racing for 10 units: exactly 10 sold, 20 OUT_OF_STOCK, no oversell', async () => {
    const p = await product(1000, 10);
    const racers = await Promise.all(Array.from({ length: 30 }, () => buyer([[p.sku, 1]])));
    const placed = await Promise.all(racers.map((b) => accepted(checkout(b))));
    const orders = await Promise.all(racers.map((b, i) => settled(b, placed[i] as string)));
    const confirmed = orders.filter((o) => outcome(o) === 'CONFIRMED');
    const short = orders.filter((o) => o.failureReason === 'OUT_OF_STOCK');
    expect(confirmed).toHaveLength(10);
    expect(short).toHaveLength(20);
    expect(await stockOf(p.sku)).toMatchObject({ available: 0, reserved: 0, sold: 10 });
    for (const o of orders) await expectInvariants(o, p.sku, 10);
  }, 180_000);
});

describe('checkout: the fault matrix', () => {
  const FORWARD = [
    'ValidateCart',
    'ReserveInventory',
    'AuthorizePayment',
    'CapturePayment',
    'CommitReservation',
    'ConfirmOrder',
    'ClearCart',
  ] as const;
  const COMPENSATIONS = ['ReversePayment', 'ReleaseInventory', 'MarkFailed'] as const;
  const MODES = ['error', 'timeout', 'crash-after-success'] as const;

  interface Case {
    step: string;
    mode: FaultMode;
    count: number;
    card: string;
    expected: { status: string; reason?: string };
  }
  const cases: Case[] = [
    // One fault in any step: retried, the order settles as it would have without it.
    ...FORWARD.flatMap((step) =>
      MODES.map((mode) => ({ step, mode, count: 1, card: 'tok_visa', expected: { status: 'CONFIRMED' } })),
    ),
    // One fault in a compensation (a declined card runs them all): retried, it still settles.
    ...COMPENSATIONS.flatMap((step) =>
      MODES.map((mode) => ({
        step,
        mode,
        count: 1,
        card: 'tok_chargeDeclined',
        expected: { status: 'FAILED', reason: 'PAYMENT_DECLINED' },
      })),
    ),
    // A step before the pivot that keeps failing past its retries: compensated, no net charge.
    ...(['ReserveInventory', 'AuthorizePayment', 'CapturePayment'] as const).map(
      (step): Case => ({
        step,
        mode: 'crash-after-success',
        count: 4,
        card: 'tok_visa',
        expected: { status: 'FAILED', reason: 'INTERNAL' },
      }),
    ),
    {
      step: 'CommitReservation',
      mode: 'error',
      count: 7,
      card: 'tok_visa',
      expected: { status: 'FAILED', reason: 'INTERNAL' },
    },
  ];

  it(`settles every one of ${cases.length} faulted orders with the invariants intact`, async () => {
    // Set up and place a few at a time (the local cloud is one machine: a burst of cold starts
    // would queue past the checkout function's timeout), then let every saga run side by side.
    const placed = await pool(cases, 8, async (c) => {
      const p = await product(1000, 3);
      const b = await buyer([[p.sku, 2]]);
      const k = key();
      await arm(c.step, c.mode, orderIdFor(b.sub, k), c.count);
      const orderId = await accepted(checkout(b, { key: k, card: c.card }));
      return { c, b, orderId, sku: p.sku };
    });
    const results = await Promise.all(
      placed.map(async ({ c, b, orderId, sku }) => ({ c, sku, o: await settled(b, orderId, 150_000) })),
    );
    for (const { c, o, sku } of results) {
      const label = `${c.step} x ${c.mode} x${c.count}`;
      expect({ status: outcome(o), reason: o.failureReason }, label).toEqual({
        status: c.expected.status,
        reason: c.expected.reason,
      });
      await expectInvariants(o, sku, 3);
    }
    ok(await api(admin).DELETE('/dev/faults'), 204);
  }, 240_000);

  it('a hold the reaper released while the saga was paying is compensated, never oversold', async () => {
    const p = await product(1000, 2);
    const b = await buyer([[p.sku, 2]]);
    const k = key();
    const orderId = orderIdFor(b.sub, k);
    // CapturePayment hangs for its timeout: the reservation is held meanwhile.
    await arm('CapturePayment', 'timeout', orderId);
    await accepted(checkout(b, { key: k }));
    await eventually(async () => (await inventory.store.getReservation(orderId))?.status === 'HELD', 15_000);
    // The hold expires, and the reaper returns its units to the shelf.
    await doc.send(
      new UpdateCommand({
        TableName: 'store-local-reservations',
        Key: reservationKey(orderId),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 },
      }),
    );
    await reapExpired(inventory);
    expect((await inventory.store.getReservation(orderId))?.status).toBe('RELEASED');
    const o = await settled(b, orderId);
    expect(o).toMatchObject({ status: 'FAILED', failureReason: 'INTERNAL', payment: { status: 'REFUNDED' } });
    expect(await stockOf(p.sku)).toMatchObject({ available: 2, reserved: 0, sold: 0 });
    await expectInvariants(o, p.sku, 2);
  }, 120_000);
});
