/**
 * GET /health (public): probes DynamoDB (a GetItem of a key that never exists: no data read, needs
 * only the read grant the function has) and OpenSearch (cluster health), each with a short
 * timeout. 200 when every part is ok, 503 otherwise.
 */
import { createTransport, SearchConnectionEnv } from '#search/adapters/opensearch-transport.ts';
import { loadEnv, required } from '#shared/config.ts';
import { dynamoDbClient, GetItemCommand } from '#shared/dynamodb-client.ts';
import { httpHandler } from '#shared/http.ts';
import { type HealthReport, type PartHealth, summarize } from '../health.ts';

const env = loadEnv(SearchConnectionEnv.extend({ PRODUCTS_TABLE: required() }));
const db = dynamoDbClient();
const transport = createTransport(env);
transport.catch(() => undefined);

const TIMEOUT_MS = 1500;

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

export const handler = httpHandler(async () => {
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
  const report: HealthReport = summarize({ dynamodb, search });
  return {
    status: report.status === 'ok' ? 200 : 503,
    body: report,
    headers: { 'cache-control': 'no-store' },
  };
});
