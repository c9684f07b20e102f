import { describe, expect, it } from 'vitest';
import {
  applyRefund,
  applyShipmentEvent,
  cancelOrder,
  NotYetKnownError,
  OrderNotCancellableError,
  type ShipmentEvent,
  withShipmentEvent,
} from '#orders/domain/after-placement.ts';
import { OrderNotFoundError } from '#orders/domain/errors.ts';
import type { Order } from '#orders/domain/order.ts';
import { admin, alice, bob, InMemoryOrders, START, usd } from './memory.ts';

const AT = START.toISOString();

function confirmed(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'ord_after',
    userId: 'alice',
    cartId: 'u-x',
    status: 'CONFIRMED',
    items: [
      {
        sku: 'A',
        productId: 'p-A',
        name: 'A',
        quantity: 2,
        unitPrice: usd(500),
        cartPrice: usd(500),
        lineTotal: usd(1000),
      },
    ],
    subtotal: usd(1000),
    shipping: usd(599),
    total: usd(1599),
    shippingAddress: { name: 'A', line1: '1', city: 'C', postalCode: '12345', country: 'US' },
    payment: { status: 'CAPTURED', amount: usd(1599) },
    paymentToken: 'tok_visa',
    requestDigest: 'd',
    contact: { email: 'alice@example.com' },
    timeline: [
      { status: 'PENDING', at: AT },
      { status: 'CONFIRMED', at: AT },
    ],
    createdAt: AT,
    updatedAt: AT,
    version: 2,
    ...overrides,
  };
}

const created = (shipmentId: string, shipmentsInOrder = 1): ShipmentEvent => ({
  kind: 'created',
  detail: {
    version: 1,
    shipmentId,
    orderId: 'ord_after',
    warehouseId: `wh-${shipmentId}`,
    items: [{ sku: 'A', quantity: 1 }],
    shipmentsInOrder,
    createdAt: AT,
  },
});
const shipped = (shipmentId: string, trackingNumber = 'TRK-1'): ShipmentEvent => ({
  kind: 'shipped',
  detail: { version: 1, shipmentId, orderId: 'ord_after', trackingNumber, contact: {}, shippedAt: AT },
});
const delivered = (shipmentId: string): ShipmentEvent => ({
  kind: 'delivered',
  detail: { version: 1, shipmentId, orderId: 'ord_after', contact: {}, deliveredAt: AT },
});

function setup(order = confirmed()) {
  const orders = new InMemoryOrders();
  orders.orders.set(order.orderId, order);
  const published: { name: string; detail: unknown }[] = [];
  let cancelAnswer: 'cancelled' | 'none' | 'shipped' = 'cancelled';
  const deps = {
    orders,
    now: () => START,
    fulfillment: { cancelShipments: async () => cancelAnswer },
    events: {
      publish: async (name: string, detail: unknown) => {
        published.push({ name, detail });
      },
    },
  };
  return { orders, deps, published, answer: (a: typeof cancelAnswer) => (cancelAnswer = a) };
}

describe('shipment events move the order', () => {
  it('FULFILLING on the first shipment, SHIPPED once all shipped, DELIVERED once all delivered, each on the timeline', async () => {
    const { orders, deps } = setup();
    for (const event of [created('s1', 2), created('s2', 2), shipped('s1')])
      await applyShipmentEvent(deps, event);
    expect(orders.orders.get('ord_after')?.status).toBe('FULFILLING');
    await applyShipmentEvent(deps, shipped('s2', 'TRK-2'));
    expect(orders.orders.get('ord_after')?.status).toBe('SHIPPED');
    await applyShipmentEvent(deps, delivered('s1'));
    expect(orders.orders.get('ord_after')?.status).toBe('SHIPPED');
    await applyShipmentEvent(deps, delivered('s2'));
    const order = orders.orders.get('ord_after') as Order;
    expect(order.status).toBe('DELIVERED');
    expect(order.shipments?.map((s) => [s.shipmentId, s.status, s.trackingNumber])).toEqual([
      ['s1', 'DELIVERED', 'TRK-1'],
      ['s2', 'DELIVERED', 'TRK-2'],
    ]);
    expect(order.timeline.slice(2).map((t) => [t.status, t.shipmentId, t.shipmentStatus])).toEqual([
      ['FULFILLING', 's1', 'CREATED'],
      ['FULFILLING', 's2', 'CREATED'],
      ['FULFILLING', 's1', 'SHIPPED'],
      ['SHIPPED', 's2', 'SHIPPED'],
      ['SHIPPED', 's1', 'DELIVERED'],
      ['DELIVERED', 's2', 'DELIVERED'],
    ]);
    expect(order.version).toBe(2 + 6);
  });

  it('waits for every shipment of a split order before calling it SHIPPED', async () => {
    const { orders, deps } = setup();
    await applyShipmentEvent(deps, created('s1', 2));
    await applyShipmentEvent(deps, shipped('s1'));
    // The second shipment is not known yet: one shipped of two expected is still FULFILLING.
    expect(orders.orders.get('ord_after')?.status).toBe('FULFILLING');
  });

  it('changes nothing on a repeat or a late event, and defers an event about an unknown shipment', async () => {
    const { orders, deps } = setup();
    await applyShipmentEvent(deps, created('s1'));
    await applyShipmentEvent(deps, shipped('s1'));
    const before = structuredClone(orders.orders.get('ord_after'));
    const writes = orders.writes;
    await applyShipmentEvent(deps, created('s1'));
    await applyShipmentEvent(deps, shipped('s1'));
    expect(orders.writes).toBe(writes);
    expect(orders.orders.get('ord_after')).toEqual(before);
    await applyShipmentEvent(deps, delivered('s1'));
    // A SHIPPED delivered late (after DELIVERED) does not move it back.
    expect(withShipmentEvent(orders.orders.get('ord_after') as Order, shipped('s1'), AT)).toBeUndefined();
    await expect(applyShipmentEvent(deps, shipped('s9'))).rejects.toBeInstanceOf(NotYetKnownError);
    await expect(
      applyShipmentEvent({ ...deps, orders: new InMemoryOrders() }, created('s1')),
    ).rejects.toBeInstanceOf(NotYetKnownError);
  });

  it('keeps a shipment routed just before a cancellation as CANCELLED', () => {
    const next = withShipmentEvent(confirmed({ status: 'CANCELLED' }), created('s1'), AT);
    expect(next?.status).toBe('CANCELLED');
    expect(next?.shipments?.[0]?.status).toBe('CANCELLED');
  });
});

describe('cancelOrder', () => {
  it('cancels, marks the refund pending, publishes OrderCancelled; a repeat publishes again and changes nothing', async () => {
    const { orders, deps, published } = setup(
      confirmed({
        status: 'FULFILLING',
        shipments: [
          { shipmentId: 's1', warehouseId: 'w', items: [{ sku: 'A', quantity: 2 }], status: 'CREATED' },
        ],
      }),
    );
    expect(await cancelOrder(deps, alice, 'ord_after')).toEqual({
      orderId: 'ord_after',
      status: 'CANCELLED',
    });
    const order = orders.orders.get('ord_after') as Order;
    expect(order.status).toBe('CANCELLED');
    expect(order.payment.status).toBe('REFUND_PENDING');
    expect(order.shipments?.[0]?.status).toBe('CANCELLED');
    expect(order.timeline.at(-1)).toEqual({ status: 'CANCELLED', at: AT });
    expect(published).toEqual([
      {
        name: 'OrderCancelled',
        detail: {
          version: 1,
          orderId: 'ord_after',
          userId: 'alice',
          lines: [{ sku: 'A', quantity: 2 }],
          refund: usd(1599),
          contact: { email: 'alice@example.com' },
          cancelledAt: AT,
        },
      },
    ]);
    const writes = orders.writes;
    await cancelOrder(deps, admin, 'ord_after');
    expect(orders.writes).toBe(writes);
    expect(published).toHaveLength(2);
    expect(published[1]).toEqual(published[0]);
  });

  it("refuses after a shipment shipped (409) without changing the order, and hides others' orders (404)", async () => {
    const { orders, deps, published, answer } = setup();
    answer('shipped');
    await expect(cancelOrder(deps, alice, 'ord_after')).rejects.toBeInstanceOf(OrderNotCancellableError);
    expect(orders.orders.get('ord_after')?.status).toBe('CONFIRMED');
    expect(published).toEqual([]);
    await expect(cancelOrder(deps, bob, 'ord_after')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(cancelOrder(deps, { sub: 'x', groups: ['Admin'] }, 'ord_after')).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
    await expect(cancelOrder(deps, alice, 'ord_missing')).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it.each(['PENDING', 'FAILED', 'SHIPPED', 'DELIVERED'] as const)(
    'refuses a %s order with a 409',
    async (status) => {
      const { deps, published } = setup(confirmed({ status }));
      await expect(cancelOrder(deps, alice, 'ord_after')).rejects.toMatchObject({ kind: 'conflict' });
      expect(published).toEqual([]);
    },
  );

  it('records the refund once payments report it, and only for a cancelled order', async () => {
    const { orders, deps } = setup();
    const refund = {
      version: 1 as const,
      orderId: 'ord_after',
      chargeId: 'ch_1',
      refunded: usd(1599),
      reason: 'cancellation',
      refundedAt: AT,
    };
    await applyRefund(deps, refund);
    expect(orders.orders.get('ord_after')?.payment.status).toBe('CAPTURED');
    await cancelOrder(deps, alice, 'ord_after');
    await applyRefund(deps, refund);
    const writes = orders.writes;
    await applyRefund(deps, refund);
    expect(orders.orders.get('ord_after')?.payment.status).toBe('REFUNDED');
    expect(orders.writes).toBe(writes);
  });
});
