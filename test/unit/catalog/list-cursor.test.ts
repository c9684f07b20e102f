import { describe, expect, it } from 'vitest';
import { DynamoDbProductRepository, toProductItem } from '#catalog/adapters/dynamodb-product-repository.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import { decodeListCursor, encodeListCursor } from '#catalog/domain/list-cursor.ts';
import type { Product } from '#catalog/domain/product.ts';
import { encodeCursor } from '#shared/cursor.ts';
import type { DynamoDBDocumentClient } from '#shared/dynamodb.ts';
import { ValidationError } from '#shared/errors.ts';

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const AT = '2026-01-01T00:00:00.000Z';
const position = { createdAt: AT, productId: ID };

/** The field errors of a refused cursor; fails the test when the cursor is accepted. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.path);
  }
  throw new Error('expected the cursor to be refused');
}

/** The JSON inside a cursor this module issued. */
const inside = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { h: string; t: string; id: string };

describe('list cursor', () => {
  it('round-trips a position within a category and within the whole catalog', () => {
    expect(decodeListCursor(encodeListCursor('books', position), 'books')).toEqual(position);
    expect(decodeListCursor(encodeListCursor(undefined, position), undefined)).toEqual(position);
    const fresh = { createdAt: new Date().toISOString(), productId: newProductId() };
    expect(decodeListCursor(encodeListCursor('home', fresh), 'home')).toEqual(fresh);
  });

  it('refuses a cursor issued for another listing', () => {
    for (const [issuedFor, usedFor] of [
      ['books', 'home'],
      ['books', undefined],
      [undefined, 'books'],
      ['books', 'books-2'],
    ] as const) {
      expect(
        refusal(() => decodeListCursor(encodeListCursor(issuedFor, position), usedFor)),
        `${issuedFor} -> ${usedFor}`,
      ).toEqual(['cursor']);
    }
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 1],
    ['a string', 'PRODUCT#x'],
    ['an array', [AT, ID]],
    ['the raw start key', { pk: `PRODUCT#${ID}`, sk: 'PRODUCT', ipk: 'CATEGORY#books', isk: `${AT}#${ID}` }],
    ['an extra field', { extra: 1 }],
    ['a key attribute smuggled in', { gsi1pk: 'CATEGORY#other' }],
    ['no binding', { h: undefined }],
    ['a binding of the wrong type', { h: 1 }],
    ['no createdAt', { t: undefined }],
    ['createdAt a number', { t: Date.parse(AT) }],
    ['createdAt an object', { t: { S: AT } }],
    ['createdAt without milliseconds', { t: '2026-01-01T00:00:00Z' }],
    ['createdAt with an offset', { t: '2026-01-01T00:00:00.000+01:00' }],
    ['createdAt an impossible date', { t: '2026-02-30T00:00:00.000Z' }],
    ['createdAt an impossible hour', { t: '2026-01-01T25:00:00.000Z' }],
    ['createdAt with the id appended', { t: `${AT}#${ID}` }],
    ['createdAt empty', { t: '' }],
    ['no id', { id: undefined }],
    ['id a number', { id: 7 }],
    ['id null', { id: null }],
    ['id a nested object', { id: { S: ID } }],
    ['id with its key prefix', { id: `PRODUCT#${ID}` }],
    ['id uppercase', { id: ID.toUpperCase() }],
    ['id not a UUIDv7', { id: '01890a5d-ac96-474b-bcce-b302099a8057' }],
    ['id made up', { id: 'does-not-exist' }],
    ['id empty', { id: '' }],
    ['id huge', { id: 'x'.repeat(1200) }],
  ])('refuses %s', (_label, change) => {
    const issued = inside(encodeListCursor('books', position));
    const value =
      change !== null && typeof change === 'object' && !Array.isArray(change)
        ? Object.fromEntries(Object.entries({ ...issued, ...change }).filter(([, v]) => v !== undefined))
        : change;
    expect(refusal(() => decodeListCursor(encodeCursor(value), 'books'))).toEqual(['cursor']);
  });

  it.each([
    '',
    '%%%',
    'not-a-cursor',
    Buffer.from('{"h":1').toString('base64url'),
    `${encodeListCursor('books', position)}=`,
    'A'.repeat(2049),
  ])('refuses the undecodable %j', (cursor) => {
    expect(refusal(() => decodeListCursor(cursor, 'books'))).toEqual(['cursor']);
  });
});

const product = (productId: string, createdAt: string): Product => ({
  productId,
  name: 'Lamp',
  description: '',
  brand: 'Lumen',
  category: 'books',
  images: [],
  attributes: {},
  variants: [{ sku: 'L-1', attributes: {}, price: { amount: 100, currency: 'USD' } }],
  rating: { average: 0, count: 0 },
  createdAt,
  updatedAt: createdAt,
});

/** A document client that records each Query input and answers with `items`. */
function recordingDb(items: Record<string, unknown>[]) {
  const inputs: Record<string, unknown>[] = [];
  const db = {
    send: async (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      return { Items: items };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, inputs };
}

describe('listing through the repository', () => {
  it('starts a page from the exact key of the issued position, and from nothing the client wrote', async () => {
    const items = [product(newProductId(), AT), product(ID, AT), product(newProductId(), AT)].map((p) =>
      toProductItem(p, 1),
    );
    const { db, inputs } = recordingDb(items);
    const repository = new DynamoDbProductRepository(db, 'products');
    const first = await repository.list({ category: 'books', limit: 2 });
    expect(first.nextCursor).toBeDefined();
    await repository.list({ category: 'books', limit: 2, cursor: first.nextCursor ?? '' });
    expect(inputs[1]?.ExclusiveStartKey).toEqual({
      pk: `PRODUCT#${ID}`,
      sk: 'PRODUCT',
      gsi1pk: 'CATEGORY#books',
      gsi1sk: `${AT}#${ID}`,
    });
  });

  it('refuses a tampered cursor before any query is sent', async () => {
    const { db, inputs } = recordingDb([]);
    const repository = new DynamoDbProductRepository(db, 'products');
    const raw = encodeCursor({ pk: `PRODUCT#${ID}`, sk: 'PRODUCT', ipk: 'PRODUCTS', isk: { S: 'x' } });
    await expect(repository.list({ limit: 2, cursor: raw })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      repository.list({ category: 'home', limit: 2, cursor: encodeListCursor('books', position) }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(inputs).toEqual([]);
  });
});
