/** Shared fixtures of the fulfillment unit tests: the demo warehouses, an order, deps in memory. */
import type { FulfillmentDeps, OrderPlaced } from '../../../lambdas/fulfillment/domain/use-cases.ts';
import { DEMO_WAREHOUSES } from '../../../lambdas/fulfillment/seed.ts';
import { InMemoryFulfillment, noWait, RecordingPublisher } from './memory-store.ts';

export const T0 = '2030-01-01T00:00:00.000Z';

/** An OrderPlaced v2: where it ships as `shipTo` (country, region) only. */
export function order(
  orderId: string,
  lines: Record<string, number>,
  address: { country?: string; region?: string } = {},
): Extract<OrderPlaced, { version: 2 }> {
  return {
    version: 2,
    orderId,
    userId: 'user-1',
    lines: Object.entries(lines).map(([sku, quantity]) => ({
      sku,
      productId: `p-${sku}`,
      quantity,
      unitPrice: 1000,
    })),
    total: { amount: 1000, currency: 'USD' },
    shipTo: { country: address.country ?? 'US', region: address.region ?? 'NY' },
    contact: { email: 'buyer@example.com' },
    placedAt: T0,
  };
}

/** The same order as OrderPlaced v1 (the full address), as queues and archive replays still hold. */
export function orderV1(
  orderId: string,
  lines: Record<string, number>,
  address: { country?: string; region?: string } = {},
): Extract<OrderPlaced, { version: 1 }> {
  const { shipTo, version: _v, ...common } = order(orderId, lines, address);
  return {
    ...common,
    version: 1,
    shippingAddress: {
      name: 'Buyer',
      line1: '1 Main St',
      city: 'Somewhere',
      region: shipTo.region,
      postalCode: '10001',
      country: shipTo.country,
    },
  };
}

export interface World {
  store: InMemoryFulfillment;
  publisher: RecordingPublisher;
  deps: FulfillmentDeps;
  clock: { now: Date };
}

/** The demo warehouses, with the given allocations (`{ warehouseId: { sku: units } }`). */
export function world(allocations: Record<string, Record<string, number>> = {}): World {
  const store = new InMemoryFulfillment();
  for (const w of DEMO_WAREHOUSES) store.warehouses.set(w.warehouseId, { ...w });
  for (const [warehouseId, stock] of Object.entries(allocations)) {
    for (const [sku, units] of Object.entries(stock)) store.setAllocation(warehouseId, sku, units);
  }
  const publisher = new RecordingPublisher();
  const clock = { now: new Date('2030-01-02T10:00:00.000Z') };
  return { store, publisher, clock, deps: { store, publisher, now: () => clock.now, retry: noWait } };
}
