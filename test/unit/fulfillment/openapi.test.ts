/**
 * The fulfillment admin routes against the published OpenAPI document: a path id or body is a
 * 400 exactly when the document refuses it, and every answer (each status the handlers produce)
 * is listed with a body its schema accepts with no unnamed property.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { shipmentIdOf } from '../../../lambdas/fulfillment/domain/shipment.ts';
import { routeOrder } from '../../../lambdas/fulfillment/domain/use-cases.ts';
import {
  addAllocationRoute,
  getShipmentRoute,
  putWarehouseRoute,
  shipmentEventRoute,
} from '../../../lambdas/fulfillment/handlers/routes.ts';
import { registerFulfillmentPaths } from '../../../lambdas/fulfillment/openapi.ts';
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
import { order, world } from './fixtures.ts';

const EVENTS = 'POST /admin/shipments/{shipmentId}/events';
const SHIPMENT = 'GET /admin/shipments/{shipmentId}';
const WAREHOUSE = 'PUT /admin/warehouses/{warehouseId}';
const ALLOCATIONS = 'POST /admin/warehouses/{warehouseId}/allocations';

type Handler = (event: APIGatewayProxyEvent, context: typeof lambdaContext) => Promise<APIGatewayProxyResult>;

function call(
  handler: Handler,
  opts: { params: Record<string, string>; body?: unknown; groups?: string[] | null; contentType?: string },
) {
  return handler(
    apiEvent({
      pathParameters: opts.params,
      headers: { 'content-type': opts.contentType ?? 'application/json' },
      body:
        opts.body === undefined
          ? null
          : typeof opts.body === 'string'
            ? opts.body
            : JSON.stringify(opts.body),
      requestContext: {
        requestId: 'req-1',
        authorizer:
          opts.groups === null
            ? null
            : { sub: 'carrier-1', groups: JSON.stringify(opts.groups ?? ['admin']) },
      } as unknown as APIGatewayProxyEvent['requestContext'],
    }),
    lambdaContext,
  );
}

async function routed() {
  const w = world({ 'us-east': { A: 10 } });
  await routeOrder(w.deps, order('o-1', { A: 1 }));
  return { ...w, shipmentId: shipmentIdOf('o-1', 'us-east') };
}

const SHIPMENT_IDS = [
  shipmentIdOf('o-unknown', 'us-east'),
  `shp_${'a'.repeat(24)}`,
  `shp_${'A'.repeat(24)}`,
  `shp_${'a'.repeat(23)}`,
  `shp_${'a'.repeat(25)}`,
  `shp_${'g'.repeat(24)}`,
  'not-a-shipment',
  'x'.repeat(200),
  '',
];
const WAREHOUSE_IDS = [
  'ca-east',
  'a',
  'x'.repeat(64),
  'x'.repeat(65),
  'CA-East',
  'ca east',
  'ca_east',
  '',
  'é',
];

const warehouse = { name: 'North', country: 'CA', region: 'ON', lat: 43.7, lon: -79.4 };

describe('the fulfillment routes and the document agree on parameters and bodies', () => {
  it('shipmentId: a 400 exactly where the documented pattern refuses it, else 404', async () => {
    const { deps } = await routed();
    for (const shipmentId of SHIPMENT_IDS) {
      for (const [route, res] of [
        [SHIPMENT, await call(getShipmentRoute(deps), { params: { shipmentId } })],
        [
          EVENTS,
          await call(shipmentEventRoute(deps), { params: { shipmentId }, body: { status: 'DELIVERED' } }),
        ],
      ] as const) {
        const allowed = documentAllowsParam(route, 'path', 'shipmentId', shipmentId);
        expect(res.statusCode, `${route} ${shipmentId}`).toBe(allowed ? 404 : 400);
        if (!allowed) expect(refusedFields(res)).toEqual(['shipmentId']);
        expectDocumented(route, res);
      }
    }
  });

  it('warehouseId: a 400 exactly where the documented pattern refuses it; PUT creates, allocations 404 unknown', async () => {
    const { deps } = world();
    for (const warehouseId of WAREHOUSE_IDS) {
      const allocation = await call(addAllocationRoute(deps), {
        params: { warehouseId },
        body: { sku: 'A', quantity: 1 },
      });
      const put = await call(putWarehouseRoute(deps), { params: { warehouseId }, body: warehouse });
      const allowed = documentAllowsParam(WAREHOUSE, 'path', 'warehouseId', warehouseId);
      expect(documentAllowsParam(ALLOCATIONS, 'path', 'warehouseId', warehouseId)).toBe(allowed);
      expect(put.statusCode, warehouseId).toBe(allowed ? 200 : 400);
      expect(allocation.statusCode, warehouseId).toBe(allowed ? 404 : 400);
      expectDocumented(WAREHOUSE, put);
      expectDocumented(ALLOCATIONS, allocation);
    }
  });

  it('bodies: a 400 exactly where the CarrierEvent, WarehouseWrite and AddAllocation schemas refuse them', async () => {
    const w = await routed();
    w.store.warehouses.set('ca-east', { warehouseId: 'ca-east', ...warehouse });
    const cases: [string, Handler, Record<string, string>, unknown[]][] = [
      [
        EVENTS,
        shipmentEventRoute(w.deps),
        { shipmentId: shipmentIdOf('o-unknown', 'x') },
        [
          { status: 'SHIPPED', trackingNumber: 'TRK-1' },
          { status: 'SHIPPED' },
          { status: 'DELIVERED' },
          { status: 'DELIVERED', trackingNumber: 'TRK-1' },
          { status: 'LOST' },
          { status: 'SHIPPED', trackingNumber: 'has space' },
          { status: 'SHIPPED', trackingNumber: 'x'.repeat(65) },
          { status: 'DELIVERED', extra: 1 },
          [],
          'text',
        ],
      ],
      [
        WAREHOUSE,
        putWarehouseRoute(w.deps),
        { warehouseId: 'ca-east' },
        [
          warehouse,
          ...[-90, 90, -91, 91, 0.5].map((lat) => ({ ...warehouse, lat })),
          ...[-180, 180, -181, 181].map((lon) => ({ ...warehouse, lon })),
          ...['CA', 'ca', 'CAN', ''].map((country) => ({ ...warehouse, country })),
          ...awkwardText(100).map((name) => ({ ...warehouse, name })),
          ...awkwardText(64).map((region) => ({ ...warehouse, region })),
          { ...warehouse, extra: true },
          { name: 'x' },
        ],
      ],
      [
        ALLOCATIONS,
        addAllocationRoute(w.deps),
        { warehouseId: 'ca-east' },
        [
          { sku: 'A', quantity: 1 },
          { sku: 'LAMP-1', quantity: 1_000_000 },
          { sku: 'LAMP-1', quantity: 1_000_001 },
          { sku: 'LAMP-1', quantity: 0 },
          { sku: 'LAMP-1', quantity: 1.5 },
          { sku: 'lamp', quantity: 1 },
          { sku: 'X'.repeat(64), quantity: 1 },
          { sku: 'X'.repeat(65), quantity: 1 },
          { sku: 'LAMP-1' },
          { sku: 'LAMP-1', quantity: 1, note: 'x' },
        ],
      ],
    ];
    for (const [route, handler, params, bodies] of cases) {
      for (const body of bodies) {
        const res = await call(handler, { params, body: JSON.stringify(body) });
        const allowed = documentAllowsBody(route, body);
        expect(
          res.statusCode === 400,
          `${route} ${allowed ? 'allows' : 'refuses'} ${JSON.stringify(body)}`,
        ).toBe(!allowed);
        expectDocumented(route, res);
      }
    }
  });
});

describe('the fulfillment routes answer only what the document lists', () => {
  it('POST .../events: 200 (a move, a repeat), 401, 403, 409 (an illegal move, contention), 415', async () => {
    const { deps, store, shipmentId } = await routed();
    const handler = shipmentEventRoute(deps);
    const event = (body: unknown, groups?: string[] | null) =>
      call(handler, { params: { shipmentId }, body, groups });
    const expectations: [number, APIGatewayProxyResult][] = [
      [409, await event({ status: 'DELIVERED' })],
      [200, await event({ status: 'SHIPPED', trackingNumber: 'TRK-1' })],
      [200, await event({ status: 'SHIPPED', trackingNumber: 'TRK-1' })],
      [409, await event({ status: 'SHIPPED', trackingNumber: 'TRK-2' })],
      [401, await event({ status: 'DELIVERED' }, null)],
      [403, await event({ status: 'DELIVERED' }, ['staff'])],
      [
        415,
        await call(handler, { params: { shipmentId }, body: 'status=DELIVERED', contentType: 'text/plain' }),
      ],
    ];
    store.contend = 100;
    expectations.push([409, await event({ status: 'DELIVERED' })]);
    store.contend = 0;
    expectations.push([200, await event({ status: 'DELIVERED' })]);
    for (const [status, res] of expectations) {
      expect(res.statusCode, res.body).toBe(status);
      expectDocumented(EVENTS, res);
    }
    const shipped = JSON.parse(expectations[1]?.[1].body ?? '{}');
    expect(shipped).toMatchObject({ status: 'SHIPPED', trackingNumber: 'TRK-1' });
  });

  it('GET /admin/shipments/{shipmentId}: 200, 401, 403', async () => {
    const { deps, shipmentId } = await routed();
    const handler = getShipmentRoute(deps);
    for (const [status, groups] of [
      [200, undefined],
      [401, null],
      [403, []],
    ] as const) {
      const res = await call(handler, {
        params: { shipmentId },
        groups: groups === undefined ? undefined : groups && [...groups],
      });
      expect(res.statusCode).toBe(status);
      expectDocumented(SHIPMENT, res);
    }
  });

  it('PUT /admin/warehouses/{warehouseId} and POST .../allocations: 401, 403, 415, and 409 under contention', async () => {
    const { deps, store } = world();
    for (const [route, handler, body] of [
      [WAREHOUSE, putWarehouseRoute(deps), warehouse],
      [ALLOCATIONS, addAllocationRoute(deps), { sku: 'A', quantity: 1 }],
    ] as const) {
      for (const [status, res] of [
        [401, await call(handler, { params: { warehouseId: 'us-east' }, body, groups: null })],
        [403, await call(handler, { params: { warehouseId: 'us-east' }, body, groups: [] })],
        [415, await call(handler, { params: { warehouseId: 'us-east' }, body, contentType: 'text/plain' })],
        [200, await call(handler, { params: { warehouseId: 'us-east' }, body })],
      ] as const) {
        expect(res.statusCode, route).toBe(status);
        expectDocumented(route, res);
      }
    }
    store.contend = 100;
    const busy = await call(addAllocationRoute(deps), {
      params: { warehouseId: 'us-east' },
      body: { sku: 'A', quantity: 1 },
    });
    expect(busy.statusCode).toBe(409);
    expectDocumented(ALLOCATIONS, busy);
  });

  afterAll(() => {
    // Every status the fulfillment registration lists was produced by its handler in these tests;
    // 415 is the ops document's, for every operation with a body.
    for (const route of [EVENTS, SHIPMENT, WAREHOUSE, ALLOCATIONS]) {
      const own = ownStatuses(registerFulfillmentPaths, route);
      expect(produced(route), route).toEqual(route === SHIPMENT ? own : [...own, '415'].sort());
    }
  });
});
