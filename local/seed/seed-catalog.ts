import { seedFulfillment } from '../../lambdas/fulfillment/seed.ts';
import type { HistoryProduct } from '../../lambdas/recommendations/seed.ts';
import { generateCatalog, type SeedProduct } from './catalog-generator.ts';
import { mapLimit, type StoreClient } from './store-client.ts';

export interface SeedOptions {
  count: number;
  seed?: number;
  concurrency?: number;
  /** Units received for every SKU through the inventory admin route, so the catalog can be bought; 0: none. */
  stockPerSku?: number;
  /** Wait until search reports every product (the stream -> indexer path has converged). */
  waitForSearch?: boolean;
  log?: (line: string) => void;
}

export interface SeedResult {
  created: number;
  /** The products as created (their ids are the server's): what an order history is made of. */
  products: HistoryProduct[];
  /** SKUs given stock. */
  stocked: number;
  writeSeconds: number;
  /** Seconds from the last write until search counted every product; undefined if not awaited. */
  indexLagSeconds?: number;
}

/** Loads a deterministic synthetic catalog through the admin API, as a shop's back office would. */
export async function seedCatalog(client: StoreClient, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const token = await client.token({ sub: 'seed-admin', groups: ['admin'] });
  const before = await searchTotal(client);
  const products = [...generateCatalog(opts.count, opts.seed ?? 42)];
  const started = performance.now();
  let done = 0;
  const created: HistoryProduct[] = [];
  await mapLimit(products, opts.concurrency ?? 8, async (product) => {
    const res = await client.request<{ productId: string }>('POST', '/admin/products', {
      token,
      body: product,
    });
    if (res.status !== 201) {
      throw new Error(`POST /admin/products answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    created.push({ productId: res.body.productId, category: product.category, variants: product.variants });
    done++;
    if (done % 500 === 0) log(`  ${done}/${products.length} products written`);
  });
  const writeSeconds = (performance.now() - started) / 1000;
  // After the products and their lag are measured, so the figures stay those of catalog writes.
  const stock = () => receiveStock(client, token, products, opts.stockPerSku ?? 0, opts.concurrency ?? 8);
  if (!opts.waitForSearch)
    return { created: products.length, products: created, stocked: await stock(), writeSeconds };

  const target = before + products.length;
  const waitStart = performance.now();
  const deadline = waitStart + Math.max(60_000, products.length * 20);
  while ((await searchTotal(client)) < target) {
    if (performance.now() > deadline) throw new Error(`search did not reach ${target} products in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const indexLagSeconds = (performance.now() - waitStart) / 1000;
  return {
    created: products.length,
    products: created,
    stocked: await stock(),
    writeSeconds,
    indexLagSeconds,
  };
}

/**
 * Receives `quantity` units of every SKU of the products, as a warehouse's first delivery would,
 * and allocates them over the demo warehouses (fulfillment routes orders to where units are).
 */
async function receiveStock(
  client: StoreClient,
  token: string,
  products: readonly SeedProduct[],
  quantity: number,
  concurrency: number,
): Promise<number> {
  if (quantity <= 0) return 0;
  const skus = products.flatMap((p) => p.variants.map((v) => v.sku));
  await mapLimit(skus, concurrency, async (sku) => {
    const res = await client.request('POST', `/admin/inventory/${sku}/receive`, {
      token,
      body: { quantity },
    });
    if (res.status !== 200) {
      throw new Error(
        `POST /admin/inventory/${sku}/receive answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
  });
  // Every unit received is allocated to a warehouse, so every order can be routed.
  await seedFulfillment(client, { token, skus, unitsPerSku: quantity, concurrency });
  return skus.length;
}

async function searchTotal(client: StoreClient): Promise<number> {
  const res = await client.request<{ total: number }>('GET', '/search?limit=1');
  if (res.status !== 200) throw new Error(`GET /search answered ${res.status}`);
  return res.body.total;
}
