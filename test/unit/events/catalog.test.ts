import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  EVENTS,
  type EventDetail,
  type EventName,
  OrderPlacedSchema,
  OrderPlacedV2Schema,
  shipToOf,
} from '#events/catalog.ts';
import { PoisonEventError, parseBusEvent } from '#events/consumer.ts';

type Placed = EventDetail<'OrderPlaced'>;
const common = {
  orderId: 'ord_1',
  userId: 'user-1',
  lines: [{ sku: 'A', productId: 'p-A', quantity: 1, unitPrice: 1000 }],
  total: { amount: 1000, currency: 'USD' as const },
  contact: { email: 'ana@example.com' },
  placedAt: '2030-01-01T00:00:00.000Z',
};
const address = {
  name: 'Ana',
  line1: '1 Main St',
  city: 'Springfield',
  region: 'IL',
  postalCode: '62701',
  country: 'US',
};
const v1: Extract<Placed, { version: 1 }> = { version: 1, ...common, shippingAddress: address };
const v2: Extract<Placed, { version: 2 }> = {
  version: 2,
  ...common,
  shipTo: { country: 'US', region: 'IL' },
};

/** Every property path a schema declares (`a.b`, arrays as `a[]`), union variants merged. */
function pathsOf(schema: z.ZodType): string[] {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, at: string) => {
    for (const variant of [...((node.anyOf ?? node.oneOf ?? []) as Record<string, unknown>[])])
      walk(variant, at);
    if (node.items) walk(node.items as Record<string, unknown>, `${at}[]`);
    for (const [key, child] of Object.entries(
      (node.properties ?? {}) as Record<string, Record<string, unknown>>,
    )) {
      const path = at ? `${at}.${key}` : key;
      out.add(path);
      walk(child, path);
    }
  };
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, '');
  return [...out];
}

/** Names that would put a payment credential, card data or a street-level address on the bus. */
const FORBIDDEN =
  /token|card|pan$|cvc|cvv|expir|iban|account|password|secret|address|line1|line2|street|postal|zip|city|\bname$|birth|ssn/i;

describe('the event catalogue carries no payment data and no full address', () => {
  it('declares no such field in any detail, OrderPlaced v1 (read during the rollout only) aside', () => {
    const found = (Object.keys(EVENTS) as EventName[]).flatMap((name) =>
      pathsOf(EVENTS[name].schema)
        .filter((path) => FORBIDDEN.test(path.split('.').at(-1) ?? ''))
        .map((path) => `${name}.${path}`),
    );
    // OrderPlaced v1's address: read from queues and archive replays until the archive's
    // retention has passed since v2 (docs/events.md). Nothing else may appear here.
    expect(found.sort()).toEqual(
      [
        'shippingAddress',
        'shippingAddress.city',
        'shippingAddress.line1',
        'shippingAddress.line2',
        'shippingAddress.name',
        'shippingAddress.postalCode',
      ].map((p) => `OrderPlaced.${p}`),
    );
    expect(pathsOf(OrderPlacedV2Schema).filter((p) => FORBIDDEN.test(p.split('.').at(-1) ?? ''))).toEqual([]);
  });

  it('keeps the buyer contact only on the events Notify takes, which has no other source of it', () => {
    const withContact = (Object.keys(EVENTS) as EventName[]).filter((name) =>
      pathsOf(EVENTS[name].schema).includes('contact'),
    );
    expect(withContact.sort()).toEqual([
      'OrderCancelled',
      'OrderPlaced',
      'ShipmentDelivered',
      'ShipmentShipped',
    ]);
  });

  it('drops a field outside the schema on parse, so a producer cannot leak one through busPublisher', () => {
    const parsed = OrderPlacedSchema.parse({ ...v2, paymentToken: 'tok_visa', shippingAddress: address });
    expect(parsed).toEqual(v2);
    expect(JSON.stringify(parsed)).not.toMatch(/tok_visa|Main St/);
  });
});

describe('OrderPlaced v1 and v2', () => {
  it('reads both versions, each with its own place field', () => {
    expect(OrderPlacedSchema.parse(v1)).toEqual(v1);
    expect(OrderPlacedSchema.parse(v2)).toEqual(v2);
    const { shippingAddress: _a, ...v1WithoutAddress } = v1;
    const { shipTo: _s, ...v2WithoutShipTo } = v2;
    for (const bad of [
      v1WithoutAddress,
      v2WithoutShipTo,
      { ...v2WithoutShipTo, shippingAddress: address },
      { ...v2, version: 3 },
      { ...v2, shipTo: { country: 'usa' } },
      { ...v2, shipTo: { country: 'US', region: '' } },
    ]) {
      expect(OrderPlacedSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('reduces either version to where the order ships: country and region only', () => {
    expect(shipToOf(v1)).toEqual({ country: 'US', region: 'IL' });
    expect(shipToOf(v2)).toEqual({ country: 'US', region: 'IL' });
    const { region: _r, ...noRegion } = address;
    expect(shipToOf({ ...v1, shippingAddress: noRegion })).toEqual({ country: 'US' });
    expect(shipToOf({ ...v2, shipTo: { country: 'GB' } })).toEqual({ country: 'GB' });
  });

  it('reaches a consumer in either version through the envelope parser', () => {
    const envelope = (detail: unknown) =>
      JSON.stringify({
        id: 'e-1',
        source: 'store.orders',
        'detail-type': 'OrderPlaced',
        time: v2.placedAt,
        detail,
      });
    for (const detail of [v1, v2]) {
      const event = parseBusEvent(envelope(detail), ['OrderPlaced']);
      expect(shipToOf(event.detail as Placed)).toEqual({ country: 'US', region: 'IL' });
    }
    expect(() => parseBusEvent(envelope({ ...v2, version: 3 }), ['OrderPlaced'])).toThrow(PoisonEventError);
  });
});
