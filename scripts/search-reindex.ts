/**
 * Rebuilds a stage's search index from its products table and clears the indexer DLQ messages
 * waiting when it starts (lambdas/search/domain/reindex.ts; docs/operations.md, the indexer DLQ).
 *
 *   npm run search:reindex -- --stage staging|prod [--region us-east-1]
 *   npm run search:reindex -- --stage local [--moto URL] [--opensearch URL]
 *
 * Deployed stages: invokes `store-<stage>-search-reindex` and waits for its answer (the caller's
 * AWS credentials need lambda:InvokeFunction on it). Stage local: the local cloud runs functions
 * inside its own process, with no Invoke API outside it, so the same handler runs here, with the
 * environment the local stage gives it, against the running local cloud's moto and OpenSearch.
 * Prints the run's summary; exits 1 when the run was incomplete (the DLQ then keeps its messages).
 */

import { SEARCH_INDEX } from '../lib/services/search/search-access.ts';
import { LOCAL_CREDENTIALS, REGION } from '../local/template.ts';
import { parseStageArgs } from './stage-options.ts';

const values = parseStageArgs({
  opensearch: {
    type: 'string',
    default: `http://127.0.0.1:${process.env.LOCAL_OPENSEARCH_PORT ?? 9200}`,
  },
});
const { stage, prefix } = values;
const functionName = `${prefix}-search-reindex`;

async function invokeDeployed(): Promise<{ ok: boolean; answer: unknown }> {
  const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
  // One attempt (a retried Invoke would start a second run) that waits out the 15-minute timeout.
  const lambda = new LambdaClient({
    ...(values.region ? { region: values.region } : {}),
    maxAttempts: 1,
    requestHandler: { requestTimeout: 16 * 60_000, connectionTimeout: 10_000 },
  });
  console.log(`Invoking ${functionName} (up to 15 minutes) ...`);
  const res = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse' }),
  );
  const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : 'null';
  return { ok: !res.FunctionError, answer: JSON.parse(text) as unknown };
}

async function runLocally(): Promise<{ ok: boolean; answer: unknown }> {
  const { GetQueueUrlCommand, SQSClient } = await import('@aws-sdk/client-sqs');
  const sqs = new SQSClient({ endpoint: values.moto, region: REGION, credentials: LOCAL_CREDENTIALS });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-indexer-dlq` }));
  sqs.destroy();
  // What the local stage and the local cloud set for the function (lib/services/search/search-stack.ts,
  // local/cloud.ts); read when the handler's modules load, so set first.
  Object.assign(process.env, {
    STAGE: 'local',
    POWERTOOLS_SERVICE_NAME: 'search',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: values.moto,
    SEARCH_ENDPOINT: values.opensearch,
    SEARCH_AUTH: 'none',
    SEARCH_INDEX,
    SEARCH_REPLICAS: '0',
    PRODUCTS_TABLE: `${prefix}-products`,
    INDEXER_DLQ_URL: QueueUrl,
  });
  console.log(`Running ${functionName} against ${values.moto} and ${values.opensearch} ...`);
  const { handler } = await import('../lambdas/search/handlers/reindex.handler.ts');
  try {
    return { ok: true, answer: await handler({}) };
  } catch (error) {
    const { summary } = error as { summary?: unknown };
    return { ok: false, answer: { errorMessage: (error as Error).message, summary } };
  }
}

const { ok, answer } = stage === 'local' ? await runLocally() : await invokeDeployed();
console.log(JSON.stringify(answer, null, 2));
if (!ok) {
  console.error(
    'The reindex did not complete: its DLQ messages stay on the queue; fix the cause and run it again.',
  );
  process.exitCode = 1;
}
// The search transport keeps a connection open; nothing else is left to do.
process.exit();
