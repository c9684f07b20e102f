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

export function indexDefinition(settings: IndexSettings): Record<string, unknown> {
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: settings.replicas,
      refresh_interval: settings.refreshInterval,
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
