import { describe, expect, it } from 'vitest';
import {
  dynamicIndexSettings,
  indexDefinition,
  indexNameFor,
  indexSettingsFor,
  SLOW_LOG_THRESHOLDS,
} from '#search/adapters/index-definition.ts';
import { QUERY_LIMITS } from '#search/adapters/opensearch-transport.ts';

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

  it('sets slow log thresholds above the measured p99 (19 ms) and below the client timeout', () => {
    const ms = (v: string) => Number(/^(\d+)ms$/.exec(v)?.[1]);
    const t = Object.fromEntries(Object.entries(SLOW_LOG_THRESHOLDS).map(([k, v]) => [k, ms(v)]));
    expect(Object.keys(t).sort()).toEqual([
      'index.indexing.slowlog.threshold.index.info',
      'index.indexing.slowlog.threshold.index.warn',
      'index.search.slowlog.threshold.fetch.info',
      'index.search.slowlog.threshold.fetch.warn',
      'index.search.slowlog.threshold.query.info',
      'index.search.slowlog.threshold.query.warn',
    ]);
    for (const phase of [
      'search.slowlog.threshold.query',
      'search.slowlog.threshold.fetch',
      'indexing.slowlog.threshold.index',
    ]) {
      const info = t[`index.${phase}.info`] ?? 0;
      const warn = t[`index.${phase}.warn`] ?? 0;
      expect(info, phase).toBeGreaterThan(19);
      expect(warn, phase).toBeGreaterThan(info);
      expect(warn, phase).toBeLessThan(QUERY_LIMITS.requestTimeout);
    }
  });

  it('creates the index with every setting an existing one is updated to', () => {
    const settings = { replicas: 2, refreshInterval: '1s' };
    const created = indexDefinition(settings).settings as Record<string, unknown>;
    expect(dynamicIndexSettings(settings)).toEqual({
      'index.number_of_replicas': 2,
      'index.refresh_interval': '1s',
      ...SLOW_LOG_THRESHOLDS,
    });
    expect(created).toMatchObject(dynamicIndexSettings(settings));
    // Static settings cannot be changed on an open index: never part of the update.
    expect(Object.keys(dynamicIndexSettings(settings))).not.toContain('index.number_of_shards');
    expect(created['index.number_of_shards']).toBe(1);
  });
});
