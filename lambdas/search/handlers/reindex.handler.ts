/**
 * Rebuilds the search index from the products table and clears the indexer DLQ messages it was
 * started for (domain/reindex.ts). No route: invoked by `npm run search:reindex -- --stage <stage>`
 * (docs/operations.md). Answers the run's summary; fails, leaving the messages on the DLQ, when any
 * product could not be indexed or the run ran out of time, so a rerun picks them up.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import { invocation, noKeys } from '#shared/invocation.ts';
import { logger } from '#shared/logger.ts';
import { indexSettingsFor } from '../adapters/index-definition.ts';
import { ensureIndex } from '../adapters/opensearch-index.ts';
import {
  DynamoDbProductItems,
  OpenSearchReindexIndex,
  SqsFailureQueue,
  sqsClientFor,
} from '../adapters/reindex.ts';
import { env, transport } from '../adapters/wiring.ts';
import { type ReindexSummary, reindex } from '../domain/reindex.ts';

const reindexEnv = loadEnv(z.object({ PRODUCTS_TABLE: required(), INDEXER_DLQ_URL: required() }));

/** Received messages stay hidden longer than the longest run (Lambda's 15 minutes) lasts. */
const DLQ_VISIBILITY_SECONDS = 20 * 60;

export class ReindexIncompleteError extends Error {
  override readonly name = 'ReindexIncompleteError';
  constructor(readonly summary: ReindexSummary) {
    const [first] = summary.failures;
    const why = first
      ? `${summary.failures.length} product(s) not indexed (first: ${first.productId}: ${first.error})`
      : 'out of time';
    super(
      `reindex incomplete, ${why}; the ${summary.dlqMessages} DLQ message(s) it received stay on the queue`,
    );
  }
}

export const handler = invocation(noKeys, async (_event: unknown, context?: Context) => {
  const t = await transport;
  // An index deleted by hand is created again, then filled.
  await ensureIndex(t, env.SEARCH_INDEX, indexSettingsFor());
  const summary = await reindex(
    {
      index: new OpenSearchReindexIndex(t, env.SEARCH_INDEX),
      products: new DynamoDbProductItems(documentClient(), reindexEnv.PRODUCTS_TABLE),
      dlq: new SqsFailureQueue(sqsClientFor(), reindexEnv.INDEXER_DLQ_URL, DLQ_VISIBILITY_SECONDS),
    },
    context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : {},
  );
  const { failures, ...counts } = summary;
  logger.info('reindex finished', { ...counts, failures: failures.slice(0, 20) });
  if (!summary.complete) throw new ReindexIncompleteError(summary);
  return summary;
});
