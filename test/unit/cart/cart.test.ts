import { describe, expect, it } from 'vitest';
import {
  type CartLine,
  canUse,
  cartKindOf,
  GUEST_TTL_SECONDS,
  guestExpiry,
  isExpired,
  MAX_LINES,
  mayAddress,
  mergeLines,
  newGuestCartId,
  orderLines,
  userCartId,
} from '#cart/domain/cart.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

function line(sku: string, quantity: number, addedAt = '2026-01-01T00:00:00.000Z', amount = 100): CartLine {
  return { sku, productId: `p-${sku}`, name: `Name ${sku}`, quantity, unitPrice: usd(amount), addedAt };
}

describe('cart ids', () => {
  it('gives guests 128 random bits, base64url, never the same twice', () => {
    const ids = new Set(Array.from({ length: 2000 }, newGuestCartId));
    expect(ids.size).toBe(2000);
    for (const id of [...ids].slice(0, 50)) {
      expect(id).toMatch(/^g-[A-Za-z0-9_-]{22}$/);
      // 22 base64url characters decode to exactly 16 bytes.
      expect(Buffer.from(id.slice(2), 'base64url')).toHaveLength(16);
      expect(cartKindOf(id)).toBe('guest');
    }
  });

  it("derives a user's cart id from the user id: stable, distinct per user, not the user id", () => {
    expect(userCartId('alice')).toBe(userCartId('alice'));
    expect(userCartId('alice')).not.toBe(userCartId('bob'));
    expect(userCartId('alice')).toMatch(/^u-[A-Za-z0-9_-]{43}$/);
    expect(userCartId('alice')).not.toContain('alice');
    expect(cartKindOf(userCartId('alice'))).toBe('user');
  });

  it('knows no kind for strings no cart can have', () => {
    for (const id of [
      '',
      'g-short',
      `g-${'A'.repeat(23)}`,
      `u-${'A'.repeat(42)}`,
      'CART#x',
      `x-${'A'.repeat(22)}`,
    ]) {
      expect(cartKindOf(id), id).toBeUndefined();
    }
  });

  it('lets anyone address a guest cart, and only its owner a user cart', () => {
    const guest = newGuestCartId();
    expect(mayAddress(guest, undefined)).toBe(true);
    expect(mayAddress(guest, 'bob')).toBe(true);
    expect(mayAddress(userCartId('alice'), 'alice')).toBe(true);
    expect(mayAddress(userCartId('alice'), 'bob')).toBe(false);
    expect(mayAddress(userCartId('alice'), undefined)).toBe(false);
    expect(mayAddress('nonsense', 'alice')).toBe(false);
    expect(canUse({}, undefined)).toBe(true);
    expect(canUse({ ownerId: 'alice' }, 'alice')).toBe(true);
    expect(canUse({ ownerId: 'alice' }, 'bob')).toBe(false);
    expect(canUse({ ownerId: 'alice' }, undefined)).toBe(false);
  });
});

describe('guest expiry', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('is 7 days after the last write, in epoch seconds (the TTL attribute)', () => {
    expect(GUEST_TTL_SECONDS).toBe(604_800);
    expect(guestExpiry(now)).toBe(Date.parse('2026-03-08T12:00:00.000Z') / 1000);
  });

  it('counts from the expiry second on, whether or not TTL has deleted the item yet', () => {
    const expiresAt = guestExpiry(now);
    expect(isExpired({ expiresAt }, new Date((expiresAt - 1) * 1000))).toBe(false);
    expect(isExpired({ expiresAt }, new Date(expiresAt * 1000))).toBe(true);
    expect(isExpired({ expiresAt }, new Date((expiresAt + 86_400 * 30) * 1000))).toBe(true);
    // A user's cart has no expiry.
    expect(isExpired({}, new Date('2100-01-01'))).toBe(false);
  });
});

describe('merging a guest cart into a user cart', () => {
  it('sums the quantities of a SKU in both', () => {
    const { lines, dropped } = mergeLines([line('A', 2), line('B', 1)], [line('A', 3), line('C', 4)]);
    expect(Object.fromEntries(lines.map((l) => [l.sku, l.quantity]))).toEqual({ A: 5, B: 1, C: 4 });
    expect(dropped).toEqual([]);
  });

  it('caps a summed line at 99', () => {
    const { lines } = mergeLines([line('A', 60)], [line('A', 50)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.quantity).toBe(99);
    expect(mergeLines([line('A', 99)], [line('A', 99)]).lines[0]?.quantity).toBe(99);
  });

  it('keeps the snapshot the shopper saw last for a SKU in both', () => {
    const older = line('A', 1, '2026-01-01T00:00:00.000Z', 100);
    const newer = line('A', 1, '2026-01-02T00:00:00.000Z', 120);
    expect(mergeLines([older], [newer]).lines[0]).toMatchObject({ unitPrice: usd(120), quantity: 2 });
    expect(mergeLines([newer], [older]).lines[0]).toMatchObject({ unitPrice: usd(120), quantity: 2 });
  });

  it('stops at 50 lines: the user keeps every line, the newest guest lines fill the room left', () => {
    const user = Array.from({ length: 48 }, (_, i) => line(`U${i}`, 1));
    const guest = [
      line('G-OLD', 1, '2026-01-01T00:00:00.000Z'),
      line('G-NEW', 1, '2026-01-03T00:00:00.000Z'),
      line('G-MID', 1, '2026-01-02T00:00:00.000Z'),
      // Already in the user cart: sums, takes no room.
      line('U0', 2, '2026-01-04T00:00:00.000Z'),
    ];
    const { lines, dropped } = mergeLines(user, guest);
    expect(lines).toHaveLength(MAX_LINES);
    const skus = lines.map((l) => l.sku);
    expect(skus).toEqual(expect.arrayContaining(['G-NEW', 'G-MID', ...user.map((l) => l.sku)]));
    expect(dropped).toEqual(['G-OLD']);
    expect(lines.find((l) => l.sku === 'U0')?.quantity).toBe(3);
  });

  it('of an empty guest cart changes nothing, into an empty user cart copies the guest lines', () => {
    const lines = [line('A', 2), line('B', 3)];
    expect(mergeLines(lines, []).lines).toEqual(orderLines(lines));
    expect(mergeLines([], lines).lines).toEqual(orderLines(lines));
  });
});

describe('line order', () => {
  it('is newest first, then by SKU', () => {
    const lines = [
      line('B', 1, '2026-01-01T00:00:00.000Z'),
      line('A', 1, '2026-01-01T00:00:00.000Z'),
      line('C', 1, '2026-01-02T00:00:00.000Z'),
    ];
    expect(orderLines(lines).map((l) => l.sku)).toEqual(['C', 'A', 'B']);
  });
});
