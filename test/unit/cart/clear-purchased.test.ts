import { describe, expect, it } from 'vitest';
import { type Cart, type CartLine, guestExpiry, userCartId } from '#cart/domain/cart.ts';
import {
  type ClearDecision,
  clearPurchased,
  MAX_CLEARED_ORDERS,
  mayClear,
} from '#cart/domain/clear-purchased.ts';

const now = new Date('2026-03-01T12:00:00.000Z');
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

function line(sku: string, quantity: number): CartLine {
  return {
    sku,
    productId: `p-${sku}`,
    name: sku,
    quantity,
    unitPrice: usd(100),
    addedAt: '2026-02-28T00:00:00.000Z',
  };
}

function guestCart(lines: CartLine[], extra: Partial<Cart> = {}): Cart {
  return {
    cartId: 'g-AAAAAAAAAAAAAAAAAAAAAA',
    lines,
    version: 4,
    createdAt: '2026-02-27T00:00:00.000Z',
    updatedAt: '2026-02-28T00:00:00.000Z',
    expiresAt: guestExpiry(new Date('2026-02-28T00:00:00.000Z')),
    ...extra,
  };
}

function cleared(decision: ClearDecision) {
  if (decision.kind !== 'clear') throw new Error(`expected clear, got ${decision.kind}`);
  return decision;
}

const quantities = (cart: Cart) => Object.fromEntries(cart.lines.map((l) => [l.sku, l.quantity]));

describe('clearing what an order bought', () => {
  it('subtracts the purchased quantities and removes a line that reaches 0', () => {
    const { next, removed } = cleared(
      clearPurchased(
        guestCart([line('A', 3), line('B', 2)]),
        [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        'o-1',
        now,
      ),
    );
    expect(quantities(next)).toEqual({ A: 2 });
    expect(removed).toEqual([
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ]);
  });

  it('removes a line the order bought more of than it now holds, and reports what was there', () => {
    // The buyer lowered B from 4 to 1 while the saga ran; 4 were bought.
    const { next, removed } = cleared(
      clearPurchased(guestCart([line('B', 1)]), [{ sku: 'B', quantity: 4 }], 'o-1', now),
    );
    expect(next.lines).toEqual([]);
    expect(removed).toEqual([{ sku: 'B', quantity: 1 }]);
  });

  it('leaves lines of other SKUs exactly as they are', () => {
    const other = line('NEW', 7);
    const { next } = cleared(
      clearPurchased(guestCart([line('A', 1), other]), [{ sku: 'A', quantity: 1 }], 'o-1', now),
    );
    expect(next.lines).toEqual([other]);
  });

  it('keeps the difference of a quantity raised during checkout: 2 bought of 5 leaves 3', () => {
    const { next, removed } = cleared(
      clearPurchased(guestCart([line('A', 5)]), [{ sku: 'A', quantity: 2 }], 'o-1', now),
    );
    expect(quantities(next)).toEqual({ A: 3 });
    expect(next.lines[0]).toEqual({ ...line('A', 3) });
    expect(removed).toEqual([{ sku: 'A', quantity: 2 }]);
  });

  it('ignores purchased SKUs the cart no longer has, and sums a SKU the order lists twice', () => {
    const { next, removed } = cleared(
      clearPurchased(
        guestCart([line('A', 5)]),
        [
          { sku: 'GONE', quantity: 1 },
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 2 },
        ],
        'o-1',
        now,
      ),
    );
    expect(quantities(next)).toEqual({ A: 2 });
    expect(removed).toEqual([{ sku: 'A', quantity: 3 }]);
  });

  it('is a new version of the same cart: version +1, updatedAt now, owner and guest expiry kept', () => {
    const cart = guestCart([line('A', 1)]);
    const before = structuredClone(cart);
    const { next } = cleared(clearPurchased(cart, [{ sku: 'A', quantity: 1 }], 'o-1', now));
    expect(next).toMatchObject({
      cartId: cart.cartId,
      version: 5,
      updatedAt: now.toISOString(),
      createdAt: cart.createdAt,
      // The saga is not the shopper: the expiry stays where the shopper's last write put it.
      expiresAt: cart.expiresAt,
      clearedOrders: ['o-1'],
    });
    expect(cart).toEqual(before);

    const users: Cart = {
      ...guestCart([line('A', 1)]),
      cartId: userCartId('alice'),
      ownerId: 'alice',
      expiresAt: undefined,
    };
    const mine = cleared(clearPurchased(users, [{ sku: 'A', quantity: 1 }], 'o-2', now)).next;
    expect(mine.ownerId).toBe('alice');
    expect(mine.expiresAt).toBeUndefined();
  });

  it('changes nothing for an order it already cleared', () => {
    const first = cleared(clearPurchased(guestCart([line('A', 5)]), [{ sku: 'A', quantity: 2 }], 'o-1', now));
    expect(clearPurchased(first.next, [{ sku: 'A', quantity: 2 }], 'o-1', now)).toEqual({
      kind: 'already-cleared',
    });
    // Another order of the same SKU still subtracts.
    const second = cleared(clearPurchased(first.next, [{ sku: 'A', quantity: 2 }], 'o-2', now));
    expect(quantities(second.next)).toEqual({ A: 1 });
    expect(second.next.clearedOrders).toEqual(['o-1', 'o-2']);
  });

  it('remembers an order even when nothing was left to remove, so a later retry takes nothing', () => {
    const first = cleared(clearPurchased(guestCart([]), [{ sku: 'A', quantity: 2 }], 'o-1', now));
    expect(first.removed).toEqual([]);
    expect(first.next.clearedOrders).toEqual(['o-1']);
    // The buyer adds A afterwards; the retried step must not take it.
    const readded = { ...first.next, lines: [line('A', 2)] };
    expect(clearPurchased(readded, [{ sku: 'A', quantity: 2 }], 'o-1', now).kind).toBe('already-cleared');
  });

  it(`remembers the last ${MAX_CLEARED_ORDERS} orders, forgetting the oldest first`, () => {
    let cart = guestCart([line('A', 99)]);
    for (let i = 1; i <= MAX_CLEARED_ORDERS + 2; i++) {
      cart = cleared(clearPurchased(cart, [{ sku: 'A', quantity: 1 }], `o-${i}`, now)).next;
      expect(cart.clearedOrders?.length).toBe(Math.min(i, MAX_CLEARED_ORDERS));
    }
    expect(cart.clearedOrders?.[0]).toBe('o-3');
    expect(cart.clearedOrders?.at(-1)).toBe(`o-${MAX_CLEARED_ORDERS + 2}`);
    expect(clearPurchased(cart, [{ sku: 'A', quantity: 1 }], 'o-3', now).kind).toBe('already-cleared');
    expect(clearPurchased(cart, [{ sku: 'A', quantity: 1 }], 'o-2', now).kind).toBe('clear');
  });
});

describe('which cart the saga may clear', () => {
  it('a live guest cart whoever the buyer is; a user cart only for its owner', () => {
    const guest = guestCart([]);
    expect(mayClear(guest, undefined, now)).toBe(true);
    expect(mayClear(guest, 'alice', now)).toBe(true);
    expect(mayClear({ ...guest, expiresAt: Math.floor(now.getTime() / 1000) }, 'alice', now)).toBe(false);

    const users: Cart = { ...guest, cartId: userCartId('alice'), ownerId: 'alice', expiresAt: undefined };
    expect(mayClear(users, 'alice', now)).toBe(true);
    expect(mayClear(users, 'bob', now)).toBe(false);
    expect(mayClear(users, undefined, now)).toBe(false);
  });
});
