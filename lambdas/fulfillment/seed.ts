/**
 * Demo fulfillment data: four warehouses and a deterministic split of every SKU's units over them,
 * loaded through the admin routes (as a back office would), so the local seed and the tests set
 * warehouses the same way. Give each SKU the same units here as inventory received for it: every
 * unit in stock is then allocated to exactly one warehouse, which is what routing relies on.
 */
import { createHash } from 'node:crypto';
import type { Warehouse } from './domain/routing.ts';

export const DEMO_WAREHOUSES: readonly Warehouse[] = [
  {
    warehouseId: 'us-east',
    name: 'US East (Edison, NJ)',
    country: 'US',
    region: 'NJ',
    lat: 40.52,
    lon: -74.41,
  },
  {
    warehouseId: 'us-central',
    name: 'US Central (Dallas, TX)',
    country: 'US',
    region: 'TX',
    lat: 32.78,
    lon: -96.8,
  },
  {
    warehouseId: 'us-west',
    name: 'US West (Ontario, CA)',
    country: 'US',
    region: 'CA',
    lat: 34.06,
    lon: -117.65,
  },
  {
    warehouseId: 'eu-central',
    name: 'EU Central (Frankfurt, DE)',
    country: 'DE',
    region: 'HE',
    lat: 50.11,
    lon: 8.68,
  },
];

export interface SeedAllocation {
  warehouseId: string;
  sku: string;
  quantity: number;
}

/**
 * Each SKU's units over the warehouses, by a hash of the SKU: its home warehouse gets half (rounded
 * up), the other three share the rest evenly (remainder to the first after the home); one SKU in
 * four is at its home warehouse only, so orders mixing such SKUs from different homes split.
 * Warehouses that would get 0 units get no allocation. The units of a SKU always sum to
 * `unitsPerSku`.
 */
export function allocationsFor(
  skus: readonly string[],
  unitsPerSku: number,
  warehouses: readonly Pick<Warehouse, 'warehouseId'>[] = DEMO_WAREHOUSES,
): SeedAllocation[] {
  if (!Number.isInteger(unitsPerSku) || unitsPerSku < 0) throw new Error('unitsPerSku: a whole number >= 0');
  const n = warehouses.length;
  const out: SeedAllocation[] = [];
  for (const sku of skus) {
    const h = createHash('sha256').update(sku).digest().readUInt32BE(0);
    const home = h % n;
    const id = (i: number) => (warehouses[(home + i) % n] as Pick<Warehouse, 'warehouseId'>).warehouseId;
    const only = n === 1 || (h >>> 8) % 4 === 0;
    const shares: number[] = only ? [unitsPerSku] : [Math.ceil(unitsPerSku / 2)];
    if (!only) {
      const rest = unitsPerSku - (shares[0] as number);
      const others = n - 1;
      for (let i = 0; i < others; i++) shares.push(Math.floor(rest / others) + (i < rest % others ? 1 : 0));
    }
    shares.forEach((quantity, i) => {
      if (quantity > 0) out.push({ warehouseId: id(i), sku, quantity });
    });
  }
  return out;
}

/** What seeding needs of the store's HTTP client (local/seed/store-client.ts fits). */
export interface SeedClient {
  request(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: unknown }>;
}

export interface SeedFulfillmentOptions {
  /** An admin token. */
  token: string;
  skus: readonly string[];
  /** The units inventory received for each SKU. */
  unitsPerSku: number;
  concurrency?: number;
}

/**
 * PUTs the demo warehouses, then POSTs each SKU's allocations. Warehouses are idempotent;
 * allocations add units, so seed a fresh store once (as inventory receipts, which add too).
 */
export async function seedFulfillment(
  client: SeedClient,
  opts: SeedFulfillmentOptions,
): Promise<{ warehouses: number; allocations: number }> {
  const { token } = opts;
  const call = async (method: string, path: string, body: unknown) => {
    const res = await client.request(method, path, { token, body });
    if (res.status !== 200)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  };
  for (const { warehouseId, ...body } of DEMO_WAREHOUSES) {
    await call('PUT', `/admin/warehouses/${warehouseId}`, body);
  }
  const allocations = allocationsFor(opts.skus, opts.unitsPerSku);
  let next = 0;
  const worker = async () => {
    while (next < allocations.length) {
      const a = allocations[next++] as SeedAllocation;
      await call('POST', `/admin/warehouses/${a.warehouseId}/allocations`, {
        sku: a.sku,
        quantity: a.quantity,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  return { warehouses: DEMO_WAREHOUSES.length, allocations: allocations.length };
}
