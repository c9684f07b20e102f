import { describe, expect, it } from 'vitest';
import { CarrierEventSchema } from '../../../lambdas/fulfillment/domain/requests.ts';
import {
  type CarrierEvent,
  decideCarrierEvent,
  type Shipment,
  type ShipmentStatus,
  shipmentIdOf,
  viewShipment,
} from '../../../lambdas/fulfillment/domain/shipment.ts';
import { ValidationError } from '../../../lambdas/shared/errors.ts';
import { validate } from '../../../lambdas/shared/validation.ts';

const T0 = '2030-01-01T00:00:00.000Z';
const now = new Date('2030-01-02T00:00:00.000Z');

const shipment = (status: ShipmentStatus, trackingNumber?: string): Shipment => ({
  shipmentId: shipmentIdOf('o-1', 'us-east'),
  orderId: 'o-1',
  warehouseId: 'us-east',
  items: [{ sku: 'A', quantity: 1 }],
  status,
  ...(trackingNumber ? { trackingNumber } : {}),
  contact: { email: 'b@example.com' },
  createdAt: T0,
  updatedAt: T0,
  history: [{ status: 'CREATED', at: T0 }],
});

const shipped: CarrierEvent = { status: 'SHIPPED', trackingNumber: 'TRK-1' };
const shippedOther: CarrierEvent = { status: 'SHIPPED', trackingNumber: 'TRK-2' };
const delivered: CarrierEvent = { status: 'DELIVERED' };
const deliveredSame: CarrierEvent = { status: 'DELIVERED', trackingNumber: 'TRK-1' };
const deliveredOther: CarrierEvent = { status: 'DELIVERED', trackingNumber: 'TRK-2' };

describe('shipment ids', () => {
  it('derives one id per order and warehouse, in the format the routes take', () => {
    const id = shipmentIdOf('o-1', 'us-east');
    expect(id).toMatch(/^shp_[0-9a-f]{24}$/);
    expect(shipmentIdOf('o-1', 'us-east')).toBe(id);
    expect(new Set([id, shipmentIdOf('o-1', 'us-west'), shipmentIdOf('o-2', 'us-east')]).size).toBe(3);
    // No concatenation ambiguity: ("o-1", "x") and ("o-1x", "") differ.
    expect(shipmentIdOf('o-1', 'x')).not.toBe(shipmentIdOf('o-1x', ''));
  });

  it('views a shipment without its internal markers', () => {
    const view = viewShipment({ ...shipment('CANCELLED'), released: true, unpublished: 'SHIPPED' });
    expect(view).not.toHaveProperty('released');
    expect(view).not.toHaveProperty('unpublished');
    expect(view.status).toBe('CANCELLED');
  });
});

describe('carrier transitions', () => {
  it('CREATED -> SHIPPED records the tracking number and the history', () => {
    const decision = decideCarrierEvent(shipment('CREATED'), shipped, now);
    expect(decision).toEqual({
      kind: 'transition',
      from: 'CREATED',
      next: {
        ...shipment('CREATED'),
        status: 'SHIPPED',
        trackingNumber: 'TRK-1',
        updatedAt: now.toISOString(),
        history: [
          { status: 'CREATED', at: T0 },
          { status: 'SHIPPED', at: now.toISOString() },
        ],
      },
    });
  });

  it('SHIPPED -> DELIVERED, with or without the same tracking number', () => {
    for (const event of [delivered, deliveredSame]) {
      const decision = decideCarrierEvent(shipment('SHIPPED', 'TRK-1'), event, now);
      expect(decision).toMatchObject({
        kind: 'transition',
        from: 'SHIPPED',
        next: { status: 'DELIVERED', trackingNumber: 'TRK-1', updatedAt: now.toISOString() },
      });
    }
  });

  // Every (status, event) pair: the whole table, so no case is left to chance.
  const table: [ShipmentStatus, CarrierEvent, 'transition' | 'repeat' | 'illegal'][] = [
    ['CREATED', shipped, 'transition'],
    ['CREATED', delivered, 'illegal'],
    ['CREATED', deliveredSame, 'illegal'],
    ['SHIPPED', shipped, 'repeat'],
    ['SHIPPED', shippedOther, 'illegal'],
    ['SHIPPED', delivered, 'transition'],
    ['SHIPPED', deliveredSame, 'transition'],
    ['SHIPPED', deliveredOther, 'illegal'],
    ['DELIVERED', shipped, 'repeat'],
    ['DELIVERED', shippedOther, 'illegal'],
    ['DELIVERED', delivered, 'repeat'],
    ['DELIVERED', deliveredSame, 'repeat'],
    ['DELIVERED', deliveredOther, 'illegal'],
    ['CANCELLED', shipped, 'illegal'],
    ['CANCELLED', delivered, 'illegal'],
  ];
  it.each(table)('%s + %o -> %s', (status, event, kind) => {
    const current = shipment(status, status === 'SHIPPED' || status === 'DELIVERED' ? 'TRK-1' : undefined);
    const decision = decideCarrierEvent(current, event, now);
    expect(decision.kind).toBe(kind);
    if (decision.kind === 'illegal') expect(decision.reason).toMatch(/\w/);
  });

  it('names why a move is illegal', () => {
    expect(decideCarrierEvent(shipment('CREATED'), delivered, now)).toEqual({
      kind: 'illegal',
      reason: expect.stringContaining('has not shipped yet'),
    });
    expect(decideCarrierEvent(shipment('CANCELLED'), shipped, now)).toEqual({
      kind: 'illegal',
      reason: expect.stringContaining('cancelled'),
    });
    expect(decideCarrierEvent(shipment('SHIPPED', 'TRK-1'), shippedOther, now)).toEqual({
      kind: 'illegal',
      reason: expect.stringContaining('another tracking number'),
    });
  });
});

describe('carrier event body', () => {
  const paths = (input: unknown) => {
    try {
      validate(CarrierEventSchema, input);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return error.errors.map((e) => e.path);
    }
  };

  it('takes SHIPPED with a tracking number, and DELIVERED with or without one', () => {
    expect(paths({ status: 'SHIPPED', trackingNumber: '1Z-999-AA1' })).toEqual([]);
    expect(paths({ status: 'DELIVERED' })).toEqual([]);
    expect(paths({ status: 'DELIVERED', trackingNumber: 'TRK-1' })).toEqual([]);
    expect(paths({ status: 'SHIPPED', trackingNumber: 'A'.repeat(64) })).toEqual([]);
  });

  it('refuses a missing or malformed tracking number, an unknown status, and unknown fields', () => {
    expect(paths({ status: 'SHIPPED' })).toEqual(['trackingNumber']);
    for (const trackingNumber of ['', 'A'.repeat(65), 'TRK 1', 'TRK/1', 'trk_1', 42]) {
      expect(paths({ status: 'SHIPPED', trackingNumber }), String(trackingNumber)).toEqual([
        'trackingNumber',
      ]);
    }
    for (const status of ['LOST', 'shipped', 'CANCELLED', 'CREATED', undefined]) {
      expect(paths({ status, trackingNumber: 'TRK-1' }), String(status)).toEqual(['status']);
    }
    expect(paths({ status: 'SHIPPED', trackingNumber: 'TRK-1', carrier: 'ups' })).toEqual(['carrier']);
    expect(paths('SHIPPED')).not.toEqual([]);
  });
});
