import { describe, expect, it } from 'vitest';
import type { Cart, CartLine } from '#cart/domain/cart.ts';
import { type CurrentSku, viewCart } from '#cart/domain/view.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

function line(sku: string, quantity: number, amount: number, addedAt: string): CartLine {
  return { sku, productId: `p-${sku}`, name: `Old ${sku}`, quantity, unitPrice: usd(amount), addedAt };
}

const cart: Cart = {
  cartId: 'g-AAAAAAAAAAAAAAAAAAAAAA',
  lines: [
    line('A', 2, 1000, '2026-01-01T00:00:00.000Z'),
    line('B', 1, 500, '2026-01-02T00:00:00.000Z'),
    line('C', 3, 250, '2026-01-03T00:00:00.000Z'),
  ],
  version: 4,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-03T00:00:00.000Z',
  expiresAt: Date.parse('2026-01-10T00:00:00.000Z') / 1000,
};

const current = (...skus: CurrentSku[]) => new Map(skus.map((s) => [s.sku, s]));

describe('cart view', () => {
  it('without the catalog: the stored snapshots, totals, newest first, no flags', () => {
    const view = viewCart(cart);
    expect(view.items.map((i) => i.sku)).toEqual(['C', 'B', 'A']);
    expect(view.items[2]).toEqual({
      sku: 'A',
      productId: 'p-A',
      name: 'Old A',
      quantity: 2,
      unitPrice: usd(1000),
      lineTotal: usd(2000),
    });
    expect(view.subtotal).toEqual(usd(2000 + 500 + 750));
    expect(view.itemCount).toBe(6);
    expect(view).toMatchObject({ cartId: cart.cartId, version: 4, expiresAt: '2026-01-10T00:00:00.000Z' });
    expect(view).not.toHaveProperty('ownerId');
  });

  it('re-priced: current price and name, priceChanged with the price seen, unavailable SKUs listed outside the subtotal', () => {
    const view = viewCart(
      cart,
      current(
        { sku: 'A', productId: 'p-A', name: 'New A', price: usd(1200) },
        { sku: 'B', productId: 'p-B', name: 'Old B', price: usd(500) },
      ),
    );
    const [c, b, a] = view.items;
    expect(a).toEqual({
      sku: 'A',
      productId: 'p-A',
      name: 'New A',
      quantity: 2,
      unitPrice: usd(1200),
      lineTotal: usd(2400),
      priceChanged: true,
      previousUnitPrice: usd(1000),
    });
    expect(b).not.toHaveProperty('priceChanged');
    expect(b).not.toHaveProperty('unavailable');
    expect(c).toMatchObject({ sku: 'C', unavailable: true, unitPrice: usd(250), lineTotal: usd(750) });
    expect(c).not.toHaveProperty('priceChanged');
    expect(view.subtotal).toEqual(usd(2400 + 500));
    // Still in the cart: counted among the items.
    expect(view.itemCount).toBe(6);
  });

  it('shows the owner of a user cart, and no expiry', () => {
    const { expiresAt: _gone, ...rest } = cart;
    const view = viewCart({ ...rest, ownerId: 'alice' }, new Map());
    expect(view.ownerId).toBe('alice');
    expect(view).not.toHaveProperty('expiresAt');
    expect(view.items.every((i) => i.unavailable)).toBe(true);
    expect(view.subtotal).toEqual(usd(0));
  });
});
