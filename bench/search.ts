/**
 * Search latency over a seeded catalog, beside a DynamoDB-scan baseline on the same catalog.
 *
 *   npm run bench:search -- [--count 10000] [--queries 400] [--concurrency 1]
 *   npm run bench:search -- --url http://127.0.0.1:3000 --moto http://127.0.0.1:4566   (a running store)
 *
 * Without --url it starts its own local cloud on spare ports and seeds it. Figures are printed,
 * never asserted: these machines are shared and noisy.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { buildSearchBody, SearchQuerySchema } from '../lambdas/search/domain/query.ts';
import { toSearchDocument } from '../lambdas/search/domain/search-document.ts';
import { generateProduct } from '../local/seed/catalog-generator.ts';
import { seedCatalog } from '../local/seed/seed-catalog.ts';
import { StoreClient } from '../local/seed/store-client.ts';
import { benchTarget, pct } from './support.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    /** Load this many extra products straight into the index (bulk API), for 100k-scale figures. */
    bulk: { type: 'string', default: '0' },
    queries: { type: 'string', default: '400' },
    'scan-queries': { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '1' },
    url: { type: 'string' },
    moto: { type: 'string', default: 'http://127.0.0.1:4566' },
    opensearch: { type: 'string', default: 'http://127.0.0.1:9200' },
    'engine-clients': { type: 'string', default: '16' },
    table: { type: 'string', default: 'store-local-products' },
  },
});

const count = Number(values.count);
const target = await benchTarget({
  name: 'search',
  url: values.url,
  moto: values.moto,
  opensearch: values.opensearch,
});
const { baseUrl, motoUrl, searchUrl, stop } = target;
const client = new StoreClient(baseUrl);

try {
  const existing = (await client.request<{ total: number }>('GET', '/search?limit=1')).body.total;
  if (existing < count) {
    console.log(`seeding ${count - existing} products ...`);
    const seeded = await seedCatalog(client, {
      count: count - existing,
      seed: 1000 + existing,
      concurrency: 16,
      waitForSearch: true,
      log: console.log,
    });
    console.log(
      `seeded ${seeded.created} in ${seeded.writeSeconds.toFixed(1)} s (${(seeded.created / seeded.writeSeconds).toFixed(0)} writes/s), index lag after the last write ${seeded.indexLagSeconds?.toFixed(2)} s`,
    );
  }
  const bulk = Number(values.bulk);
  if (bulk > 0) {
    // Documents as the indexer would write them, without the API and table in between: the index
    // is what is measured here, and 100k writes through moto would take many minutes.
    const started = performance.now();
    for (let from = 0; from < bulk; from += 2000) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(bulk, from + 2000); i++) {
        const product = generateProduct(i, 9000);
        const productId = `bulk-${i}`;
        const createdAt = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
        const rating = {
          average: Math.round((1 + ((i * 7919) % 400) / 100) * 10) / 10,
          count: (i * 31) % 500,
        };
        lines.push(JSON.stringify({ index: { _id: productId, version: 1, version_type: 'external' } }));
        lines.push(JSON.stringify(toSearchDocument({ ...product, productId, createdAt, rating })));
      }
      const res = await fetch(`${searchUrl}/products/_bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });
      if (!res.ok) throw new Error(`bulk load answered ${res.status}`);
    }
    await fetch(`${searchUrl}/products/_refresh`, { method: 'POST' });
    console.log(`bulk-loaded ${bulk} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const total = (await client.request<{ total: number }>('GET', '/search?limit=1')).body.total;

  // A realistic mix: plain words, a typo, filters and facets, sorts, deep-ish pages.
  const words = [
    'headphones',
    'tent',
    'kettle',
    'jacket',
    'puzzle',
    'wireless',
    'waterproof',
    'cookbook',
    'stainless steel',
    'summit backpack',
    'acme',
    'ultralight',
  ];
  const queries = [
    ...words.map((q) => `q=${encodeURIComponent(q)}`),
    'q=headphnes',
    'q=jaket',
    'q=speaker&brand=Acme',
    'q=tent&maxPrice=20000',
    'category=kitchen&sort=price_asc',
    'category=outdoors&minPrice=5000&maxPrice=30000&sort=price_desc',
    'q=wireless&minRating=0&sort=newest',
    'sort=newest&limit=50',
  ];
  const latencies: number[] = [];
  const n = Number(values.queries);
  let next = 0;
  const runOne = async () => {
    while (next < n) {
      const query = queries[next++ % queries.length] as string;
      const started = performance.now();
      const res = await client.request('GET', `/search?${query}`);
      latencies.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`/search?${query} answered ${res.status}`);
    }
  };
  // Warm the functions and the index caches first, as a live store would be.
  for (const q of queries) await client.request('GET', `/search?${q}`);
  await Promise.all(Array.from({ length: Number(values.concurrency) }, runOne));

  // The engine alone: the Search function's own query bodies (relevance, typos, filters, the four
  // facet aggregations), sent straight to OpenSearch; `took` is its server-side time.
  const engine: number[] = [];
  const took: number[] = [];
  const bodies = queries.map((q) =>
    JSON.stringify(buildSearchBody(SearchQuerySchema.parse(Object.fromEntries(new URLSearchParams(q))))),
  );
  const engineQuery = async (i: number) => {
    const started = performance.now();
    const res = await fetch(`${searchUrl}/products/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bodies[i % bodies.length],
    });
    const json = (await res.json()) as { took: number };
    engine.push(performance.now() - started);
    took.push(json.took);
  };
  for (let i = 0; i < n; i++) await engineQuery(i);

  // Throughput of the node: as many queries as it answers with `--engine-clients` in flight. This
  // is what sizing a domain needs (queries per vCPU), which single-client latency does not tell.
  const throughputClients = Number(values['engine-clients']);
  const throughputQueries = n * 2;
  let nextQuery = 0;
  const throughputStarted = performance.now();
  const concurrentLatencies: number[] = [];
  await Promise.all(
    Array.from({ length: throughputClients }, async () => {
      while (nextQuery < throughputQueries) {
        const i = nextQuery++;
        const started = performance.now();
        await fetch(`${searchUrl}/products/_search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: bodies[i % bodies.length],
        }).then((r) => r.arrayBuffer());
        concurrentLatencies.push(performance.now() - started);
      }
    }),
  );
  const throughput = throughputQueries / ((performance.now() - throughputStarted) / 1000);

  // Baseline: what the same question costs without a search index (a filtered full-table scan).
  const ddb = new DynamoDBClient({
    endpoint: motoUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const scanLatencies: number[] = [];
  for (let i = 0; i < Number(values['scan-queries']); i++) {
    const word = (words[i % words.length] as string).split(' ')[0] as string;
    const started = performance.now();
    let key: Record<string, never> | undefined;
    let matched = 0;
    do {
      const page = await ddb.send(
        new ScanCommand({
          TableName: values.table,
          FilterExpression: 'begins_with(pk, :p) AND (contains(#n, :w) OR contains(description, :w))',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':p': { S: 'PRODUCT#' }, ':w': { S: word } },
          ExclusiveStartKey: key,
        }),
      );
      matched += page.Count ?? 0;
      key = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (key);
    scanLatencies.push(performance.now() - started);
    if (i === 0)
      console.log(
        `scan baseline: "${word}" matched ${matched} products (exact substring, no ranking, no typos, no facets)`,
      );
  }

  console.log(
    `\nsearch over ${total} products (${n} queries, concurrency ${values.concurrency}, through API Gateway + Lambda + OpenSearch):`,
  );
  console.log(
    `  p50 ${pct(latencies, 50)} ms   p90 ${pct(latencies, 90)} ms   p99 ${pct(latencies, 99)} ms   max ${pct(latencies, 100)} ms`,
  );
  console.log(`the same queries straight to OpenSearch (same bodies, with facets):`);
  console.log(
    `  client p50 ${pct(engine, 50)} ms   p99 ${pct(engine, 99)} ms;   server 'took' p50 ${pct(took, 50)} ms   p99 ${pct(took, 99)} ms`,
  );
  console.log(
    `OpenSearch throughput with ${throughputClients} queries in flight: ${throughput.toFixed(0)} queries/s on ${availableParallelism()} cores (shared with this process); p50 ${pct(concurrentLatencies, 50)} ms   p99 ${pct(concurrentLatencies, 99)} ms`,
  );
  console.log(`DynamoDB scan baseline (${scanLatencies.length} queries, moto):`);
  console.log(`  p50 ${pct(scanLatencies, 50)} ms   p99 ${pct(scanLatencies, 99)} ms`);
  console.log('budget: search p99 <= 50 ms over 100k products (DESIGN.md section 6)');
} finally {
  await stop();
}
