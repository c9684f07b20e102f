import { describe, expect, it } from 'vitest';
import { toSearchDocument, toSearchItem } from '#search/domain/search-document.ts';

const product = {
  productId: 'p1',
  name: 'Trail Backpack',
  description: 'Waterproof',
  brand: 'Summit',
  category: 'outdoors',
  images: ['https://img/1.jpg', 'https://img/2.jpg'],
  attributes: { material: 'nylon' },
  variants: [
    { sku: 'BP-L', attributes: {}, price: { amount: 4500, currency: 'USD' } },
    { sku: 'BP-M', attributes: {}, price: { amount: 4000, currency: 'USD' } },
  ],
  rating: { average: 4.5, count: 12 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

describe('search document', () => {
  it('indexes the lowest variant price, the SKUs, the first image and the rating', () => {
    expect(toSearchDocument(product)).toEqual({
      productId: 'p1',
      name: 'Trail Backpack',
      description: 'Waterproof',
      brand: 'Summit',
      category: 'outdoors',
      minPrice: 4000,
      maxPrice: 4500,
      currency: 'USD',
      skus: ['BP-L', 'BP-M'],
      image: 'https://img/1.jpg',
      rating: { average: 4.5, count: 12 },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      suggest: 'Trail Backpack',
    });
  });

  it('tolerates a product without images, rating or description', () => {
    const { images: _i, rating: _r, description: _d, ...bare } = product;
    const doc = toSearchDocument(bare);
    expect(doc.image).toBeUndefined();
    expect(doc.rating).toEqual({ average: 0, count: 0 });
    expect(doc.description).toBe('');
  });

  it('shows a hit as the API item with the lowest price as Money', () => {
    expect(toSearchItem(toSearchDocument(product))).toEqual({
      productId: 'p1',
      name: 'Trail Backpack',
      brand: 'Summit',
      category: 'outdoors',
      price: { amount: 4000, currency: 'USD' },
      rating: { average: 4.5, count: 12 },
      image: 'https://img/1.jpg',
    });
  });
});
