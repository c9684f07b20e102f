import { describe, expect, it } from 'vitest';
import {
  DynamoDbProductRepository,
  fromProductItem,
  LEGACY_LIST_PARTITION,
  LIST_PARTITIONS,
  LIST_SHARDS,
  listPartitionOf,
  listShardOf,
  toProductItem,
} from '#catalog/adapters/dynamodb-product-repository.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import type { Product } from '#catalog/domain/product.ts';
import type { DynamoDBDocumentClient } from '#shared/dynamodb.ts';

const product: Product = {
  productId: 'p1',
  name: 'Lamp',
  description: '',
  brand: 'Lumen',
  category: 'home',
  images: [],
  attributes: {},
  variants: [{ sku: 'L-1', attributes: {}, price: { amount: 100, currency: 'USD' } }],
  rating: { average: 0, count: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('product item', () => {
  it('carries the keys and index attributes of docs/architecture.md', () => {
    expect(toProductItem(product, 3)).toMatchObject({
      pk: 'PRODUCT#p1',
      sk: 'PRODUCT',
      version: 3,
      gsi1pk: 'CATEGORY#home',
      gsi1sk: '2026-01-01T00:00:00.000Z#p1',
      gsi2pk: `PRODUCTS#${listShardOf('p1')}`,
      gsi2sk: '2026-01-01T00:00:00.000Z#p1',
    });
  });

  it('reads back only the API fields and the version', () => {
    expect(fromProductItem(toProductItem(product, 3))).toEqual({ product, version: 3 });
  });
});

describe('the rating version', () => {
  it('is read back with the product, so a replace can keep it; absent stays absent', () => {
    expect(fromProductItem({ ...toProductItem(product, 4), ratingVersion: 7 })).toEqual({
      product,
      version: 4,
      ratingVersion: 7,
    });
    expect(fromProductItem(toProductItem(product, 4))).not.toHaveProperty('ratingVersion');
  });
});

describe('the listing shards of gsi2', () => {
  it('puts a product in one stable shard of PRODUCTS#0..7, the same on every write', () => {
    // Pinned: a changed hash would move nothing already written, but writes and the backfill agree.
    expect(LIST_SHARDS).toBe(8);
    expect(listShardOf('01890a5d-ac96-774b-bcce-b302099a8057')).toBe(
      listShardOf('01890a5d-ac96-774b-bcce-b302099a8057'),
    );
    expect(listPartitionOf('p1')).toBe(toProductItem(product, 1).gsi2pk);
    expect(toProductItem(product, 9).gsi2pk).toBe(toProductItem(product, 1).gsi2pk);
    expect(LIST_PARTITIONS).toEqual([...Array.from({ length: 8 }, (_, n) => `PRODUCTS#${n}`), 'PRODUCTS']);
  });

  it('spreads UUIDv7 ids, made one right after another, evenly over the shards', () => {
    const counts = new Array<number>(LIST_SHARDS).fill(0);
    for (let i = 0; i < 8000; i++) {
      const shard = listShardOf(newProductId());
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(LIST_SHARDS);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // 1,000 expected in each; a skewed hash would leave some far off.
    for (const count of counts) expect(count).toBeGreaterThan(850);
    for (const count of counts) expect(count).toBeLessThan(1150);
  });
});

type Item = Record<string, unknown>;

/** A fake gsi2: each partition's items newest first, answered to the Query's bound and Limit. */
function shardedDb(items: Item[], pageSize = Number.POSITIVE_INFINITY) {
  const inputs: Item[] = [];
  const db = {
    send: async (command: { input: Item }) => {
      const input = command.input;
      inputs.push(input);
      const values = input.ExpressionAttributeValues as { ':pk': string; ':before'?: string };
      const start = (input.ExclusiveStartKey as { gsi2sk?: string } | undefined)?.gsi2sk;
      const matching = items
        .filter((item) => item.gsi2pk === values[':pk'])
        .filter((item) => values[':before'] === undefined || String(item.gsi2sk) < values[':before'])
        .filter((item) => start === undefined || String(item.gsi2sk) < start)
        .sort((a, b) => (String(a.gsi2sk) < String(b.gsi2sk) ? 1 : -1));
      const page = matching.slice(0, Math.min(Number(input.Limit), pageSize));
      const last = page.at(-1);
      return {
        Items: page,
        ...(page.length < matching.length && last ? { LastEvaluatedKey: { gsi2sk: last.gsi2sk } } : {}),
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, inputs };
}

const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
const stored = (productId: string, minute: number) =>
  toProductItem({ ...product, productId, createdAt: at(minute), updatedAt: at(minute) }, 1);

describe('listing all products over the shards', () => {
  it('queries every shard and the legacy partition, each for limit + 1, from the same bound', async () => {
    const { db, inputs } = shardedDb([]);
    const repository = new DynamoDbProductRepository(db, 'products');
    await repository.list({ limit: 5 });
    expect(inputs.map((i) => (i.ExpressionAttributeValues as Item)[':pk']).sort()).toEqual(
      [...LIST_PARTITIONS].sort(),
    );
    for (const input of inputs) {
      expect(input).toMatchObject({ IndexName: 'gsi2', ScanIndexForward: false, Limit: 6 });
      expect(input.KeyConditionExpression).toBe('gsi2pk = :pk');
      expect(input.ExclusiveStartKey).toBeUndefined();
    }
  });

  it('keeps reading a shard whose page stopped short (1 MB) until it has limit + 1', async () => {
    const ids = Array.from({ length: 6 }, () => newProductId());
    // All in one partition, served two at a time.
    const items = ids.map((id, i) => ({ ...stored(id, i), gsi2pk: 'PRODUCTS#3' }));
    const { db, inputs } = shardedDb(items, 2);
    const page = await new DynamoDbProductRepository(db, 'products').list({ limit: 4 });
    expect(page.items.map((p) => p.productId)).toEqual([...ids].reverse().slice(0, 4));
    expect(page.nextCursor).toBeDefined();
    expect(inputs.filter((i) => (i.ExpressionAttributeValues as Item)[':pk'] === 'PRODUCTS#3')).toHaveLength(
      3,
    );
  });

  it('lists an item seen in two partitions (moved by the backfill mid-list) once', async () => {
    const id = newProductId();
    const item = stored(id, 1);
    const { db } = shardedDb([item, { ...item, gsi2pk: LEGACY_LIST_PARTITION }]);
    const page = await new DynamoDbProductRepository(db, 'products').list({ limit: 5 });
    expect(page.items.map((p) => p.productId)).toEqual([id]);
    expect(page.nextCursor).toBeUndefined();
  });
});
