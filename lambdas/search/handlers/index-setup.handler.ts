/**
 * Custom resource: creates the search index and its alias at deploy time, so the first product
 * write is searchable as fast as any other. The indexer still checks on its cold start, which
 * covers an index deleted by hand.
 */
import { customResource } from '#shared/custom-resource.ts';
import { indexSettingsFor } from '../adapters/index-definition.ts';
import { ensureIndex } from '../adapters/opensearch-index.ts';
import { env, transport } from '../adapters/wiring.ts';

export const handler = customResource(async (event) => {
  // Deleting the stack leaves the documents alone: the domain (or the local node) owns them.
  if (event.RequestType !== 'Delete')
    await ensureIndex(await transport, env.SEARCH_INDEX, indexSettingsFor());
  return { physicalResourceId: `search-index-${env.SEARCH_INDEX}` };
});
