/**
 * Recommendation reads on the local cloud after a seeded order history, and what the history cost
 * to count.
 *
 *   npm run bench:recommendations -- [--products 300] [--orders 3000] [--reads 400]
 *   npm run bench:recommendations -- --url http://127.0.0.1:3000 --moto http://127.0.0.1:4566
 *
 * Seeds a catalog and feeds the recommendations queue a generated order history (as `npm run
 * seed` does), waits until the counts settle, then reads GET /products/{id}/recommendations for
 * products drawn from the catalog, one request at a time. The path measured is API Gateway
 * emulation -> Lambda -> one Query on the score index + one BatchGetItem on moto. Figures are
 * printed, never asserted: these machines are shared and noisy.
 */
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HISTORY_QUEUE, seedOrderHistory } from '../local/seed/order-history.ts';
import { seedCatalog } from '../local/seed/seed-catalog.ts';
import { StoreClient } from '../local/seed/store-client.ts';
import { LOCAL_CREDENTIALS, REGION } from '../local/template.ts';
import { benchTarget, pct } from './support.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '300' },
    orders: { type: 'string', default: '3000' },
    reads: { type: 'string', default: '400' },
    url: { type: 'string' },
    moto: { type: 'string', default: 'http://127.0.0.1:4566' },
  },
});

const target = await benchTarget({ name: 'recommendations', url: values.url, moto: values.moto });
try {
  const client = new StoreClient(target.baseUrl);
  const seeded = await seedCatalog(client, { count: Number(values.products), seed: 11, stockPerSku: 0 });
  const started = performance.now();
  const orders = await seedOrderHistory({
    motoUrl: target.motoUrl,
    products: seeded.products,
    orders: Number(values.orders),
    seed: 11,
  });
  // Counted when the queue is drained (nothing visible or in flight).
  const sqs = new SQSClient({ endpoint: target.motoUrl, region: REGION, credentials: LOCAL_CREDENTIALS });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: HISTORY_QUEUE }));
  for (;;) {
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const left =
      Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (left === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const countSeconds = (performance.now() - started) / 1000;

  const ids = seeded.products.map((p) => p.productId);
  const latencies: number[] = [];
  let withPartners = 0;
  let fallbacks = 0;
  for (let i = 0; i < Number(values.reads); i++) {
    const id = ids[(i * 7919) % ids.length] as string;
    const t0 = performance.now();
    const res = await client.request<{ items: { score: number }[] }>(
      'GET',
      `/products/${id}/recommendations`,
    );
    latencies.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET recommendations answered ${res.status}`);
    if (res.body.items.length > 0 && res.body.items.every((r) => r.score <= 1)) withPartners++;
    else fallbacks++;
  }
  console.log(
    `\nrecommendations after ${orders} seeded orders over ${ids.length} products (local cloud, moto):`,
  );
  console.log(
    `  history counted in        ${countSeconds.toFixed(1)} s (${(orders / countSeconds).toFixed(0)} orders/s)`,
  );
  console.log(
    `  reads                     ${latencies.length}, one at a time (${withPartners} with items, ${fallbacks} empty)`,
  );
  console.log(`  GET recommendations       p50 ${pct(latencies, 50)} ms   p99 ${pct(latencies, 99)} ms`);
} finally {
  await target.stop();
}
