/**
 * The orders routes against the published OpenAPI document: every path, query and header value
 * and every body is a 400 from the handler exactly when the document refuses it, and every answer
 * the handlers give (each status they produce) is listed, with a body the document's schema
 * accepts with no unnamed property.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { userCartId } from '#cart/domain/cart.ts';
import { applyShipmentEvent } from '#orders/domain/after-placement.ts';
import { encodeOrdersCursor } from '#orders/domain/list-cursor.ts';
import { orderIdFor } from '#orders/domain/order.ts';
import type { OrdersDeps } from '#orders/domain/use-cases.ts';
import { registerOrdersPaths } from '#orders/openapi.ts';
import {
  awkwardText,
  documentAllowsBody,
  documentAllowsParam,
  expectDocumented,
  ownStatuses,
  produced,
  refusedFields,
} from '../openapi-support.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { address, checkoutOf, type InMemoryOrders, line, setup, userCart } from './memory.ts';

const world = setup();
const afterPlacement = {
  orders: world.orders as InMemoryOrders,
  fulfillment: { cancelShipments: vi.fn(async (_orderId: string) => 'cancelled' as const) },
  events: { publish: vi.fn(async () => undefined) },
  now: world.now,
};
// Powertools idempotency over DynamoDB, replaced by a pass-through that can answer as the real
// one does for a key in progress or reused with another body.
const idempotency = vi.hoisted(() => ({ failWith: undefined as string | undefined }));

vi.mock('@aws-lambda-powertools/idempotency', () => ({
  IdempotencyConfig: class {
    registerLambdaContext() {}
  },
  makeIdempotent:
    <A, R>(fn: (a: A) => Promise<R>) =>
    async (attempt: A) => {
      if (idempotency.failWith) {
        const error = new Error(idempotency.failWith);
        error.name = idempotency.failWith;
        throw error;
      }
      return fn(attempt);
    },
}));
vi.mock('@aws-lambda-powertools/idempotency/dynamodb', () => ({ DynamoDBPersistenceLayer: class {} }));
vi.mock('../../../lambdas/orders/adapters/wiring.ts', () => ({ deps: world.deps as OrdersDeps }));
vi.mock('../../../lambdas/orders/adapters/after-placement-wiring.ts', () => ({ deps: afterPlacement }));

type Handler = (event: APIGatewayProxyEvent, context: typeof lambdaContext) => Promise<APIGatewayProxyResult>;
let checkout: Handler;
let getOrder: Handler;
let listOrders: Handler;
let cancel: Handler;

beforeAll(async () => {
  process.env.ORDERS_IDEMPOTENCY_TABLE = 'checkout-idempotency-test';
  process.env.AWS_REGION ??= 'us-east-1';
  checkout = (await import('../../../lambdas/orders/handlers/place-order.handler.ts')).handler;
  getOrder = (await import('../../../lambdas/orders/handlers/get-order.handler.ts')).handler;
  listOrders = (await import('../../../lambdas/orders/handlers/list-orders.handler.ts')).handler;
  cancel = (await import('../../../lambdas/orders/handlers/cancel-order.handler.ts')).handler;
});

const CHECKOUT = 'POST /checkout';
const GET = 'GET /orders/{orderId}';
const LIST = 'GET /orders';
const CANCEL = 'POST /orders/{orderId}/cancel';

const signedIn = (sub: string | undefined, groups: string[] = []) =>
  ({
    requestId: 'req-1',
    authorizer: sub ? { sub, groups: JSON.stringify(groups) } : null,
  }) as unknown as APIGatewayProxyEvent['requestContext'];

let keys = 0;
const freshKey = () => `key-${String(++keys).padStart(8, '0')}`;

function post(
  body: unknown,
  opts: { key?: string | null; sub?: string; contentType?: string; raw?: boolean } = {},
) {
  const key = opts.key === undefined ? freshKey() : opts.key;
  return checkout(
    apiEvent({
      httpMethod: 'POST',
      path: '/checkout',
      headers: {
        'content-type': opts.contentType ?? 'application/json',
        ...(key === null ? {} : { 'Idempotency-Key': key }),
      },
      body: opts.raw ? (body as string) : JSON.stringify(body),
      requestContext: signedIn(opts.sub ?? 'alice'),
    }),
    lambdaContext,
  );
}

const onOrder = (handler: Handler, orderId: string | undefined, sub: string | undefined = 'alice') =>
  handler(
    apiEvent({
      httpMethod: handler === cancel ? 'POST' : 'GET',
      pathParameters: orderId === undefined ? null : { orderId },
      requestContext: signedIn(sub),
    }),
    lambdaContext,
  );

const list = (query: Record<string, string> | null, sub: string | undefined = 'alice') =>
  listOrders(apiEvent({ queryStringParameters: query, requestContext: signedIn(sub) }), lambdaContext);

/** A placed order of alice's, confirmed, split into two shipments, one of them shipped. */
async function shippedOrder(): Promise<string> {
  world.carts.put(userCart('alice', [line('A', 1000, 2), line('B', 250, 1)]));
  const res = await post(checkoutOf(userCartId('alice')));
  expect(res.statusCode).toBe(202);
  const { orderId } = JSON.parse(res.body) as { orderId: string };
  await world.orders.confirm(orderId, 'CAPTURED', world.now());
  for (const [shipmentId, sku] of [
    ['shp_000000000000000000000001', 'A'],
    ['shp_000000000000000000000002', 'B'],
  ] as const) {
    await applyShipmentEvent(afterPlacement, {
      kind: 'created',
      detail: {
        version: 1,
        shipmentId,
        orderId,
        warehouseId: `wh-${sku}`,
        items: [{ sku, quantity: 1 }],
        shipmentsInOrder: 2,
        createdAt: world.now().toISOString(),
      },
    });
  }
  await applyShipmentEvent(afterPlacement, {
    kind: 'shipped',
    detail: {
      version: 1,
      shipmentId: 'shp_000000000000000000000001',
      orderId,
      trackingNumber: 'TRACK-1',
      contact: {},
      shippedAt: world.now().toISOString(),
    },
  });
  return orderId;
}

const ORDER_IDS = [
  orderIdFor('alice', 'never-placed'),
  `ord_${'a'.repeat(32)}`,
  `ord_${'-_'.repeat(16)}`,
  `ord_${'a'.repeat(31)}`,
  `ord_${'a'.repeat(33)}`,
  `ord_${'a'.repeat(31)}!`,
  `ORD_${'a'.repeat(32)}`,
  'x'.repeat(200),
  '',
  ' ',
  `ord_${'a'.repeat(31)}é`,
];

describe('the orders routes and the document agree on parameters', () => {
  it.each([
    [GET, () => getOrder],
    [CANCEL, () => cancel],
  ] as const)(
    '%s: orderId is a 400 exactly where the documented pattern refuses it, else 404',
    async (route, h) => {
      for (const orderId of ORDER_IDS) {
        const res = await onOrder(h(), orderId);
        const allowed = documentAllowsParam(route, 'path', 'orderId', orderId);
        expect(res.statusCode, orderId).toBe(allowed ? 404 : 400);
        if (!allowed) expect(refusedFields(res)).toEqual(['orderId']);
        expectDocumented(route, res);
      }
    },
  );

  it('GET /orders: limit and cursor are refused exactly as documented; an altered or foreign cursor is a 400', async () => {
    for (const limit of ['1', '20', '100', '0', '101', '-1', '2.5', 'ten', '']) {
      const res = await list({ limit });
      const allowed = documentAllowsParam(LIST, 'query', 'limit', limit);
      expect(res.statusCode, `limit=${limit}`).toBe(allowed ? 200 : 400);
      if (!allowed) expect(refusedFields(res)).toEqual(['limit']);
      expectDocumented(LIST, res);
    }
    const issued = encodeOrdersCursor('alice', {
      orderId: `ord_${'a'.repeat(32)}`,
      createdAt: world.now().toISOString(),
    });
    expect(documentAllowsParam(LIST, 'query', 'cursor', issued)).toBe(true);
    expect((await list({ cursor: issued })).statusCode).toBe(200);
    const foreign = encodeOrdersCursor('bob', {
      orderId: `ord_${'a'.repeat(32)}`,
      createdAt: world.now().toISOString(),
    });
    const altered = `${issued.slice(0, -2)}AA`;
    for (const cursor of [foreign, altered, 'abc', '', 'not a cursor', 'c'.repeat(2049)]) {
      const res = await list({ cursor });
      expect(res.statusCode, cursor).toBe(400);
      expect(refusedFields(res)).toEqual(['cursor']);
      expectDocumented(LIST, res);
    }
    // A query parameter the document does not name is refused, as its 400 says.
    const unknown = await list({ sort: 'asc' });
    expect(refusedFields(unknown)).toEqual(['sort']);
    expectDocumented(LIST, unknown);
  });

  it('POST /checkout: the Idempotency-Key header is a 400 exactly where the documented pattern refuses it', async () => {
    world.carts.put(userCart('alice', [line('A', 1000)]));
    for (const key of [
      '3f0e2c9a-9a7e-4c1b-8f53-0d4a3f0c6b1e',
      'abcdefgh',
      'k'.repeat(128),
      'checkout:2026.05_01-A',
      'abcdefg',
      'k'.repeat(129),
      'abc defgh',
      'abcdéfgh',
      '',
      undefined,
    ]) {
      const res = await post(checkoutOf(userCartId('alice')), { key: key ?? null });
      const allowed = documentAllowsParam(CHECKOUT, 'header', 'idempotency-key', key);
      expect(res.statusCode, String(key)).toBe(allowed ? 202 : 400);
      if (!allowed) expect(refusedFields(res)).toEqual(['idempotency-key']);
      expectDocumented(CHECKOUT, res);
    }
  });

  it('POST /checkout: a body is a 400 exactly where the CheckoutRequest schema refuses it', async () => {
    world.carts.put(userCart('alice', [line('A', 1000)]));
    const bodies: unknown[] = [
      checkoutOf(userCartId('alice')),
      { ...checkoutOf(userCartId('alice')), extra: 1 },
      { cartId: userCartId('alice'), shippingAddress: address },
      { ...checkoutOf('cart-1') },
      { ...checkoutOf(userCartId('alice'), 'tok visa') },
      ...['postalCode', 'country'].flatMap((field) =>
        ['12', 'OX1 1AA', ' 12345', 'US', 'us', 'A'.repeat(16), 'A'.repeat(17)].map((value) => ({
          ...checkoutOf(userCartId('alice')),
          shippingAddress: { ...address, [field]: value },
        })),
      ),
      ...(
        [
          ['name', 100],
          ['line1', 200],
          ['line2', 200],
          ['city', 100],
          ['region', 100],
        ] as const
      ).flatMap(([field, max]) =>
        awkwardText(max).map((value) => ({
          ...checkoutOf(userCartId('alice')),
          shippingAddress: { ...address, [field]: value },
        })),
      ),
    ];
    for (const body of bodies) {
      const res = await post(body);
      const allowed = documentAllowsBody(CHECKOUT, body);
      expect(
        res.statusCode === 400,
        `${allowed ? 'allowed' : 'refused'}: ${JSON.stringify(body).slice(0, 200)}`,
      ).toBe(!allowed);
      expectDocumented(CHECKOUT, res);
    }
  });
});

describe('the orders routes answer only what the document lists', () => {
  it('POST /checkout: 202 with Location, 400, 401, 404, 409, 415, 422', async () => {
    world.carts.put(userCart('alice', [line('A', 1000)]));
    const placed = await post(checkoutOf(userCartId('alice')));
    expect(placed.statusCode).toBe(202);
    expect(placed.headers?.location).toBe(`/orders/${JSON.parse(placed.body).orderId}`);
    expectDocumented(CHECKOUT, placed);

    const cases: [number, Promise<APIGatewayProxyResult>][] = [
      [400, post('{', { raw: true })],
      [401, post(checkoutOf(userCartId('alice')), { sub: '' })],
      [404, post(checkoutOf(userCartId('bob')))],
      [404, post(checkoutOf('g-AAAAAAAAAAAAAAAAAAAAAA'))],
      [415, post(checkoutOf(userCartId('alice')), { contentType: 'text/plain' })],
    ];
    for (const [status, pending] of cases) {
      const res = await pending;
      expect(res.statusCode).toBe(status);
      expectDocumented(CHECKOUT, res);
    }
    world.carts.put(userCart('carol', []));
    const empty = await post(checkoutOf(userCartId('carol')), { sub: 'carol' });
    expect(empty.statusCode).toBe(422);
    expectDocumented(CHECKOUT, empty);
    world.carts.put(userCart('carol', [line('GONE', 100)]));
    const gone = await post(checkoutOf(userCartId('carol')), { sub: 'carol' });
    expect(gone.statusCode).toBe(422);
    expectDocumented(CHECKOUT, gone);

    for (const [name, status] of [
      ['IdempotencyAlreadyInProgressError', 409],
      ['IdempotencyValidationError', 422],
    ] as const) {
      idempotency.failWith = name;
      try {
        const res = await post(checkoutOf(userCartId('alice')));
        expect(res.statusCode).toBe(status);
        expectDocumented(CHECKOUT, res);
      } finally {
        idempotency.failWith = undefined;
      }
    }
  });

  it('GET /orders/{orderId}: the full order (shipments, tracking, timeline, payment) matches the Order schema', async () => {
    const orderId = await shippedOrder();
    const mine = await onOrder(getOrder, orderId);
    expect(mine.statusCode).toBe(200);
    const order = JSON.parse(mine.body) as { shipments: unknown[]; timeline: unknown[] };
    expect(order.shipments).toHaveLength(2);
    expect(order.timeline.length).toBeGreaterThan(3);
    expectDocumented(GET, mine);

    // A failed order carries its reason and message.
    world.carts.put(userCart('alice', [line('A', 1000)]));
    const failed = JSON.parse((await post(checkoutOf(userCartId('alice')))).body) as { orderId: string };
    await world.orders.fail(
      failed.orderId,
      { reason: 'OUT_OF_STOCK', message: 'Some items are out of stock.', payment: 'NONE' },
      world.now(),
    );
    const failedView = await onOrder(getOrder, failed.orderId);
    expect(JSON.parse(failedView.body)).toMatchObject({ failureReason: 'OUT_OF_STOCK' });
    expectDocumented(GET, failedView);

    for (const [status, res] of [
      [404, await onOrder(getOrder, orderId, 'bob')],
      [401, await onOrder(getOrder, orderId, '')],
    ] as const) {
      expect(res.statusCode).toBe(status);
      expectDocumented(GET, res);
    }
  });

  it('GET /orders: pages with nextCursor, and 401 without a caller', async () => {
    const first = await list({ limit: '1' });
    expect(JSON.parse(first.body)).toHaveProperty('nextCursor');
    expectDocumented(LIST, first);
    const next = await list({ limit: '100', cursor: JSON.parse(first.body).nextCursor });
    expect(next.statusCode).toBe(200);
    expectDocumented(LIST, next);
    const anonymous = await list(null, '');
    expect(anonymous.statusCode).toBe(401);
    expectDocumented(LIST, anonymous);
  });

  it('POST /orders/{orderId}/cancel: 202 (and again), 401, 404, 409 for each reason', async () => {
    const orderId = await shippedOrder();
    afterPlacement.fulfillment.cancelShipments.mockResolvedValueOnce('shipped' as never);
    const shipped = await onOrder(cancel, orderId);
    expect(shipped.statusCode).toBe(409);
    expectDocumented(CANCEL, shipped);

    world.carts.put(userCart('alice', [line('A', 1000)]));
    const pending = JSON.parse((await post(checkoutOf(userCartId('alice')))).body) as { orderId: string };
    const stillPlacing = await onOrder(cancel, pending.orderId);
    expect(stillPlacing.statusCode).toBe(409);
    expectDocumented(CANCEL, stillPlacing);

    await world.orders.confirm(pending.orderId, 'CAPTURED', world.now());
    expect((await onOrder(cancel, pending.orderId, 'bob')).statusCode).toBe(404);
    expectDocumented(CANCEL, await onOrder(cancel, pending.orderId, ''));
    // Concurrent writes that never let the conditional write land.
    const save = world.orders.save.bind(world.orders);
    world.orders.save = async () => false;
    try {
      const busy = await onOrder(cancel, pending.orderId);
      expect(busy.statusCode).toBe(409);
      expectDocumented(CANCEL, busy);
    } finally {
      world.orders.save = save;
    }
    for (let i = 0; i < 2; i++) {
      const res = await onOrder(cancel, pending.orderId);
      expect(res.statusCode).toBe(202);
      expectDocumented(CANCEL, res);
    }
    const view = await onOrder(getOrder, pending.orderId);
    expect(JSON.parse(view.body)).toMatchObject({
      status: 'CANCELLED',
      payment: { status: 'REFUND_PENDING' },
    });
    expectDocumented(GET, view);
  });

  afterAll(() => {
    // Every status the orders document lists was produced by its handler in these tests.
    for (const route of [CHECKOUT, GET, LIST, CANCEL]) {
      expect(produced(route), route).toEqual(
        [
          ...new Set([...ownStatuses(registerOrdersPaths, route), ...(route === CHECKOUT ? ['415'] : [])]),
        ].sort(),
      );
    }
  });
});
