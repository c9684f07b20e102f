/**
 * The search index through the alias (SEARCH_INDEX): versioned writes for the indexer, queries
 * for the API, and the idempotent creation of the index and its alias.
 */
import type { SearchIndexPort } from '../domain/indexing.ts';
import type { SearchResponseBody } from '../domain/query.ts';
import type { SearchDocument } from '../domain/search-document.ts';
import {
  dynamicIndexSettings,
  type IndexSettings,
  indexDefinition,
  indexNameFor,
} from './index-definition.ts';
import { errorTypeOf, QUERY_LIMITS, statusOf, type Transport, WRITE_LIMITS } from './opensearch-transport.ts';

/** How long index creation waits for the new index's primary shard (server side). */
const SHARD_WAIT_SECONDS = 10;

/** An OpenSearch path from its parts, each percent-encoded. */
export const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join('/')}`;

export class OpenSearchProductIndex implements SearchIndexPort {
  constructor(
    private readonly transport: Transport,
    private readonly alias: string,
  ) {}

  async upsert(doc: SearchDocument, version: number): Promise<'applied' | 'stale'> {
    try {
      await this.transport.request(
        {
          method: 'PUT',
          path: path(this.alias, '_doc', doc.productId),
          querystring: { version, version_type: 'external' },
          body: doc as unknown as Record<string, unknown>,
        },
        WRITE_LIMITS,
      );
      return 'applied';
    } catch (error) {
      // version_conflict_engine_exception: the index already holds this version or a newer one.
      if (statusOf(error) === 409) return 'stale';
      throw error;
    }
  }

  async remove(productId: string, version: number): Promise<'applied' | 'stale' | 'absent'> {
    const res = await this.transport.request(
      {
        method: 'DELETE',
        path: path(this.alias, '_doc', productId),
        querystring: { version, version_type: 'external' },
      },
      { ...WRITE_LIMITS, ignore: [404, 409] },
    );
    if (res.statusCode === 409) return 'stale';
    // A 404 still records the delete's version, so a late replay of an older write loses.
    if (res.statusCode === 404) return 'absent';
    return 'applied';
  }

  /**
   * Runs a search (QUERY_LIMITS: 1 s an attempt, one retry); undefined when the index does not
   * exist yet (nothing was ever indexed).
   */
  async search(body: Record<string, unknown>): Promise<SearchResponseBody | undefined> {
    const res = await this.transport.request(
      { method: 'POST', path: path(this.alias, '_search'), body },
      { ignore: [404], ...QUERY_LIMITS },
    );
    if (res.statusCode === 404) return undefined;
    return res.body as SearchResponseBody;
  }
}

/**
 * Creates `<alias>-v1` and points the alias at it, unless the alias exists. The alias is added
 * only once the index's primary shard is started, so a search never reaches an index that cannot
 * answer yet (it sees no index, which reads as an empty result). Safe to run from many containers
 * at once: losing the creation race (resource_already_exists_exception) just waits and aliases.
 */
export async function ensureIndex(
  transport: Transport,
  alias: string,
  settings: IndexSettings,
): Promise<void> {
  const head = await transport.request(
    { method: 'HEAD', path: path('_alias', alias) },
    { ...WRITE_LIMITS, ignore: [404] },
  );
  if (head.statusCode === 200) return;
  const index = indexNameFor(alias);
  try {
    await transport.request(
      { method: 'PUT', path: path(index), body: indexDefinition(settings) },
      WRITE_LIMITS,
    );
  } catch (error) {
    if (errorTypeOf(error) !== 'resource_already_exists_exception') throw error;
  }
  // The server waits up to SHARD_WAIT_SECONDS: the attempt outlasts it, and is not repeated.
  await transport.request(
    {
      method: 'GET',
      path: path('_cluster', 'health', index),
      querystring: { wait_for_status: 'yellow', timeout: `${SHARD_WAIT_SECONDS}s` },
    },
    { requestTimeout: (SHARD_WAIT_SECONDS + 5) * 1000, maxRetries: 0 },
  );
  await transport.request({ method: 'PUT', path: path(index, '_alias', alias) }, WRITE_LIMITS);
}

/**
 * Applies the definition's dynamic settings (replicas, refresh interval, slow log thresholds) to
 * the indices behind the alias, so an index created before a change of them gets it too.
 */
export async function updateIndexSettings(
  transport: Transport,
  alias: string,
  settings: IndexSettings,
): Promise<void> {
  await transport.request(
    { method: 'PUT', path: path(alias, '_settings'), body: dynamicIndexSettings(settings) },
    WRITE_LIMITS,
  );
}
