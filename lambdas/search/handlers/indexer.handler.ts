/**
 * Products table stream -> search index (event source: batch 100, partial failures, filter
 * `pk` begins with `PRODUCT#`). Versions make the order of records irrelevant
 * (domain/indexing.ts); the index and its alias are created on a cold start if missing. Each
 * batch records the index lag (IndexLagMs).
 */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';

import { indexSettingsFor } from '../adapters/index-definition.ts';
import { ensureIndex } from '../adapters/opensearch-index.ts';
import { streamBatchHandler } from '../adapters/stream.ts';
import { env, productIndex, transport } from '../adapters/wiring.ts';

const settings = indexSettingsFor();

// Once per container; a failure is forgotten so the next batch tries again.
let ready: Promise<void> | undefined;
function indexReady(): Promise<void> {
  ready ??= transport
    .then((t) => ensureIndex(t, env.SEARCH_INDEX, settings))
    .catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  return ready;
}

export const handler = withMetrics(
  streamBatchHandler({ index: productIndex, prepare: indexReady, metrics: businessMetrics }),
);
