/**
 * `npm run seed -- [--count N] [--seed S] [--stock U] [--orders O] [--concurrency C] [--url URL] [--moto URL]`
 * Loads a deterministic synthetic catalog into a running store (the local cloud by default),
 * receives U units (default 100; 0 for none) of every SKU, allocated over the demo warehouses, and
 * feeds the recommendations an order history of O orders (default 2 per product; local cloud only:
 * it writes to the recommendations queue on moto at --moto).
 */
import { parseArgs } from 'node:util';
import { seedOrderHistory } from './order-history.ts';
import { seedCatalog } from './seed-catalog.ts';
import { StoreClient } from './store-client.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '42' },
    stock: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    orders: { type: 'string' },
    moto: { type: 'string', default: process.env.LOCAL_MOTO_URL ?? 'http://127.0.0.1:4566' },
    url: { type: 'string', default: process.env.STORE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});

const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
const stock = Number(values.stock);
if (!Number.isInteger(stock) || stock < 0 || stock > 1_000_000) {
  throw new Error('--stock must be a whole number from 0 to 1000000');
}
console.log(`Seeding ${count} products (seed ${values.seed}) into ${values.url} ...`);
const result = await seedCatalog(new StoreClient(values.url), {
  count,
  seed: Number(values.seed),
  stockPerSku: stock,
  concurrency: Number(values.concurrency),
  waitForSearch: true,
  log: console.log,
});
const orders = values.orders === undefined ? 2 * count : Number(values.orders);
if (!Number.isInteger(orders) || orders < 0) throw new Error('--orders must be a whole number');
const history = await seedOrderHistory({
  motoUrl: values.moto,
  products: result.products,
  orders,
  seed: Number(values.seed),
});
console.log(
  `Seeded ${result.created} products in ${result.writeSeconds.toFixed(1)} s ` +
    `(${(result.created / result.writeSeconds).toFixed(0)} writes/s); ` +
    `search caught up ${result.indexLagSeconds?.toFixed(2)} s after the last write; ` +
    `${result.stocked} SKUs received ${stock} units each; ${history} past orders feed the recommendations.`,
);
