import { describe, expect, it } from 'vitest';
import { DynamoDbProductRepository, productKey } from '#catalog/adapters/dynamodb-product-repository.ts';
import { applyRating, type RatingWriter } from '#catalog/domain/rating.ts';
import type { DynamoDBDocumentClient } from '#shared/dynamodb.ts';

type Item = Record<string, unknown>;

const event = (ratingVersion: number, average: number, count: number) => ({
  version: 1 as const,
  productId: 'p-1',
  rating: { average, count },
  ratingVersion,
  changedAt: '2025-03-01T10:00:00.000Z',
});

/** The adapter's condition, in memory: exists, and holds an older ratingVersion (absent = 0). */
class MemoryRatings implements RatingWriter {
  readonly items = new Map<string, Item>([['p-1', { rating: { average: 0, count: 0 }, version: 1 }]]);
  async applyRating(productId: string, rating: { average: number; count: number }, ratingVersion: number) {
    const item = this.items.get(productId);
    if (!item) return 'gone' as const;
    if (Number(item.ratingVersion ?? 0) >= ratingVersion) return 'stale' as const;
    this.items.set(productId, { ...item, rating, ratingVersion, version: Number(item.version) + 1 });
    return 'applied' as const;
  }
}

describe('applyRating', () => {
  it('applies a newer version and ignores an equal or older one, in any delivery order', async () => {
    const products = new MemoryRatings();
    expect(await applyRating({ products }, event(2, 4.5, 2))).toBe('applied');
    expect(await applyRating({ products }, event(1, 4, 1))).toBe('stale');
    expect(await applyRating({ products }, event(2, 4.5, 2))).toBe('stale');
    expect(products.items.get('p-1')).toMatchObject({ rating: { average: 4.5, count: 2 }, ratingVersion: 2 });
    expect(await applyRating({ products }, event(3, 4.33, 3))).toBe('applied');
    expect(products.items.get('p-1')).toMatchObject({
      rating: { average: 4.33, count: 3 },
      ratingVersion: 3,
    });
  });

  it('does nothing for a product that is gone', async () => {
    const products = new MemoryRatings();
    expect(await applyRating({ products }, { ...event(1, 5, 1), productId: 'p-gone' })).toBe('gone');
    expect(products.items.has('p-gone')).toBe(false);
  });
});

describe('DynamoDbProductRepository.applyRating', () => {
  /** A client that evaluates exactly the adapter's UpdateItem condition on one stored item. */
  function fakeDb(stored: Item | undefined) {
    const state = { item: stored ? { ...stored } : undefined, sent: [] as Item[] };
    const db = {
      send: async (command: { input: Item; constructor: { name: string } }) => {
        const input = command.input;
        state.sent.push(input);
        if (command.constructor.name === 'GetCommand') return { Item: state.item };
        const values = input.ExpressionAttributeValues as Item;
        expect(input.Key).toEqual(productKey('p-1'));
        expect(input.ConditionExpression).toBe(
          'attribute_exists(pk) AND (attribute_not_exists(ratingVersion) OR ratingVersion < :rv)',
        );
        expect(input.UpdateExpression).toBe(
          'SET rating = :rating, ratingVersion = :rv, version = version + :one',
        );
        const current = state.item;
        if (!current || Number(current.ratingVersion ?? 0) >= Number(values[':rv'])) {
          expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
          throw Object.assign(new Error('The conditional request failed'), {
            name: 'ConditionalCheckFailedException',
            ...(current ? { Item: current } : {}),
          });
        }
        state.item = {
          ...current,
          rating: values[':rating'],
          ratingVersion: values[':rv'],
          version: Number(current.version) + 1,
        };
        return {};
      },
    } as unknown as DynamoDBDocumentClient;
    return { db, state };
  }

  it('sets the rating and its version, bumps the item version for the search index, keeps updatedAt', async () => {
    const { db, state } = fakeDb({ ...productKey('p-1'), version: 4, updatedAt: 'then' });
    const repo = new DynamoDbProductRepository(db, 'products');
    expect(await repo.applyRating('p-1', { average: 4.5, count: 2 }, 1)).toBe('applied');
    expect(state.item).toMatchObject({
      rating: { average: 4.5, count: 2 },
      ratingVersion: 1,
      version: 5,
      updatedAt: 'then',
    });
    expect(await repo.applyRating('p-1', { average: 1, count: 1 }, 1)).toBe('stale');
    expect(state.item).toMatchObject({ rating: { average: 4.5, count: 2 }, version: 5 });
  });

  it('tells a gone product from a stale rating', async () => {
    const { db } = fakeDb(undefined);
    expect(
      await new DynamoDbProductRepository(db, 'products').applyRating('p-1', { average: 1, count: 1 }, 1),
    ).toBe('gone');
  });
});
