import { describe, expect, it } from 'vitest';
import { ListProductsQuerySchema, MAX_VARIANTS, ProductWriteSchema } from '#catalog/domain/product.ts';
import { ValidationError } from '#shared/errors.ts';
import { validate } from '#shared/validation.ts';

const sku = 'BAD-1';
const valid = () => ({
  name: 'Trail Backpack',
  description: 'A product written by a test.',
  brand: 'Testbrand',
  category: 'testing',
  images: ['https://images.example.com/test.jpg'],
  attributes: { material: 'steel' },
  variants: [{ sku, attributes: { size: 'M' }, price: { amount: 500, currency: 'USD' } }],
});

function pathsOf(input: unknown): string[] {
  try {
    validate(ProductWriteSchema, input);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.path);
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

describe('product write schema', () => {
  it('accepts a valid body and fills optional collections', () => {
    const { description: _d, images: _i, attributes: _a, ...minimal } = valid();
    expect(ProductWriteSchema.parse(minimal)).toMatchObject({ description: '', images: [], attributes: {} });
    expect(ProductWriteSchema.parse(valid())).toEqual(valid());
  });

  // The same cases as the end-to-end catalog suite, with the paths it expects.
  it.each<[string, unknown, string]>([
    ['wrong type', { ...valid(), name: 42 }, 'name'],
    ['missing field', { ...valid(), category: undefined }, 'category'],
    ['unknown field', { ...valid(), colour: 'red' }, 'colour'],
    ['server-owned field', { ...valid(), productId: 'mine' }, 'productId'],
    [
      'negative price',
      { ...valid(), variants: [{ sku, attributes: {}, price: { amount: -1, currency: 'USD' } }] },
      'variants.0.price.amount',
    ],
    [
      'fractional price',
      { ...valid(), variants: [{ sku, attributes: {}, price: { amount: 9.99, currency: 'USD' } }] },
      'variants.0.price.amount',
    ],
    ['no variants', { ...valid(), variants: [] }, 'variants'],
    [
      'other currency',
      { ...valid(), variants: [{ sku, price: { amount: 1, currency: 'EUR' } }] },
      'variants.0.price.currency',
    ],
    [
      'lowercase SKU',
      { ...valid(), variants: [{ sku: 'abc', price: { amount: 1, currency: 'USD' } }] },
      'variants.0.sku',
    ],
    ['category not a slug', { ...valid(), category: 'Outdoor Gear' }, 'category'],
    ['image not a URL', { ...valid(), images: ['not a url'] }, 'images.0'],
    ['empty name', { ...valid(), name: '   ' }, 'name'],
    ['description too long', { ...valid(), description: 'x'.repeat(5001) }, 'description'],
    [
      'unknown variant field',
      { ...valid(), variants: [{ ...valid().variants[0], stock: 3 }] },
      'variants.0.stock',
    ],
  ])('%s -> %s', (_label, input, path) => {
    expect(pathsOf(input)).toContain(path);
  });

  it('rejects a SKU used twice in one body', () => {
    const variant = valid().variants[0];
    expect(pathsOf({ ...valid(), variants: [variant, { ...variant, attributes: { size: 'L' } }] })).toEqual([
      'variants.1.sku',
    ]);
  });

  it('caps variants so one transaction holds the product and every SKU claim', () => {
    const variants = Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => ({
      sku: `SKU-${i}`,
      price: { amount: 1, currency: 'USD' },
    }));
    expect(pathsOf({ ...valid(), variants })).toEqual(['variants']);
    expect(
      ProductWriteSchema.safeParse({ ...valid(), variants: variants.slice(0, MAX_VARIANTS) }).success,
    ).toBe(true);
  });
});

describe('list query', () => {
  it.each(['0', '101', 'abc', '-1', '2.5'])('rejects limit=%s', (limit) => {
    expect(ListProductsQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('parses a limit and leaves the default to the use case', () => {
    expect(ListProductsQuerySchema.parse({ limit: '100', category: 'books' })).toEqual({
      limit: 100,
      category: 'books',
    });
    expect(ListProductsQuerySchema.parse({})).toEqual({});
  });
});
