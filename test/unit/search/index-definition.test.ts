import { describe, expect, it } from 'vitest';
import { indexDefinition, indexNameFor, indexSettingsFor } from '#search/adapters/index-definition.ts';

describe('index definition', () => {
  it('refreshes fast without replicas locally, and keeps a replica when deployed', () => {
    expect(indexSettingsFor({ STAGE: 'local' })).toEqual({ replicas: 0, refreshInterval: '250ms' });
    expect(indexSettingsFor({ STAGE: 'prod' })).toEqual({ replicas: 1, refreshInterval: '1s' });
    expect(indexSettingsFor({ STAGE: 'prod', SEARCH_REPLICAS: '2', SEARCH_REFRESH_INTERVAL: '5s' })).toEqual({
      replicas: 2,
      refreshInterval: '5s',
    });
  });

  it('maps facets as keywords, text as English, prices as longs and an autocomplete field', () => {
    const { mappings } = indexDefinition({ replicas: 0, refreshInterval: '1s' }) as {
      mappings: {
        properties: Record<string, { type: string; analyzer?: string; fields?: Record<string, unknown> }>;
      };
    };
    const p = mappings.properties;
    expect(p.brand?.type).toBe('keyword');
    expect(p.brand?.fields).toHaveProperty('norm');
    expect(p.name).toMatchObject({ type: 'text', analyzer: 'english' });
    expect(p.minPrice?.type).toBe('long');
    expect(p.createdAt?.type).toBe('date');
    expect(p.suggest?.type).toBe('search_as_you_type');
    expect(indexNameFor('products')).toBe('products-v1');
  });
});
