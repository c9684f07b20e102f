/** What the benchmarks share: a store to measure (a running one, or a local cloud of their own) and percentiles. */
import { resolve } from 'node:path';
import { DEMO_WAREHOUSES } from '../lambdas/fulfillment/seed.ts';
import { startLocalCloud } from '../local/cloud.ts';
import type { StoreClient } from '../local/seed/store-client.ts';
import { freePort } from '../local/support.ts';

export interface BenchTarget {
  baseUrl: string;
  motoUrl: string;
  searchUrl: string;
  stop(): Promise<void>;
}

/**
 * `url` given: measure that store (moto and OpenSearch at the given URLs). Otherwise start a local
 * cloud on free ports with its own assembly, so a benchmark runs beside `npm start`.
 */
export async function benchTarget(options: {
  name: string;
  url?: string;
  moto: string;
  opensearch?: string;
}): Promise<BenchTarget> {
  if (options.url) {
    return {
      baseUrl: options.url,
      motoUrl: options.moto,
      searchUrl: options.opensearch ?? 'http://127.0.0.1:9200',
      stop: async () => {},
    };
  }
  const rootDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    rootDir,
    log: (line) => console.log(`[local-cloud] ${line}`),
    ports: {
      api: await freePort(),
      moto: await freePort(),
      opensearch: await freePort(),
      stepFunctions: await freePort(),
    },
    cdkOut: resolve(rootDir, 'cdk.out', `bench-${options.name}`),
  });
  return {
    baseUrl: cloud.url,
    motoUrl: `http://127.0.0.1:${cloud.ports.moto}`,
    searchUrl: `http://127.0.0.1:${cloud.ports.opensearch}`,
    stop: cloud.stop,
  };
}

/** The p-th percentile (nearest rank), formatted in ms. */
export function pct(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return (sorted[index] ?? Number.NaN).toFixed(1);
}

/**
 * One bench product with `count` SKUs (one per concurrent buyer, so buyers contend on the
 * functions and moto rather than one stock item), each with `units` received and allocated to the
 * demo warehouse us-east, so its orders route and ship whole. Answers the SKUs.
 */
export async function stockedSkus(
  client: StoreClient,
  admin: string,
  options: { prefix: string; count: number; units: number },
): Promise<string[]> {
  for (const { warehouseId, ...body } of DEMO_WAREHOUSES) {
    const res = await client.request('PUT', `/admin/warehouses/${warehouseId}`, { token: admin, body });
    if (res.status !== 200) throw new Error(`PUT /admin/warehouses/${warehouseId} answered ${res.status}`);
  }
  const run = Date.now().toString(36).toUpperCase();
  const skus = Array.from(
    { length: Math.min(Math.max(options.count, 1), 99) },
    (_, i) => `${options.prefix}-${run}-${i}`,
  );
  const product = await client.request('POST', '/admin/products', {
    token: admin,
    body: {
      name: `Bench ${options.prefix} product`,
      description: 'Written by a benchmark under bench/.',
      brand: 'Bench',
      category: 'bench',
      images: ['https://images.example.com/bench.jpg'],
      attributes: { material: 'steel' },
      variants: skus.map((sku) => ({
        sku,
        attributes: { size: 'M' },
        price: { amount: 1999, currency: 'USD' },
      })),
    },
  });
  if (product.status !== 201) throw new Error(`creating the bench product answered ${product.status}`);
  for (const sku of skus) {
    const body = { quantity: options.units };
    const received = await client.request('POST', `/admin/inventory/${sku}/receive`, { token: admin, body });
    if (received.status !== 200) throw new Error(`receiving ${sku} answered ${received.status}`);
    const allocated = await client.request('POST', '/admin/warehouses/us-east/allocations', {
      token: admin,
      body: { sku, quantity: options.units },
    });
    if (allocated.status !== 200) throw new Error(`allocating ${sku} answered ${allocated.status}`);
  }
  return skus;
}
