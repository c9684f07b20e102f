import { describe, expect, it } from 'vitest';
import { fromProductItem, toProductItem } from '#catalog/adapters/dynamodb-product-repository.ts';
import type { Product } from '#catalog/domain/product.ts';

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
      gsi2pk: 'PRODUCTS',
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
