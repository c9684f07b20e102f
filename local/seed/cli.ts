/**
 * `npm run seed -- [--count N] [--seed S] [--concurrency C] [--url URL]`
 * Loads a deterministic synthetic catalog into a running store (the local cloud by default).
 */
import { parseArgs } from 'node:util';
import { seedCatalog } from './seed-catalog.ts';
import { StoreClient } from './store-client.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '42' },
    concurrency: { type: 'string', default: '8' },
    url: { type: 'string', default: process.env.STORE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});

const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
console.log(`Seeding ${count} products (seed ${values.seed}) into ${values.url} ...`);
const result = await seedCatalog(new StoreClient(values.url), {
  count,
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  waitForSearch: true,
  log: console.log,
});
console.log(
  `Seeded ${result.created} products in ${result.writeSeconds.toFixed(1)} s ` +
    `(${(result.created / result.writeSeconds).toFixed(0)} writes/s); ` +
    `search caught up ${result.indexLagSeconds?.toFixed(2)} s after the last write.`,
);
