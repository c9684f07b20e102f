/**
 * GET /health (public): probes DynamoDB (a GetItem of a key that never exists: no data read, needs
 * only the read grant the function has) and OpenSearch (cluster health), each with a short
 * timeout. 200 when every part is ok, 503 otherwise. A warm function answers from its last probe
 * for a few seconds, so a public route called in a loop does not become load on the table and the
 * cluster.
 */
import { createTransport, SearchConnectionEnv } from '#search/adapters/opensearch-transport.ts';
import { loadEnv, required } from '#shared/config.ts';
import { dynamoDbClient, GetItemCommand } from '#shared/dynamodb-client.ts';
import { httpHandler } from '#shared/http.ts';
import { type HealthReport, memoizeFor, type PartHealth, summarize } from '../health.ts';

const env = loadEnv(SearchConnectionEnv.extend({ PRODUCTS_TABLE: required() }));
const db = dynamoDbClient();
const transport = createTransport(env);
transport.catch(() => undefined);

const TIMEOUT_MS = 1500;
/**
 * How long a warm function reuses a probe's report. Monitors poll every 30 s or more, so a report
 * up to 5 s old is fresh to them; at the route's throttle (10 requests/s) a function busy with
 * nothing else probes once for every 50 answers at most.
 */
export const HEALTH_CACHE_MS = 5000;

async function probe(name: string, check: () => Promise<void>): Promise<PartHealth> {
  const started = performance.now();
  try {
    await check();
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Loaded on a failure only: a healthy probe never pays for the logger.
    const { logger } = await import('#shared/logger.ts');
    logger.warn('health probe failed', { part: name, error: error as Error });
    return { status: 'down', latencyMs: Math.round(performance.now() - started) };
  }
}

async function probeAll(): Promise<HealthReport> {
  const [dynamodb, search] = await Promise.all([
    probe('dynamodb', async () => {
      await db.send(
        new GetItemCommand({
          TableName: env.PRODUCTS_TABLE,
          Key: { pk: { S: 'HEALTH#probe' }, sk: { S: 'HEALTH' } },
        }),
        { abortSignal: AbortSignal.timeout(TIMEOUT_MS) },
      );
    }),
    probe('search', async () => {
      const res = await (await transport).request(
        { method: 'GET', path: '/_cluster/health' },
        { requestTimeout: TIMEOUT_MS, maxRetries: 0 },
      );
      if ((res.body as { status?: string }).status === 'red') throw new Error('cluster status red');
    }),
  ]);
  return summarize({ dynamodb, search });
}

const report = memoizeFor(HEALTH_CACHE_MS, probeAll);

export const handler = httpHandler(async () => {
  const current = await report();
  return {
    status: current.status === 'ok' ? 200 : 503,
    body: current,
    headers: { 'cache-control': 'no-store' },
  };
});
