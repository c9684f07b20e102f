/**
 * The products index: settings and mapping. Text fields are English-analyzed for recall (plural,
 * stems); facets are keywords with their exact spelling, plus a lowercase-folded twin for filters,
 * so `brand=acme` filters what the facet shows as "Acme".
 */

export interface IndexSettings {
  replicas: number;
  refreshInterval: string;
}

/**
 * Local: one node, no replicas, and a short refresh interval, the main term of the "searchable
 * within 2 s" budget (a small index refreshes cheaply). Deployed: one replica, the default 1 s.
 * SEARCH_REPLICAS and SEARCH_REFRESH_INTERVAL override both.
 */
export function indexSettingsFor(env: NodeJS.ProcessEnv = process.env): IndexSettings {
  const local = (env.STAGE ?? 'local') === 'local';
  const replicas = Number(env.SEARCH_REPLICAS ?? (local ? 0 : 1));
  return {
    replicas: Number.isInteger(replicas) && replicas >= 0 ? replicas : 0,
    refreshInterval: env.SEARCH_REFRESH_INTERVAL ?? (local ? '250ms' : '1s'),
  };
}

/** The concrete index behind the alias; a mapping change means a new version and a reindex. */
export const indexNameFor = (alias: string) => `${alias}-v1`;

/**
 * Slow log thresholds: OpenSearch logs nothing slow until an index sets them (the domain only
 * says where the logs go). The faceted queries take 8 ms (p50) and 19 ms (p99) of server time
 * (docs/capacity.md): `info` at 50 ms is past anything the measured spread explains, the first
 * sign of a node or a query going wrong; `warn` at 200 ms is a fifth of the search client's 1 s
 * attempt, slow enough for a shopper to notice. The fetch phase (a page of stored documents) is a
 * small part of those milliseconds: alone past the whole request's p99 (20 ms) is info, 100 ms
 * warn. Indexing was not measured; a product document is small and takes less than a query, so
 * indexing one as slowly as a slow query is worth the same lines.
 */
export const SLOW_LOG_THRESHOLDS = {
  'index.search.slowlog.threshold.query.warn': '200ms',
  'index.search.slowlog.threshold.query.info': '50ms',
  'index.search.slowlog.threshold.fetch.warn': '100ms',
  'index.search.slowlog.threshold.fetch.info': '20ms',
  'index.indexing.slowlog.threshold.index.warn': '200ms',
  'index.indexing.slowlog.threshold.index.info': '50ms',
} as const;

/**
 * The settings an existing index takes without reopening (OpenSearch's dynamic index settings):
 * the index setup applies them to the index behind the alias on every deploy.
 */
export function dynamicIndexSettings(settings: IndexSettings): Record<string, string | number> {
  return {
    'index.number_of_replicas': settings.replicas,
    'index.refresh_interval': settings.refreshInterval,
    ...SLOW_LOG_THRESHOLDS,
  };
}

export function indexDefinition(settings: IndexSettings): Record<string, unknown> {
  return {
    settings: {
      // Static: fixed when the index is created.
      'index.number_of_shards': 1,
      ...dynamicIndexSettings(settings),
      analysis: {
        normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
      },
    },
    mappings: {
      // Unknown fields stay in _source but are not indexed: the mapping is the contract.
      dynamic: false,
      properties: {
        productId: { type: 'keyword' },
        name: {
          type: 'text',
          analyzer: 'english',
          fields: { plain: { type: 'text', analyzer: 'standard' } },
        },
        description: { type: 'text', analyzer: 'english' },
        brand: {
          type: 'keyword',
          fields: {
            text: { type: 'text', analyzer: 'standard' },
            norm: { type: 'keyword', normalizer: 'folded' },
          },
        },
        category: { type: 'keyword', fields: { text: { type: 'text', analyzer: 'standard' } } },
        minPrice: { type: 'long' },
        maxPrice: { type: 'long' },
        currency: { type: 'keyword' },
        skus: { type: 'keyword' },
        image: { type: 'keyword', index: false, doc_values: false },
        rating: { properties: { average: { type: 'float' }, count: { type: 'integer' } } },
        createdAt: { type: 'date' },
        updatedAt: { type: 'date' },
        suggest: { type: 'search_as_you_type' },
      },
    },
  };
}
