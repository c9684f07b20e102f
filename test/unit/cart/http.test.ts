import { describe, expect, it } from 'vitest';
import { updateFor } from '#cart/adapters/dynamodb-cart-repository.ts';
import { guestExpiry, userCartId } from '#cart/domain/cart.ts';
import { VersionMismatchError } from '#cart/domain/errors.ts';
import {
  AddCartItemSchema,
  CreateCartSchema,
  MergeCartSchema,
  SetCartItemSchema,
} from '#cart/domain/requests.ts';
import type { CartWrite, LineChange } from '#cart/domain/writes.ts';
import { ValidationError } from '#shared/errors.ts';
import { validate } from '#shared/validation.ts';
import { cartHandler, writeOptions } from '../../../lambdas/cart/handlers/cart-http.ts';
import { apiEvent, lambdaContext } from '../support.ts';

/** The field paths a 400 would list. */
function paths(schema: Parameters<typeof validate>[0], input: unknown): string[] {
  try {
    validate(schema, input);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.errors.map((e) => e.path);
  }
}

describe('cart request bodies', () => {
  it('take whole quantities from 1 (add) or 0 (set); above 99 is left to the cart rules (422)', () => {
    expect(paths(AddCartItemSchema, { sku: 'A-1', quantity: 1 })).toEqual([]);
    expect(paths(AddCartItemSchema, { sku: 'A-1', quantity: 150 })).toEqual([]);
    for (const quantity of [0, -1, 1.5, '2', null, Number.NaN, 2 ** 60]) {
      expect(paths(AddCartItemSchema, { sku: 'A-1', quantity }), String(quantity)).toEqual(['quantity']);
    }
    expect(paths(SetCartItemSchema, { quantity: 0 })).toEqual([]);
    for (const quantity of [-1, 0.5, '3']) {
      expect(paths(SetCartItemSchema, { quantity }), String(quantity)).toEqual(['quantity']);
    }
  });

  it('reject unknown fields (a price from the client among them) at their own path, and bad SKUs', () => {
    expect(paths(AddCartItemSchema, { sku: 'A-1', quantity: 1, unitPrice: { amount: 1 } })).toEqual([
      'unitPrice',
    ]);
    expect(paths(AddCartItemSchema, { sku: 'lower case', quantity: 1 })).toEqual(['sku']);
    expect(paths(AddCartItemSchema, { quantity: 1 })).toEqual(['sku']);
    expect(paths(SetCartItemSchema, { quantity: 1, sku: 'A' })).toEqual(['sku']);
    expect(paths(MergeCartSchema, { cartId: 7 })).toEqual(['cartId']);
    expect(paths(CreateCartSchema, { ownerId: 'me' })).toEqual(['ownerId']);
    expect(paths(CreateCartSchema, {})).toEqual([]);
  });
});

describe('If-Match', () => {
  const options = (value?: string) =>
    writeOptions({ headers: value === undefined ? {} : { 'If-Match': value } });

  it('reads a version bare, quoted or weak; `*` and no header mean no condition', () => {
    expect(options('3')).toEqual({ expectedVersion: 3 });
    expect(options('"12"')).toEqual({ expectedVersion: 12 });
    expect(options('W/"4"')).toEqual({ expectedVersion: 4 });
    expect(options('*')).toEqual({});
    expect(options()).toEqual({});
  });

  it('is a 400 naming If-Match when it is not a version', () => {
    for (const value of [
      'abc',
      '"1", "2"',
      '-1',
      '1.5',
      '2"',
      '"2',
      'W/2',
      'W/"2',
      '"01"',
      '0',
      'w/"2"',
      '""',
    ]) {
      expect(() => options(value), value).toThrow(ValidationError);
    }
  });

  it('answers a stale version with 412 problem+json and the current ETag', async () => {
    const handler = cartHandler(async () => {
      throw new VersionMismatchError(2, 5);
    });
    const res = await handler(apiEvent(), lambdaContext);
    expect(res.statusCode).toBe(412);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', etag: '"5"' });
    expect(JSON.parse(res.body)).toMatchObject({ status: 412, title: 'Precondition Failed' });
  });
});

describe('the UpdateItem of a line write', () => {
  const now = new Date('2026-02-01T00:00:00.000Z');
  const changes: LineChange[] = [
    {
      kind: 'add',
      line: {
        sku: 'A-1',
        productId: 'p',
        name: 'n',
        quantity: 2,
        unitPrice: { amount: 1, currency: 'USD' },
        addedAt: now.toISOString(),
      },
    },
    { kind: 'set', sku: 'A-1', quantity: 4 },
    { kind: 'remove', sku: 'A-1' },
  ];
  const writes: CartWrite[] = changes.flatMap((change) => [
    {
      cartId: 'g-AAAAAAAAAAAAAAAAAAAAAA',
      access: { kind: 'guest', expiresAt: guestExpiry(now) },
      now,
      change,
    },
    {
      cartId: userCartId('alice'),
      access: { kind: 'user', ownerId: 'alice' },
      callerId: 'alice',
      expectedVersion: 3,
      now,
      change,
    },
  ]);

  it('uses every name and value it declares (DynamoDB refuses unused ones)', () => {
    for (const write of writes) {
      const input = updateFor(write, 'carts');
      const text = `${input.UpdateExpression} ${input.ConditionExpression}`;
      for (const placeholder of [
        ...Object.keys(input.ExpressionAttributeNames),
        ...Object.keys(input.ExpressionAttributeValues),
      ]) {
        expect(text, `${write.change.kind}/${write.access.kind}`).toMatch(
          new RegExp(`${placeholder}(?![0-9])`),
        );
      }
      // A SKU is only ever a placeholder, never spliced into the expression.
      expect(text).not.toContain('A-1');
      expect(input).toMatchObject({
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    }
  });

  it('refreshes the expiry of guest carts only', () => {
    const [guest, user] = writes.map((w) => updateFor(w, 'carts'));
    expect(Object.values(guest?.ExpressionAttributeNames ?? {})).toContain('expiresAt');
    expect(Object.values(user?.ExpressionAttributeNames ?? {})).not.toContain('expiresAt');
    expect(Object.values(user?.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['alice', 3]),
    );
  });
});
