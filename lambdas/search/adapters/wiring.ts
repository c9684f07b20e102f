/**
 * Composition root for the search functions: configuration checked and the transport made once
 * per container.
 */
import { loadEnv, required } from '#shared/config.ts';
import { OpenSearchProductIndex } from './opensearch-index.ts';
import { createTransport, SearchConnectionEnv } from './opensearch-transport.ts';

export const env = loadEnv(SearchConnectionEnv.extend({ SEARCH_INDEX: required() }));

export const transport = createTransport(env);

// Swallowed here so an unreachable endpoint is reported by the request that needs it, not as an
// unhandled rejection at init.
transport.catch(() => undefined);

let index: Promise<OpenSearchProductIndex> | undefined;

export function productIndex(): Promise<OpenSearchProductIndex> {
  index ??= transport.then((t) => new OpenSearchProductIndex(t, env.SEARCH_INDEX));
  return index;
}
