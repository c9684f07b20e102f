import { describe, expect, it } from 'vitest';
import { MAX_LINES, MAX_QUANTITY } from '#cart/domain/cart.ts';
import { ProductNotFoundError } from '#catalog/domain/errors.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import {
  ATTRIBUTE_KEY_PATTERN,
  AttributeKeySchema,
  checkDistinctSkus,
  ListProductsQuerySchema,
  MAX_AMOUNT,
  MAX_ATTRIBUTES,
  MAX_VARIANTS,
  ProductIdSchema,
  ProductWriteSchema,
  RESERVED_ATTRIBUTE_KEYS,
} from '#catalog/domain/product.ts';
import { UnprocessableError, ValidationError } from '#shared/errors.ts';
import { validate } from '#shared/validation.ts';
import { productIdOf } from '../../../lambdas/catalog/handlers/product-id.ts';
import { generateCatalog } from '../../../local/seed/catalog-generator.ts';

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

  it('refuses a SKU used twice in one body as unprocessable (each field is well-formed)', () => {
    const variant = valid().variants[0];
    const twice = ProductWriteSchema.parse({
      ...valid(),
      variants: [variant, { ...variant, attributes: { size: 'L' } }],
    });
    expect(() => checkDistinctSkus(twice)).toThrow(UnprocessableError);
    expect(() => checkDistinctSkus(ProductWriteSchema.parse(valid()))).not.toThrow();
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

/** A body as the JSON parser builds it: `__proto__` and friends become own properties. */
const fromJson = (attributes: string, variantAttributes = '{}') =>
  JSON.parse(
    `{"name":"Lamp","brand":"Lumen","category":"home","attributes":${attributes},"variants":[` +
      `{"sku":"L-1","attributes":{},"price":{"amount":1,"currency":"USD"}},` +
      `{"sku":"L-2","attributes":${variantAttributes},"price":{"amount":1,"currency":"USD"}}]}`,
  ) as unknown;

const rejectedKeys: [string, string][] = [
  ['constructor', 'constructor'],
  ['__proto__', '__proto__'],
  ['prototype', 'prototype'],
  ['toString', 'toString'],
  ['valueOf', 'valueOf'],
  ['hasOwnProperty', 'hasOwnProperty'],
  ['isPrototypeOf', 'isPrototypeOf'],
  ['__defineGetter__', '__defineGetter__'],
  ['empty', ''],
  ['a space', ' '],
  ['leading space', ' color'],
  ['trailing space', 'color '],
  ['two spaces', 'screen  size'],
  ['tab', 'col\tor'],
  ['newline', 'col\nor'],
  ['NUL', 'col\u0000or'],
  ['DEL', 'col\u007for'],
  ['zero-width space', 'col\u200bor'],
  ['leading digit', '1color'],
  ['leading underscore', '_color'],
  ['leading dash', '-color'],
  ['dot', 'a.b'],
  ['dollar', '$where'],
  ['slash', 'a/b'],
  ['quote', 'a"b'],
  ['non-ASCII letter', 'c\u00f4t\u00e9'],
  ['emoji', 'color\ud83c\udfa8'],
  ['65 characters', 'x'.repeat(65)],
];

describe('attribute keys', () => {
  it.each(rejectedKeys)('rejects %s on the product and on a variant, at the key path', (_label, key) => {
    const raw = JSON.stringify(key);
    expect(pathsOf(fromJson(`{"material":"steel",${raw}:"x"}`))).toEqual([`attributes.${key}`]);
    expect(pathsOf(fromJson('{}', `{${raw}:"x","size":"M"}`))).toEqual([`variants.1.attributes.${key}`]);
  });

  it('rejects every member name of Object.prototype, plus prototype', () => {
    const names = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
    for (const name of names) {
      expect(RESERVED_ATTRIBUTE_KEYS, name).toContain(name);
      expect(pathsOf(fromJson(JSON.stringify({ [name]: 'x' }))), name).toEqual([`attributes.${name}`]);
    }
  });

  it('reports each rejected key, and never drops one silently', () => {
    expect(pathsOf(fromJson('{"__proto__":"x","constructor":"y","ok":"z"}', '{"__proto__":{}}'))).toEqual([
      'attributes.__proto__',
      'attributes.constructor',
      'variants.1.attributes.__proto__',
    ]);
  });

  it.each([
    'color',
    'size',
    'material',
    'model',
    'format',
    'edition',
    'Color',
    'Screen size',
    'screen size in inches',
    'model_no',
    'x-ray',
    'USB-C ports',
    'A',
    'a1',
    'Constructor',
    'x'.repeat(64),
  ])('accepts %j and keeps it exactly', (key) => {
    const body = fromJson(JSON.stringify({ [key]: 'v' }), JSON.stringify({ [key]: 'w', 'other key': 'M' }));
    const product = ProductWriteSchema.parse(body);
    expect(Object.entries(product.attributes)).toEqual([[key, 'v']]);
    expect(Object.entries(product.variants[1]?.attributes ?? {})).toEqual([
      [key, 'w'],
      ['other key', 'M'],
    ]);
    expect(AttributeKeySchema.safeParse(key).success).toBe(true);
  });

  it('accepts every key the seed catalog uses', () => {
    const keys = new Set<string>();
    for (const product of generateCatalog(200, 7)) {
      for (const key of Object.keys(product.attributes)) keys.add(key);
      for (const variant of product.variants)
        for (const key of Object.keys(variant.attributes)) keys.add(key);
      expect(ProductWriteSchema.safeParse(product).success, product.name).toBe(true);
    }
    expect(keys.size).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(ATTRIBUTE_KEY_PATTERN);
  });

  it('still caps the number of attributes and the length of values', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(pathsOf({ ...valid(), attributes: many })).toEqual(['attributes']);
    expect(pathsOf({ ...valid(), attributes: { color: 'x'.repeat(501) } })).toEqual(['attributes.color']);
    expect(pathsOf({ ...valid(), attributes: { color: 5 } })).toEqual(['attributes.color']);
    expect(pathsOf({ ...valid(), attributes: ['color'] })).toEqual(['attributes']);
  });
});

describe('list query', () => {
  it.each(['0', '101', 'abc', '-1', '2.5'])('rejects limit=%s', (limit) => {
    expect(ListProductsQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('parses a limit, 20 when absent', () => {
    expect(ListProductsQuerySchema.parse({ limit: '100', category: 'books' })).toEqual({
      limit: 100,
      category: 'books',
    });
    expect(ListProductsQuerySchema.parse({})).toEqual({ limit: 20 });
  });

  it('refuses a cursor outside the issued alphabet, or empty, on `cursor`', () => {
    for (const cursor of ['', ' ', 'a b', '%%%', 'a='.repeat(2), 'a'.repeat(2049)]) {
      const result = ListProductsQuerySchema.safeParse({ cursor });
      expect(result.success, JSON.stringify(cursor)).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['cursor']);
    }
    expect(ListProductsQuerySchema.safeParse({ cursor: 'eyJoIjoiYSJ9' }).success).toBe(true);
  });
});

describe('prices', () => {
  const priced = (amount: number) => ({
    ...valid(),
    variants: [{ sku, attributes: {}, price: { amount, currency: 'USD' } }],
  });

  it('accepts prices up to MAX_AMOUNT, so a full cart total stays an exact integer', () => {
    expect(validate(ProductWriteSchema, priced(MAX_AMOUNT)).variants[0]?.price.amount).toBe(MAX_AMOUNT);
    expect(Number.isSafeInteger(MAX_AMOUNT * MAX_QUANTITY * MAX_LINES)).toBe(true);
  });

  it.each([MAX_AMOUNT + 1, Number.MAX_SAFE_INTEGER, 1e20, -1, 1.5])('refuses %s', (amount) => {
    expect([...new Set(pathsOf(priced(amount)))]).toEqual(['variants.0.price.amount']);
  });
});

describe('product ids in paths', () => {
  const event = (productId: string | undefined) => ({
    pathParameters: productId === undefined ? null : { productId },
  });

  it('passes a product id as newProductId makes it', () => {
    const id = newProductId();
    expect(productIdOf(event(id))).toBe(id);
  });

  it.each([
    'does-not-exist',
    '%00',
    '\u202e',
    newProductId().toUpperCase(),
    `${newProductId()}x`,
    'x%23y',
    '00000000-0000-4000-8000-000000000000',
  ])('answers %j as an unknown product (404), without a read', (id) => {
    expect(() => productIdOf(event(id))).toThrow(ProductNotFoundError);
  });

  it('is a 400 on `productId` without an id or with one past 128 characters', () => {
    expect(() => productIdOf(event(undefined))).toThrow(ValidationError);
    for (const id of ['a'.repeat(129), 'a'.repeat(200)]) {
      try {
        productIdOf(event(id));
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['productId']);
      }
    }
    expect(() => productIdOf(event('a'.repeat(128)))).toThrow(ProductNotFoundError);
  });
});

describe('product id length', () => {
  // The document's maxLength counts code points (JSON Schema's rule): 128 emoji are 128 characters.
  it('counts characters as the document does', () => {
    expect(ProductIdSchema.safeParse('\u{1F600}'.repeat(128)).success).toBe(true);
    expect(ProductIdSchema.safeParse('\u{1F600}'.repeat(129)).success).toBe(false);
    expect(ProductIdSchema.safeParse('a'.repeat(129)).success).toBe(false);
    expect(ProductIdSchema.safeParse('').success).toBe(false);
  });
});
