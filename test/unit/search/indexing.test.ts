import { describe, expect, it } from 'vitest';
import { applyChange, planIndexAction, type SearchIndexPort } from '#search/domain/indexing.ts';
import type { SearchDocument } from '#search/domain/search-document.ts';

/**
 * A fake index with OpenSearch's external-versioning rules: a write or delete applies only with a
 * version above the stored one (deletes leave a versioned tombstone).
 */
class FakeIndex implements SearchIndexPort {
  readonly docs = new Map<string, { doc?: SearchDocument; version: number }>();

  async upsert(doc: SearchDocument, version: number) {
    const current = this.docs.get(doc.productId);
    if (current && current.version >= version) return 'stale' as const;
    this.docs.set(doc.productId, { doc, version });
    return 'applied' as const;
  }

  async remove(productId: string, version: number) {
    const current = this.docs.get(productId);
    if (current && current.version >= version) return 'stale' as const;
    this.docs.set(productId, { version });
    return current?.doc ? ('applied' as const) : ('absent' as const);
  }

  live(productId: string) {
    return this.docs.get(productId)?.doc;
  }
}

const item = (version: number, name = `Lamp v${version}`) => ({
  pk: 'PRODUCT#p1',
  sk: 'PRODUCT',
  productId: 'p1',
  name,
  brand: 'Lumen',
  category: 'home',
  variants: [{ sku: 'L-1', attributes: {}, price: { amount: 100, currency: 'USD' } }],
  createdAt: '2026-01-01T00:00:00.000Z',
  version,
  gsi1pk: 'CATEGORY#home',
});

const insert = (v: number) => ({ eventName: 'INSERT', newImage: item(v) });
const modify = (v: number) => ({ eventName: 'MODIFY', newImage: item(v), oldImage: item(v - 1) });
const remove = (v: number) => ({ eventName: 'REMOVE', oldImage: item(v) });

describe('planning', () => {
  it('indexes writes with the item version and deletes with the old version + 1', () => {
    expect(planIndexAction(modify(2))).toMatchObject({
      kind: 'upsert',
      version: 2,
      doc: { name: 'Lamp v2' },
    });
    expect(planIndexAction(remove(2))).toEqual({ kind: 'remove', productId: 'p1', version: 3 });
  });

  it('ignores items that are not products', () => {
    const claim = { pk: 'SKU#L-1', sk: 'SKU', productId: 'p1' };
    expect(planIndexAction({ eventName: 'INSERT', newImage: claim }).kind).toBe('ignore');
    expect(planIndexAction({ eventName: 'REMOVE', oldImage: claim }).kind).toBe('ignore');
  });

  it('fails a product record without a version, so it is retried rather than indexed wrongly', () => {
    const { version: _v, ...unversioned } = item(1);
    expect(() => planIndexAction({ eventName: 'INSERT', newImage: unversioned })).toThrow(/version/);
  });
});

describe('applying records', () => {
  it('follows the latest write', async () => {
    const index = new FakeIndex();
    expect(await applyChange(insert(1), index)).toBe('applied');
    expect(await applyChange(modify(2), index)).toBe('applied');
    expect(index.live('p1')?.name).toBe('Lamp v2');
  });

  it('never regresses on replayed or out-of-order records (stale counts as success)', async () => {
    const index = new FakeIndex();
    await applyChange(modify(3), index);
    expect(await applyChange(modify(2), index)).toBe('stale');
    expect(await applyChange(insert(1), index)).toBe('stale');
    expect(await applyChange(modify(3), index)).toBe('stale');
    expect(index.live('p1')?.name).toBe('Lamp v3');
  });

  it('keeps a deleted product deleted when its last write arrives late', async () => {
    const index = new FakeIndex();
    await applyChange(insert(1), index);
    await applyChange(modify(2), index);
    expect(await applyChange(remove(2), index)).toBe('applied');
    expect(await applyChange(modify(2), index)).toBe('stale');
    expect(index.live('p1')).toBeUndefined();
  });

  it('accepts a delete that arrives before the write it follows', async () => {
    const index = new FakeIndex();
    expect(await applyChange(remove(1), index)).toBe('absent');
    expect(await applyChange(insert(1), index)).toBe('stale');
    expect(index.live('p1')).toBeUndefined();
  });

  it('reports index failures to the caller so the batch retries that record', async () => {
    const failing: SearchIndexPort = {
      upsert: async () => {
        throw new Error('search unavailable');
      },
      remove: async () => 'applied',
    };
    await expect(applyChange(insert(1), failing)).rejects.toThrow('search unavailable');
  });
});
