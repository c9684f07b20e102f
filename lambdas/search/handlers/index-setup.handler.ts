/**
 * Custom resource: creates the search index and its alias at deploy time, so the first product
 * write is searchable as fast as any other, and applies the definition's dynamic settings
 * (replicas, refresh interval, slow log thresholds) to an index that was already there, so every
 * deploy leaves the deployed index as defined. The indexer still checks on its cold start, which
 * covers an index deleted by hand.
 */
import { customResource } from '#shared/custom-resource.ts';
import { indexSettingsFor } from '../adapters/index-definition.ts';
import { ensureIndex, updateIndexSettings } from '../adapters/opensearch-index.ts';
import { env, transport } from '../adapters/wiring.ts';

/** Errors that mean "no OpenSearch answered", as opposed to one that refused the request. */
const UNREACHABLE = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);

export const handler = customResource(async (event) => {
  // Deleting the stack leaves the documents alone: the domain (or the local node) owns them.
  if (event.RequestType === 'Delete') return { physicalResourceId: `search-index-${env.SEARCH_INDEX}` };
  try {
    const t = await transport;
    const settings = indexSettingsFor();
    await ensureIndex(t, env.SEARCH_INDEX, settings);
    // Idempotent, and a no-op for an index this call just created.
    await updateIndexSettings(t, env.SEARCH_INDEX, settings);
  } catch (error) {
    // Stage local on LocalStack may deploy before any OpenSearch is reachable from its Lambda
    // containers; the indexer creates the index on its first batch then. Deployed stages fail loudly.
    const name = error instanceof Error ? error.name : '';
    if (process.env.STAGE !== 'local' || !UNREACHABLE.has(name)) throw error;
    console.warn(`search index not created at deploy time (${name}); the indexer will create it`);
  }
  return { physicalResourceId: `search-index-${env.SEARCH_INDEX}` };
});
