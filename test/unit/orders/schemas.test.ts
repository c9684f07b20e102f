import { describe, expect, it } from 'vitest';
import { newGuestCartId, userCartId } from '#cart/domain/cart.ts';
import {
  AddressSchema,
  CheckoutRequestSchema,
  DEFAULT_PAGE,
  IdempotencyKeySchema,
  ListOrdersQuerySchema,
  MAX_PAGE,
} from '#orders/domain/schemas.ts';
import { issuesToFieldErrors } from '#shared/validation.ts';
import { address } from './memory.ts';

const request = () => ({
  cartId: userCartId('alice'),
  shippingAddress: { ...address },
  payment: { token: 'tok_visa' },
});

/** The paths a refused input is reported at, as a client would see them. */
function refusedAt(
  schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
  input: unknown,
) {
  const result = schema.safeParse(input);
  expect(result.success, JSON.stringify(input)).toBe(false);
  const issues =
    (result.error as { issues: Parameters<typeof issuesToFieldErrors>[0] } | undefined)?.issues ?? [];
  return issuesToFieldErrors(issues).map((e) => e.path);
}

describe('AddressSchema', () => {
  it('accepts a full and a minimal address, trimming text', () => {
    expect(AddressSchema.parse(address)).toEqual(address);
    expect(
      AddressSchema.parse({ ...address, name: '  Ann  ', line2: 'Flat 2', region: 'Oxon', city: ' Oxford ' }),
    ).toEqual({ ...address, name: 'Ann', line2: 'Flat 2', region: 'Oxon', city: 'Oxford' });
  });

  it('takes a two upper-case letter country only', () => {
    expect(AddressSchema.safeParse({ ...address, country: 'US' }).success).toBe(true);
    for (const country of ['us', 'Us', 'USA', 'U', '12', ' US', 'U$']) {
      expect(refusedAt(AddressSchema, { ...address, country })).toEqual(['country']);
    }
  });

  it('takes postal codes of 2-16 letters, digits, inner spaces and dashes', () => {
    for (const postalCode of ['OX1 1AA', '90210', '10115', 'K1A-0B1', '12', 'A'.repeat(16)]) {
      expect(AddressSchema.safeParse({ ...address, postalCode }).success, postalCode).toBe(true);
    }
    for (const postalCode of [
      '1',
      '',
      ' 12345',
      '12345 ',
      '-1234',
      '1234-',
      'A'.repeat(17),
      '12_34',
      '12#4',
    ]) {
      expect(refusedAt(AddressSchema, { ...address, postalCode })).toEqual(['postalCode']);
    }
  });

  it('refuses blank or over-long text and missing fields', () => {
    expect(refusedAt(AddressSchema, { ...address, name: '   ' })).toEqual(['name']);
    expect(refusedAt(AddressSchema, { ...address, name: 'n'.repeat(101) })).toEqual(['name']);
    expect(AddressSchema.safeParse({ ...address, name: 'n'.repeat(100) }).success).toBe(true);
    expect(refusedAt(AddressSchema, { ...address, line1: 'l'.repeat(201) })).toEqual(['line1']);
    const { city: _city, ...noCity } = address;
    expect(refusedAt(AddressSchema, noCity)).toEqual(['city']);
  });

  it('refuses unknown fields at their own path', () => {
    expect(refusedAt(AddressSchema, { ...address, phone: '555' })).toEqual(['phone']);
  });
});

describe('CheckoutRequestSchema', () => {
  it('accepts a user cart and a guest cart', () => {
    expect(CheckoutRequestSchema.parse(request())).toEqual(request());
    expect(CheckoutRequestSchema.safeParse({ ...request(), cartId: newGuestCartId() }).success).toBe(true);
  });

  it('refuses ids no cart can have', () => {
    for (const cartId of [
      'cart-1',
      'g-short',
      `u-${'A'.repeat(42)}`,
      `g-${'A'.repeat(23)}`,
      `x-${'A'.repeat(22)}`,
    ]) {
      expect(refusedAt(CheckoutRequestSchema, { ...request(), cartId })).toEqual(['cartId']);
    }
  });

  it('refuses bad payment tokens', () => {
    for (const token of ['', 'tok visa', 'tok-visa', 't'.repeat(129)]) {
      expect(refusedAt(CheckoutRequestSchema, { ...request(), payment: { token } })).toEqual([
        'payment.token',
      ]);
    }
  });

  it('refuses unknown fields at every level, never ignoring them', () => {
    expect(refusedAt(CheckoutRequestSchema, { ...request(), total: 1 })).toEqual(['total']);
    expect(
      refusedAt(CheckoutRequestSchema, { ...request(), payment: { token: 'tok_visa', amount: 1 } }),
    ).toEqual(['payment.amount']);
    expect(
      refusedAt(CheckoutRequestSchema, {
        ...request(),
        shippingAddress: { ...address, country: 'GB', x: 1 },
      }),
    ).toEqual(['shippingAddress.x']);
  });

  it('refuses a missing address or payment', () => {
    const { shippingAddress: _a, ...noAddress } = request();
    const { payment: _p, ...noPayment } = request();
    expect(refusedAt(CheckoutRequestSchema, noAddress)).toEqual(['shippingAddress']);
    expect(refusedAt(CheckoutRequestSchema, noPayment)).toEqual(['payment']);
  });
});

describe('IdempotencyKeySchema', () => {
  it('takes 8 to 128 of A-Z a-z 0-9 _ . : -', () => {
    for (const key of [
      '3f0e2c9a-9a7e-4c1b-8f53-0d4a3f0c6b1e',
      'abcdefgh',
      'k'.repeat(128),
      'checkout:2026.05_01-A',
    ]) {
      expect(IdempotencyKeySchema.safeParse(key).success, key).toBe(true);
    }
  });

  it('refuses keys too short, too long or with other characters', () => {
    for (const key of ['abcdefg', 'k'.repeat(129), 'abc defgh', 'abcdefgh/', 'abcdéfgh', 'abcdefgh\n', '']) {
      expect(IdempotencyKeySchema.safeParse(key).success, key).toBe(false);
    }
  });

  it('says the header is required when it is absent', () => {
    const result = IdempotencyKeySchema.safeParse(undefined);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('The Idempotency-Key header is required.');
  });
});

describe('ListOrdersQuerySchema', () => {
  // The brief said 1..50; schemas.ts and docs/architecture.md now state 1..100, so the bound is MAX_PAGE.
  it('defaults the limit to 20 and coerces query strings', () => {
    expect(DEFAULT_PAGE).toBe(20);
    expect(ListOrdersQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(ListOrdersQuerySchema.parse({ limit: '1' })).toEqual({ limit: 1 });
    expect(ListOrdersQuerySchema.parse({ limit: String(MAX_PAGE), cursor: 'abc' })).toEqual({
      limit: MAX_PAGE,
      cursor: 'abc',
    });
  });

  it('refuses a limit outside 1..MAX_PAGE or not whole, and unknown parameters', () => {
    for (const limit of ['0', String(MAX_PAGE + 1), '-1', '2.5', 'ten', '']) {
      expect(refusedAt(ListOrdersQuerySchema, { limit })).toEqual(['limit']);
    }
    expect(refusedAt(ListOrdersQuerySchema, { limit: '5', sort: 'asc' })).toEqual(['sort']);
    expect(refusedAt(ListOrdersQuerySchema, { cursor: 'c'.repeat(2049) })).toEqual(['cursor']);
  });
});
