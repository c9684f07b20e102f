import { describe, expect, it } from 'vitest';
import {
  FulfillmentBusyError,
  ShipmentNotFoundError,
  ShipmentStateError,
  WarehouseNotFoundError,
} from '../../../lambdas/fulfillment/domain/errors.ts';
import { RoutingError } from '../../../lambdas/fulfillment/domain/routing.ts';
import { shipmentIdOf } from '../../../lambdas/fulfillment/domain/shipment.ts';
import {
  addAllocation,
  cancelOrderShipments,
  getShipment,
  putWarehouse,
  recordCarrierEvent,
  releaseShipments,
  routeOrder,
} from '../../../lambdas/fulfillment/domain/use-cases.ts';
import { order, orderV1, T0, type World, world } from './fixtures.ts';

const EAST = shipmentIdOf('o-1', 'us-east');
const WEST = shipmentIdOf('o-1', 'us-west');

/** A, B at us-east; A at us-central; C at us-west only: an order of A and C splits in two. */
const stocked = () => world({ 'us-east': { A: 10, B: 10 }, 'us-central': { A: 10 }, 'us-west': { C: 10 } });

async function routed(w: World, lines: Record<string, number> = { A: 2, C: 1 }) {
  await routeOrder(w.deps, order('o-1', lines));
  w.publisher.events.length = 0;
}

describe('RouteOrder', () => {
  it('routes to the nearest warehouse, takes the units and publishes one ShipmentCreated', async () => {
    const w = stocked();
    const result = await routeOrder(w.deps, order('o-1', { A: 2, B: 1 }));
    expect(result.outcome).toBe('routed');
    expect(w.store.available('us-east', 'A')).toBe(8);
    expect(w.store.available('us-east', 'B')).toBe(9);
    expect(w.store.available('us-central', 'A')).toBe(10);
    expect(w.store.shipments.get(EAST)).toEqual({
      shipmentId: EAST,
      orderId: 'o-1',
      warehouseId: 'us-east',
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      status: 'CREATED',
      contact: { email: 'buyer@example.com' },
      createdAt: '2030-01-02T10:00:00.000Z',
      updatedAt: '2030-01-02T10:00:00.000Z',
      history: [{ status: 'CREATED', at: '2030-01-02T10:00:00.000Z' }],
    });
    expect(w.publisher.events).toEqual([
      {
        name: 'ShipmentCreated',
        detail: {
          version: 1,
          shipmentId: EAST,
          orderId: 'o-1',
          warehouseId: 'us-east',
          items: [
            { sku: 'A', quantity: 2 },
            { sku: 'B', quantity: 1 },
          ],
          shipmentsInOrder: 1,
          createdAt: '2030-01-02T10:00:00.000Z',
        },
      },
    ]);
    // Routing from the west coast picks the nearer of the two holding A.
    await routeOrder(w.deps, order('o-2', { A: 1 }, { region: 'CA' }));
    expect(w.store.available('us-central', 'A')).toBe(9);
  });

  it('routes an OrderPlaced v1 from its address exactly as the same order in v2 from its shipTo', async () => {
    for (const where of [{ region: 'CA' }, { region: 'NJ' }, { country: 'CA', region: 'ON' }]) {
      const [v1, v2] = [stocked(), stocked()];
      const fromV1 = await routeOrder(v1.deps, orderV1('o-1', { A: 1 }, where));
      const fromV2 = await routeOrder(v2.deps, order('o-1', { A: 1 }, where));
      expect(fromV1.outcome, JSON.stringify(where)).toBe('routed');
      expect(fromV1.shipments, JSON.stringify(where)).toEqual(fromV2.shipments);
      expect(v1.publisher.events).toEqual(v2.publisher.events);
    }
    // The west coast order goes west, the New Jersey one east: routing read the region in both versions.
    const west = stocked();
    await routeOrder(west.deps, orderV1('o-1', { A: 1 }, { region: 'CA' }));
    expect(west.store.available('us-central', 'A')).toBe(9);
  });

  it('routes a v2 without a region on its country alone', async () => {
    const w = stocked();
    const { region: _r, ...countryOnly } = order('o-1', { A: 1 }).shipTo;
    const result = await routeOrder(w.deps, { ...order('o-1', { A: 1 }), shipTo: countryOnly });
    expect(result.outcome).toBe('routed');
    expect(result.shipments).toHaveLength(1);
  });

  it('splits an order no warehouse can ship whole, one event per shipment with the count', async () => {
    const w = stocked();
    await routeOrder(w.deps, order('o-1', { A: 2, C: 1 }));
    expect([...w.store.shipments.keys()].sort()).toEqual([EAST, WEST].sort());
    const created = w.publisher.of('ShipmentCreated');
    expect(created.map((e) => [e.warehouseId, e.shipmentsInOrder, e.items])).toEqual(
      expect.arrayContaining([
        ['us-east', 2, [{ sku: 'A', quantity: 2 }]],
        ['us-west', 2, [{ sku: 'C', quantity: 1 }]],
      ]),
    );
    expect(created).toHaveLength(2);
    for (const sku of ['A', 'B', 'C']) expect(w.store.unitsOf(sku)).toBe(sku === 'A' ? 20 : 10);
  });

  it('routes the same order once: a second delivery re-publishes the same events and takes nothing', async () => {
    const w = stocked();
    await routeOrder(w.deps, order('o-1', { A: 2, C: 1 }));
    const first = [...w.publisher.events];
    w.clock.now = new Date('2030-01-03T00:00:00.000Z');
    const again = await routeOrder(w.deps, order('o-1', { A: 2, C: 1 }));
    expect(again.outcome).toBe('republished');
    expect(w.store.applies).toBe(1);
    expect(w.store.available('us-east', 'A')).toBe(8);
    expect(w.publisher.events.slice(first.length)).toEqual(first);
  });

  it('publishes after a crash between the write and the publish, on the redelivery', async () => {
    const w = stocked();
    w.publisher.fail = 1;
    await expect(routeOrder(w.deps, order('o-1', { A: 1 }))).rejects.toThrow('PutEvents failed');
    expect(w.store.available('us-east', 'A')).toBe(9);
    await routeOrder(w.deps, order('o-1', { A: 1 }));
    expect(w.publisher.of('ShipmentCreated').map((e) => e.shipmentId)).toEqual([EAST]);
    expect(w.store.available('us-east', 'A')).toBe(9);
  });

  it('plans again when the allocation it planned on was taken meanwhile', async () => {
    const w = stocked();
    w.store.beforeWrite = () => w.store.setAllocation('us-east', 'A', 0);
    await routeOrder(w.deps, order('o-1', { A: 3 }));
    expect([...w.store.shipments.values()].map((s) => s.warehouseId)).toEqual(['us-central']);
    expect(w.store.available('us-central', 'A')).toBe(7);
  });

  it('waits out contention, and gives up busy (for SQS to retry) when it lasts', async () => {
    const w = stocked();
    w.store.contend = 2;
    expect((await routeOrder(w.deps, order('o-1', { A: 1 }))).outcome).toBe('routed');
    w.store.contend = 100;
    await expect(routeOrder(w.deps, order('o-2', { A: 1 }))).rejects.toThrow(FulfillmentBusyError);
  });

  it('lets a concurrent delivery that routed first win, and re-publishes its route', async () => {
    const w = stocked();
    w.store.beforeWrite = () => {
      w.store.routings.set('o-1', {
        orderId: 'o-1',
        status: 'routed',
        shipments: [{ shipmentId: EAST, warehouseId: 'us-east', items: [{ sku: 'A', quantity: 1 }] }],
        createdAt: T0,
        updatedAt: T0,
      });
    };
    expect((await routeOrder(w.deps, order('o-1', { A: 1 }))).outcome).toBe('republished');
    expect(w.store.available('us-east', 'A')).toBe(10);
    expect(w.publisher.of('ShipmentCreated')).toMatchObject([{ shipmentId: EAST, createdAt: T0 }]);
  });

  it('refuses an order the allocations cannot cover, writing nothing', async () => {
    const w = stocked();
    await expect(routeOrder(w.deps, order('o-1', { A: 25 }))).rejects.toThrow(RoutingError);
    await expect(routeOrder(w.deps, order('o-1', { NOPE: 1 }))).rejects.toThrow(RoutingError);
    expect(w.store.routings.size).toBe(0);
    expect(w.publisher.events).toEqual([]);
  });

  it('refuses a route that needs more writes than one transaction takes', async () => {
    // 60 SKUs, each split 1 + 1 over two warehouses: 120 allocation updates.
    const stock = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`S${i}`, 1]));
    const w = world({ 'us-east': stock, 'us-west': stock });
    const lines = Object.fromEntries(Object.keys(stock).map((sku) => [sku, 2]));
    await expect(routeOrder(w.deps, order('o-1', lines))).rejects.toThrow(/more than one transaction takes/);
    // 50 lines over two warehouses (the limit's intended case) fit.
    const fits = Object.fromEntries(
      Object.keys(stock)
        .slice(0, 48)
        .map((sku) => [sku, 1]),
    );
    expect((await routeOrder(w.deps, order('o-2', fits))).outcome).toBe('routed');
  });
});

describe('the cancel call', () => {
  it('cancels every CREATED shipment in one go, and says so again on a repeat', async () => {
    const w = stocked();
    await routed(w);
    const result = await cancelOrderShipments(w.deps, 'o-1');
    expect(result.outcome).toBe('cancelled');
    expect(result.shipments.map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(result.shipments[0]).toEqual({
      shipmentId: expect.any(String),
      warehouseId: expect.any(String),
      items: expect.any(Array),
      status: 'CANCELLED',
    });
    expect(w.store.shipments.get(EAST)?.history.map((h) => h.status)).toEqual(['CREATED', 'CANCELLED']);
    expect(w.store.routings.get('o-1')?.status).toBe('cancelled');
    expect((await cancelOrderShipments(w.deps, 'o-1')).outcome).toBe('cancelled');
    expect(w.store.shipments.get(EAST)?.history).toHaveLength(2);
    // A redelivered OrderPlaced of a cancelled order publishes nothing.
    expect((await routeOrder(w.deps, order('o-1', { A: 2, C: 1 }))).outcome).toBe('cancelled');
    expect(w.publisher.events).toEqual([]);
  });

  it('changes nothing once any shipment has shipped', async () => {
    const w = stocked();
    await routed(w);
    await recordCarrierEvent(w.deps, WEST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    const result = await cancelOrderShipments(w.deps, 'o-1');
    expect(result.outcome).toBe('shipped');
    expect(Object.fromEntries(result.shipments.map((s) => [s.shipmentId, s.status]))).toEqual({
      [EAST]: 'CREATED',
      [WEST]: 'SHIPPED',
    });
    expect(result.shipments.find((s) => s.shipmentId === WEST)?.trackingNumber).toBe('TRK-1');
    expect(w.store.shipments.get(EAST)?.status).toBe('CREATED');
    expect(w.store.routings.get('o-1')?.status).toBe('routed');
  });

  it("answers none for an order not routed yet, and makes that order's routing a no-op", async () => {
    const w = stocked();
    expect(await cancelOrderShipments(w.deps, 'o-1')).toEqual({ outcome: 'none', shipments: [] });
    expect(await cancelOrderShipments(w.deps, 'o-1')).toEqual({ outcome: 'none', shipments: [] });
    expect((await routeOrder(w.deps, order('o-1', { A: 1 }))).outcome).toBe('cancelled');
    expect(w.store.shipments.size).toBe(0);
    expect(w.store.available('us-east', 'A')).toBe(10);
    expect(w.publisher.events).toEqual([]);
  });

  it('cancels the shipments when routing wins the race with the cancel', async () => {
    const w = stocked();
    w.store.beforeWrite = async () => {
      await routeOrder({ ...w.deps, publisher: { publish: async () => {} } }, order('o-1', { A: 1 }));
    };
    // The route lands between the cancel's read (no record) and its write.
    const result = await cancelOrderShipments(w.deps, 'o-1');
    expect(result).toMatchObject({
      outcome: 'cancelled',
      shipments: [{ shipmentId: EAST, status: 'CANCELLED' }],
    });
  });

  it('answers shipped when the carrier wins the race with the cancel', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    w.store.beforeWrite = () => {
      const s = w.store.shipments.get(EAST);
      if (s) w.store.shipments.set(EAST, { ...s, status: 'SHIPPED', trackingNumber: 'TRK-9' });
    };
    expect((await cancelOrderShipments(w.deps, 'o-1')).outcome).toBe('shipped');
    expect(w.store.shipments.get(EAST)?.status).toBe('SHIPPED');
  });
});

describe('ReleaseShipments', () => {
  it("returns a cancelled order's units once", async () => {
    const w = stocked();
    await routed(w);
    await cancelOrderShipments(w.deps, 'o-1');
    expect(w.store.available('us-east', 'A')).toBe(8);
    const report = await releaseShipments(w.deps, 'o-1');
    expect(report.released.sort()).toEqual([EAST, WEST].sort());
    expect(w.store.available('us-east', 'A')).toBe(10);
    expect(w.store.available('us-west', 'C')).toBe(10);
    expect(await releaseShipments(w.deps, 'o-1')).toEqual({ released: [], notCancelled: [] });
    expect(w.store.available('us-east', 'A')).toBe(10);
    for (const sku of ['A', 'B', 'C']) expect(w.store.unitsOf(sku)).toBe(sku === 'A' ? 20 : 10);
  });

  it('leaves shipments the cancel did not cancel alone, and an unrouted order is nothing to do', async () => {
    const w = stocked();
    await routed(w);
    expect((await releaseShipments(w.deps, 'o-1')).notCancelled).toHaveLength(2);
    expect(w.store.available('us-east', 'A')).toBe(8);
    expect(await releaseShipments(w.deps, 'o-unknown')).toEqual({ released: [], notCancelled: [] });
    await cancelOrderShipments(w.deps, 'o-2');
    expect(await releaseShipments(w.deps, 'o-2')).toEqual({ released: [], notCancelled: [] });
  });

  it('counts a release another delivery made first as done', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    await cancelOrderShipments(w.deps, 'o-1');
    w.store.beforeWrite = async () => {
      const s = w.store.shipments.get(EAST);
      if (s) await w.store.releaseShipment(s, new Date());
    };
    expect((await releaseShipments(w.deps, 'o-1')).released).toEqual([]);
    expect(w.store.available('us-east', 'A')).toBe(10);
  });
});

describe('carrier callbacks', () => {
  it('ships with the tracking number, then delivers, one event each with the buyer contact', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    w.clock.now = new Date('2030-01-03T08:00:00.000Z');
    const shipped = await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    expect(shipped).toMatchObject({ status: 'SHIPPED', trackingNumber: 'TRK-1' });
    expect(shipped).not.toHaveProperty('unpublished');
    expect(await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' })).toEqual(
      shipped,
    );
    w.clock.now = new Date('2030-01-04T08:00:00.000Z');
    const delivered = await recordCarrierEvent(w.deps, EAST, { status: 'DELIVERED' });
    expect(delivered.history.map((h) => h.status)).toEqual(['CREATED', 'SHIPPED', 'DELIVERED']);
    await recordCarrierEvent(w.deps, EAST, { status: 'DELIVERED', trackingNumber: 'TRK-1' });
    await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    expect(w.publisher.events).toEqual([
      {
        name: 'ShipmentShipped',
        detail: {
          version: 1,
          shipmentId: EAST,
          orderId: 'o-1',
          trackingNumber: 'TRK-1',
          contact: { email: 'buyer@example.com' },
          shippedAt: '2030-01-03T08:00:00.000Z',
        },
      },
      {
        name: 'ShipmentDelivered',
        detail: {
          version: 1,
          shipmentId: EAST,
          orderId: 'o-1',
          contact: { email: 'buyer@example.com' },
          deliveredAt: '2030-01-04T08:00:00.000Z',
        },
      },
    ]);
    expect(w.store.shipments.get(EAST)).not.toHaveProperty('unpublished');
  });

  it('refuses illegal moves (409) and unknown shipments (404), changing nothing', async () => {
    const w = stocked();
    await routed(w);
    await expect(recordCarrierEvent(w.deps, EAST, { status: 'DELIVERED' })).rejects.toThrow(
      ShipmentStateError,
    );
    await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    await expect(
      recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-2' }),
    ).rejects.toThrow(ShipmentStateError);
    await cancelOrderShipments(w.deps, 'o-2');
    const other = stocked();
    await routed(other);
    await cancelOrderShipments(other.deps, 'o-1');
    await expect(
      recordCarrierEvent(other.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' }),
    ).rejects.toThrow(ShipmentStateError);
    await expect(
      recordCarrierEvent(w.deps, shipmentIdOf('o-9', 'us-east'), { status: 'DELIVERED' }),
    ).rejects.toThrow(ShipmentNotFoundError);
    expect(w.publisher.of('ShipmentShipped')).toHaveLength(1);
    expect(other.publisher.events).toEqual([]);
  });

  it('publishes an event whose publish crashed after the write, on the next callback, once', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    w.publisher.fail = 1;
    await expect(
      recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' }),
    ).rejects.toThrow('PutEvents failed');
    expect(w.store.shipments.get(EAST)).toMatchObject({ status: 'SHIPPED', unpublished: 'SHIPPED' });
    // The carrier retries (it saw a 5xx): a repeat, which publishes what was left unpublished.
    await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    expect(w.publisher.of('ShipmentShipped')).toHaveLength(1);
    expect(w.store.shipments.get(EAST)).not.toHaveProperty('unpublished');
  });

  it('decides again on what a concurrent callback wrote first', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    w.store.beforeWrite = () => {
      const s = w.store.shipments.get(EAST);
      if (s) w.store.shipments.set(EAST, { ...s, status: 'SHIPPED', trackingNumber: 'TRK-1' });
    };
    const result = await recordCarrierEvent(w.deps, EAST, { status: 'SHIPPED', trackingNumber: 'TRK-1' });
    expect(result.status).toBe('SHIPPED');
    // The other writer published its own event; this repeat publishes none.
    expect(w.publisher.events).toEqual([]);
  });

  it('reads a shipment, 404 for an unknown one', async () => {
    const w = stocked();
    await routed(w, { A: 1 });
    expect(await getShipment(w.deps, EAST)).toMatchObject({ shipmentId: EAST, status: 'CREATED' });
    await expect(getShipment(w.deps, WEST)).rejects.toThrow(ShipmentNotFoundError);
  });
});

describe('warehouse data', () => {
  it('puts warehouses and adds allocations to known ones only', async () => {
    const w = world();
    const body = { name: 'North', country: 'CA', region: 'ON', lat: 43.7, lon: -79.4 };
    expect(await putWarehouse(w.deps, 'ca-east', body)).toEqual({ warehouseId: 'ca-east', ...body });
    expect(await addAllocation(w.deps, 'ca-east', { sku: 'A', quantity: 3 })).toEqual({
      warehouseId: 'ca-east',
      sku: 'A',
      available: 3,
    });
    w.store.contend = 1;
    expect((await addAllocation(w.deps, 'ca-east', { sku: 'A', quantity: 2 })).available).toBe(5);
    await expect(addAllocation(w.deps, 'nowhere', { sku: 'A', quantity: 1 })).rejects.toThrow(
      WarehouseNotFoundError,
    );
  });
});
