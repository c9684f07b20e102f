import type { APIGatewayProxyEvent, APIGatewayProxyResult, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../../lambdas/events/catalog.ts';
import { shipmentIdOf } from '../../../lambdas/fulfillment/domain/shipment.ts';
import { cancelOrderShipments, routeOrder } from '../../../lambdas/fulfillment/domain/use-cases.ts';
import {
  releaseShipmentsConsumer,
  routeOrderConsumer,
} from '../../../lambdas/fulfillment/handlers/consumers.ts';
import {
  addAllocationRoute,
  getShipmentRoute,
  putWarehouseRoute,
  shipmentEventRoute,
} from '../../../lambdas/fulfillment/handlers/routes.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { order, orderV1, world } from './fixtures.ts';

const EAST = shipmentIdOf('o-1', 'us-east');

const as = (groups: string[] | undefined) =>
  ({
    requestId: 'req-1',
    authorizer: groups ? { sub: 'user-1', groups: JSON.stringify(groups) } : null,
  }) as unknown as APIGatewayProxyEvent['requestContext'];

function call(
  handler: (e: APIGatewayProxyEvent, c: typeof lambdaContext) => Promise<APIGatewayProxyResult>,
  opts: { params: Record<string, string>; body?: unknown; groups?: string[] | null; method?: string },
) {
  const event = apiEvent({
    httpMethod: opts.method ?? 'POST',
    pathParameters: opts.params,
    body:
      opts.body === undefined ? null : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    requestContext: as(opts.groups === null ? undefined : (opts.groups ?? ['admin'])),
  });
  return handler(event, lambdaContext).then((r) => ({
    status: r.statusCode,
    body: r.body ? JSON.parse(r.body) : undefined,
  }));
}

async function routedWorld() {
  const w = world({ 'us-east': { A: 10 } });
  await routeOrder(w.deps, order('o-1', { A: 1 }));
  w.publisher.events.length = 0;
  return w;
}

describe('POST /admin/shipments/{shipmentId}/events', () => {
  it('answers 200 with the shipment, publishing on a real transition only', async () => {
    const w = await routedWorld();
    const handler = shipmentEventRoute(w.deps);
    const shipped = { status: 'SHIPPED', trackingNumber: 'TRK-1' };
    const first = await call(handler, { params: { shipmentId: EAST }, body: shipped });
    expect(first).toMatchObject({
      status: 200,
      body: { shipmentId: EAST, status: 'SHIPPED', trackingNumber: 'TRK-1' },
    });
    expect((await call(handler, { params: { shipmentId: EAST }, body: shipped })).status).toBe(200);
    expect(w.publisher.of('ShipmentShipped')).toHaveLength(1);
    const delivered = await call(handler, { params: { shipmentId: EAST }, body: { status: 'DELIVERED' } });
    expect(delivered).toMatchObject({ status: 200, body: { status: 'DELIVERED' } });
    expect(w.publisher.of('ShipmentDelivered')).toHaveLength(1);
  });

  it('answers 409 for an illegal move, 404 for an unknown shipment', async () => {
    const w = await routedWorld();
    const handler = shipmentEventRoute(w.deps);
    expect(
      await call(handler, { params: { shipmentId: EAST }, body: { status: 'DELIVERED' } }),
    ).toMatchObject({
      status: 409,
      body: { status: 409, detail: expect.stringContaining('not shipped yet') },
    });
    await call(handler, {
      params: { shipmentId: EAST },
      body: { status: 'SHIPPED', trackingNumber: 'TRK-1' },
    });
    expect(
      (
        await call(handler, {
          params: { shipmentId: EAST },
          body: { status: 'SHIPPED', trackingNumber: 'TRK-2' },
        })
      ).status,
    ).toBe(409);
    const unknown = shipmentIdOf('o-2', 'us-east');
    expect(
      (await call(handler, { params: { shipmentId: unknown }, body: { status: 'DELIVERED' } })).status,
    ).toBe(404);
    const cancelled = await routedWorld();
    await cancelOrderShipments(cancelled.deps, 'o-1');
    expect(
      (
        await call(shipmentEventRoute(cancelled.deps), {
          params: { shipmentId: EAST },
          body: { status: 'SHIPPED', trackingNumber: 'TRK-1' },
        })
      ).status,
    ).toBe(409);
  });

  it('answers 400 for a bad body or id, 415 for a body not sent as JSON, 401/403 before anything', async () => {
    const w = await routedWorld();
    const handler = shipmentEventRoute(w.deps);
    const bad = async (body: unknown, shipmentId = EAST) => call(handler, { params: { shipmentId }, body });
    expect(await bad({ status: 'LOST', trackingNumber: 'TRK-1' })).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'status' }] },
    });
    expect(await bad({ status: 'SHIPPED' })).toMatchObject({
      status: 400,
      body: { errors: [{ path: 'trackingNumber' }] },
    });
    expect((await bad({ status: 'SHIPPED', trackingNumber: 'has space' })).status).toBe(400);
    expect((await bad({ status: 'DELIVERED', extra: 1 })).status).toBe(400);
    expect((await bad('{not json')).status).toBe(400);
    expect((await bad({ status: 'DELIVERED' }, 'not-a-shipment')).status).toBe(400);
    const text = apiEvent({
      pathParameters: { shipmentId: EAST },
      body: 'status=DELIVERED',
      headers: { 'content-type': 'text/plain' },
      requestContext: as(['admin']),
    });
    expect((await handler(text, lambdaContext)).statusCode).toBe(415);
    expect(
      (await call(handler, { params: { shipmentId: EAST }, body: { status: 'X' }, groups: null })).status,
    ).toBe(401);
    expect(
      (await call(handler, { params: { shipmentId: EAST }, body: { status: 'X' }, groups: ['staff'] }))
        .status,
    ).toBe(403);
    expect(w.publisher.events).toEqual([]);
    expect(w.store.shipments.get(EAST)?.status).toBe('CREATED');
  });
});

describe('the other admin routes', () => {
  it('GET /admin/shipments/{shipmentId}: 200, 404, 403', async () => {
    const w = await routedWorld();
    const handler = getShipmentRoute(w.deps);
    const found = await call(handler, { method: 'GET', params: { shipmentId: EAST } });
    expect(found).toMatchObject({
      status: 200,
      body: { shipmentId: EAST, orderId: 'o-1', status: 'CREATED' },
    });
    expect(found.body).not.toHaveProperty('released');
    expect(
      (await call(handler, { method: 'GET', params: { shipmentId: shipmentIdOf('x', 'y') } })).status,
    ).toBe(404);
    expect((await call(handler, { method: 'GET', params: { shipmentId: EAST }, groups: [] })).status).toBe(
      403,
    );
  });

  it('PUT /admin/warehouses/{warehouseId} and POST .../allocations', async () => {
    const w = world();
    const put = putWarehouseRoute(w.deps);
    const body = { name: 'North', country: 'CA', region: 'ON', lat: 43.7, lon: -79.4 };
    expect(await call(put, { method: 'PUT', params: { warehouseId: 'ca-east' }, body })).toEqual({
      status: 200,
      body: { warehouseId: 'ca-east', ...body },
    });
    expect(
      (await call(put, { method: 'PUT', params: { warehouseId: 'ca-east' }, body: { ...body, lat: 91 } }))
        .status,
    ).toBe(400);
    expect((await call(put, { method: 'PUT', params: { warehouseId: 'CA East' }, body })).status).toBe(400);
    expect(
      (
        await call(put, {
          method: 'PUT',
          params: { warehouseId: 'ca-east' },
          body: { ...body, country: 'ca' },
        })
      ).status,
    ).toBe(400);
    const add = addAllocationRoute(w.deps);
    expect(
      await call(add, { params: { warehouseId: 'ca-east' }, body: { sku: 'LAMP-1', quantity: 4 } }),
    ).toEqual({
      status: 200,
      body: { warehouseId: 'ca-east', sku: 'LAMP-1', available: 4 },
    });
    expect(
      (await call(add, { params: { warehouseId: 'nowhere' }, body: { sku: 'LAMP-1', quantity: 4 } })).status,
    ).toBe(404);
    for (const bad of [{ sku: 'lamp', quantity: 1 }, { sku: 'LAMP-1', quantity: 0 }, { sku: 'LAMP-1' }]) {
      expect(
        (await call(add, { params: { warehouseId: 'ca-east' }, body: bad })).status,
        JSON.stringify(bad),
      ).toBe(400);
    }
  });
});

let seq = 0;
function record(detailType: string, detail: unknown, source?: string): SQSRecord {
  seq++;
  const spec = EVENTS[detailType as keyof typeof EVENTS];
  return {
    messageId: `m-${seq}`,
    receiptHandle: `r-${seq}`,
    body: JSON.stringify({
      id: `e-${seq}`,
      source: source ?? spec?.source ?? 'store.unknown',
      'detail-type': detailType,
      time: '2030-01-01T00:00:00Z',
      detail,
    }),
    attributes: {} as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:store-test-fulfillment-route-order',
    awsRegion: 'us-east-1',
  };
}
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

describe('RouteOrder consumer', () => {
  it('fails exactly the poison record of a batch and routes its neighbours', async () => {
    const w = world({ 'us-east': { A: 10 } });
    const handler = routeOrderConsumer(w.deps);
    const good1 = record('OrderPlaced', order('o-1', { A: 1 }));
    // Allocations cannot cover it: a RoutingError, for this record alone.
    const poison = record('OrderPlaced', order('o-2', { NOPE: 1 }));
    const good2 = record('OrderPlaced', order('o-3', { A: 2 }));
    const result = await handler(batch(good1, poison, good2), lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect([...w.store.routings.keys()].sort()).toEqual(['o-1', 'o-3']);
    expect(w.store.available('us-east', 'A')).toBe(7);
  });

  it('fails records that are not a valid OrderPlaced (bad detail, wrong source or type, not JSON)', async () => {
    const w = world({ 'us-east': { A: 10 } });
    const handler = routeOrderConsumer(w.deps);
    const bad = [
      record('OrderPlaced', { ...order('o-1', { A: 1 }), lines: [] }),
      record('OrderPlaced', order('o-2', { A: 1 }), 'store.fake'),
      record('OrderCancelled', { orderId: 'o-3' }),
      { ...record('OrderPlaced', {}), body: 'not json' },
    ];
    const fine = record('OrderPlaced', order('o-4', { A: 1 }));
    const result = await handler(batch(...bad, fine), lambdaContext);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(bad.map((r) => r.messageId));
    expect([...w.store.routings.keys()]).toEqual(['o-4']);
  });

  it('takes OrderPlaced v1 and v2 side by side, and refuses a detail that fits neither', async () => {
    const w = world({ 'us-east': { A: 10 } });
    const handler = routeOrderConsumer(w.deps);
    const { shippingAddress, ...v1Fields } = orderV1('o-1', { A: 1 });
    const { shipTo, ...v2Fields } = order('o-2', { A: 1 });
    const good = [
      record('OrderPlaced', orderV1('o-1', { A: 1 })),
      record('OrderPlaced', order('o-2', { A: 1 })),
    ];
    const bad = [
      // v2 with the address instead of shipTo, v1 without its address, a version nobody publishes.
      record('OrderPlaced', { ...v2Fields, shippingAddress }),
      record('OrderPlaced', v1Fields),
      record('OrderPlaced', { ...v2Fields, shipTo, version: 3 }),
      record('OrderPlaced', { ...v2Fields, shipTo: { country: 'United States' } }),
    ];
    const result = await handler(batch(...good, ...bad), lambdaContext);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(bad.map((r) => r.messageId));
    expect([...w.store.routings.keys()].sort()).toEqual(['o-1', 'o-2']);
    expect(w.store.available('us-east', 'A')).toBe(8);
  });

  it('routes the same OrderPlaced delivered twice once', async () => {
    const w = world({ 'us-east': { A: 10 } });
    const handler = routeOrderConsumer(w.deps);
    const placed = order('o-1', { A: 4 });
    const first = await handler(batch(record('OrderPlaced', placed)), lambdaContext);
    const second = await handler(
      batch(record('OrderPlaced', placed), record('OrderPlaced', placed)),
      lambdaContext,
    );
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(w.store.applies).toBe(1);
    expect(w.store.available('us-east', 'A')).toBe(6);
    expect(new Set(w.publisher.of('ShipmentCreated').map((e) => JSON.stringify(e))).size).toBe(1);
  });
});

describe('ReleaseShipments consumer', () => {
  const cancelledEvent = (orderId: string) => ({
    version: 1,
    orderId,
    userId: 'user-1',
    lines: [{ sku: 'A', quantity: 1 }],
    refund: { amount: 1000, currency: 'USD' },
    contact: {},
    cancelledAt: '2030-01-02T00:00:00.000Z',
  });

  it('returns the units once, however often OrderCancelled arrives, and fails only a bad record', async () => {
    const w = await routedWorld();
    await cancelOrderShipments(w.deps, 'o-1');
    const handler = releaseShipmentsConsumer(w.deps);
    const poison = record('OrderCancelled', { orderId: 'o-1' });
    const result = await handler(
      batch(
        record('OrderCancelled', cancelledEvent('o-1')),
        poison,
        record('OrderCancelled', cancelledEvent('o-1')),
      ),
      lambdaContext,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect(w.store.available('us-east', 'A')).toBe(10);
    expect(w.store.shipments.get(EAST)?.released).toBe(true);
  });
});
