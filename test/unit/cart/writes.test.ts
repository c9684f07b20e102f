import { describe, expect, it } from 'vitest';
import { type Cart, type CartLine, guestExpiry, userCartId } from '#cart/domain/cart.ts';
import {
  CartNotFoundError,
  LineLimitError,
  LineNotFoundError,
  QuantityLimitError,
  VersionMismatchError,
} from '#cart/domain/errors.ts';
import { type CartWrite, type Decision, decide, type LineChange } from '#cart/domain/writes.ts';

const now = new Date('2026-02-01T10:00:00.000Z');
const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const GUEST_ID = 'g-AAAAAAAAAAAAAAAAAAAAAA';

function line(sku: string, quantity: number, amount = 100): CartLine {
  return {
    sku,
    productId: `p-${sku}`,
    name: sku,
    quantity,
    unitPrice: usd(amount),
    addedAt: '2026-01-01T00:00:00.000Z',
  };
}

function guestCart(lines: CartLine[] = [], extra: Partial<Cart> = {}): Cart {
  return {
    cartId: GUEST_ID,
    lines,
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: guestExpiry(new Date('2026-01-30T00:00:00.000Z')),
    ...extra,
  };
}

function guestWrite(change: LineChange, extra: Partial<CartWrite> = {}): CartWrite {
  return { cartId: GUEST_ID, access: { kind: 'guest', expiresAt: guestExpiry(now) }, now, change, ...extra };
}

const add = (sku: string, quantity: number, amount = 100): LineChange => ({
  kind: 'add',
  line: { ...line(sku, quantity, amount), addedAt: now.toISOString() },
});

function applied(decision: Decision): Cart {
  if (decision.kind !== 'apply') throw new Error(`expected apply, got ${decision.kind}`);
  return decision.next;
}

function rejected(decision: Decision): Error {
  if (decision.kind !== 'reject') throw new Error(`expected reject, got ${decision.kind}`);
  return decision.error;
}

const quantities = (cart: Cart) => Object.fromEntries(cart.lines.map((l) => [l.sku, l.quantity]));

describe('a line write', () => {
  it('adds a new line, bumps the version, stamps the time and pushes the guest expiry out', () => {
    const next = applied(decide(guestCart([line('A', 1)]), guestWrite(add('B', 2))));
    expect(quantities(next)).toEqual({ A: 1, B: 2 });
    expect(next.version).toBe(4);
    expect(next.updatedAt).toBe(now.toISOString());
    expect(next.expiresAt).toBe(guestExpiry(now));
  });

  it('adds to an existing line and takes the new snapshot (the price the shopper just saw)', () => {
    const next = applied(decide(guestCart([line('A', 2, 100)]), guestWrite(add('A', 3, 130))));
    expect(next.lines).toEqual([expect.objectContaining({ sku: 'A', quantity: 5, unitPrice: usd(130) })]);
  });

  it('refuses to take a line past 99 (422), and accepts exactly 99', () => {
    expect(rejected(decide(guestCart([line('A', 60)]), guestWrite(add('A', 40))))).toBeInstanceOf(
      QuantityLimitError,
    );
    expect(quantities(applied(decide(guestCart([line('A', 60)]), guestWrite(add('A', 39)))))).toEqual({
      A: 99,
    });
  });

  it('refuses a 51st line (422), but still grows one of the 50', () => {
    const full = guestCart(Array.from({ length: 50 }, (_, i) => line(`S${i}`, 1)));
    expect(rejected(decide(full, guestWrite(add('NEW', 1))))).toBeInstanceOf(LineLimitError);
    expect(applied(decide(full, guestWrite(add('S7', 1)))).lines).toHaveLength(50);
    const almost = guestCart(Array.from({ length: 49 }, (_, i) => line(`S${i}`, 1)));
    expect(applied(decide(almost, guestWrite(add('NEW', 1)))).lines).toHaveLength(50);
  });

  it('sets a quantity of an existing line; a missing line is 404', () => {
    expect(
      quantities(
        applied(decide(guestCart([line('A', 2)]), guestWrite({ kind: 'set', sku: 'A', quantity: 7 }))),
      ),
    ).toEqual({
      A: 7,
    });
    expect(rejected(decide(guestCart(), guestWrite({ kind: 'set', sku: 'A', quantity: 7 })))).toBeInstanceOf(
      LineNotFoundError,
    );
  });

  it('removes a line; removing one that is not there leaves the cart as it is (same version)', () => {
    expect(
      quantities(
        applied(decide(guestCart([line('A', 2), line('B', 1)]), guestWrite({ kind: 'remove', sku: 'A' }))),
      ),
    ).toEqual({ B: 1 });
    const cart = guestCart([line('B', 1)]);
    expect(decide(cart, guestWrite({ kind: 'remove', sku: 'A' }))).toEqual({ kind: 'unchanged', cart });
  });

  it('is 412 when If-Match names another version, before any line rule', () => {
    const error = rejected(
      decide(guestCart([line('A', 99)]), guestWrite(add('A', 1), { expectedVersion: 2 })),
    );
    expect(error).toBeInstanceOf(VersionMismatchError);
    expect(error).toMatchObject({ expected: 2, actual: 3 });
    expect(applied(decide(guestCart(), guestWrite(add('A', 1), { expectedVersion: 3 }))).version).toBe(4);
  });

  it("finds no cart when it is absent, expired, or not the caller's", () => {
    const notFound = (current: Cart | undefined, write: CartWrite) =>
      expect(rejected(decide(current, write))).toBeInstanceOf(CartNotFoundError);
    notFound(undefined, guestWrite(add('A', 1)));
    notFound(guestCart([], { expiresAt: Math.floor(now.getTime() / 1000) }), guestWrite(add('A', 1)));
    const userId = userCartId('alice');
    const users: Cart = { ...guestCart(), cartId: userId, ownerId: 'alice', expiresAt: undefined };
    const asUser = (callerId: string): CartWrite => ({
      cartId: userId,
      access: { kind: 'user', ownerId: callerId },
      callerId,
      now,
      change: add('A', 1),
    });
    notFound(users, asUser('bob'));
    // Guest access never reaches a user's cart, even for its owner.
    notFound(users, guestWrite(add('A', 1), { cartId: userId, callerId: 'alice' }));
    const next = applied(decide(users, asUser('alice')));
    // A user's cart never expires.
    expect(next.expiresAt).toBeUndefined();
    expect(next.ownerId).toBe('alice');
  });
});
