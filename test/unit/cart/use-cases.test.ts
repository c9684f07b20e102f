import { describe, expect, it } from 'vitest';
import { type Cart, userCartId } from '#cart/domain/cart.ts';
import {
  CartBusyError,
  CartNotFoundError,
  QuantityLimitError,
  UnknownSkuError,
  VersionMismatchError,
} from '#cart/domain/errors.ts';
import type { CartRepository, Catalog } from '#cart/domain/ports.ts';
import {
  addItem,
  type CartDeps,
  clearCart,
  createGuestCart,
  getCart,
  getMyCart,
  mergeGuestCart,
  removeItem,
  setItemQuantity,
} from '#cart/domain/use-cases.ts';
import type { CurrentSku } from '#cart/domain/view.ts';
import { type CartWrite, decide } from '#cart/domain/writes.ts';
import { UnauthorizedError } from '#shared/errors.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** The repository contract in memory, on the same rules (`decide`) the DynamoDB condition states. */
class InMemoryCarts implements CartRepository {
  readonly carts = new Map<string, Cart>();
  writes = 0;

  async create(cart: Cart) {
    if (this.carts.has(cart.cartId)) return false;
    this.carts.set(cart.cartId, structuredClone(cart));
    this.writes++;
    return true;
  }

  async get(cartId: string) {
    const cart = this.carts.get(cartId);
    return cart && structuredClone(cart);
  }

  async getMany(cartIds: readonly string[]) {
    const found = new Map<string, Cart>();
    for (const id of cartIds) {
      const cart = await this.get(id);
      if (cart) found.set(id, cart);
    }
    return found;
  }

  async write(request: CartWrite) {
    const decision = decide(this.carts.get(request.cartId), request);
    if (decision.kind === 'reject') throw decision.error;
    if (decision.kind === 'unchanged') return decision.cart;
    this.carts.set(request.cartId, decision.next);
    this.writes++;
    return structuredClone(decision.next);
  }

  async saveMerge(
    next: Cart,
    previousVersion: number | undefined,
    guest: { cartId: string; version: number },
  ) {
    const user = this.carts.get(next.cartId);
    if ((user?.version ?? undefined) !== previousVersion) return false;
    if (this.carts.get(guest.cartId)?.version !== guest.version) return false;
    this.carts.set(next.cartId, structuredClone(next));
    this.carts.delete(guest.cartId);
    this.writes++;
    return true;
  }

  async saveClear(previous: Cart, next: Cart) {
    const stored = this.carts.get(previous.cartId);
    if (stored?.version !== previous.version || stored.ownerId !== previous.ownerId) return false;
    this.carts.set(next.cartId, structuredClone(next));
    this.writes++;
    return true;
  }
}

class FakeCatalog implements Catalog {
  readonly skus = new Map<string, CurrentSku>();
  lookups = 0;

  set(sku: string, amount: number, name = `Product ${sku}`) {
    this.skus.set(sku, { sku, productId: `p-${sku}`, name, price: usd(amount) });
  }

  async getSkus(skus: readonly string[]) {
    this.lookups++;
    return skus.flatMap((sku) => {
      const found = this.skus.get(sku);
      return found ? [found] : [];
    });
  }
}

function setup(start = new Date('2026-05-01T08:00:00.000Z')) {
  const carts = new InMemoryCarts();
  const catalog = new FakeCatalog();
  catalog.set('A', 1000);
  catalog.set('B', 250);
  let now = start;
  let ids = 0;
  const deps: CartDeps = {
    carts,
    catalog,
    now: () => now,
    newGuestId: () => `g-${String(ids++).padStart(22, '0')}`,
  };
  return {
    deps,
    carts,
    catalog,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const alice = { sub: 'alice' };
const bob = { sub: 'bob' };

describe('cart use cases', () => {
  it('creates guest carts and adds at catalog prices', async () => {
    const { deps } = setup();
    const cart = await createGuestCart(deps);
    expect(cart).toMatchObject({ version: 1, items: [], expiresAt: '2026-05-08T08:00:00.000Z' });
    const added = await addItem(deps, cart.cartId, undefined, { sku: 'A', quantity: 2 });
    expect(added.items).toEqual([
      {
        sku: 'A',
        productId: 'p-A',
        name: 'Product A',
        quantity: 2,
        unitPrice: usd(1000),
        lineTotal: usd(2000),
      },
    ]);
  });

  it('refuses an unknown SKU (422) and a quantity over 99 (422) without writing', async () => {
    const { deps, carts, catalog } = setup();
    const { cartId } = await createGuestCart(deps);
    const writes = carts.writes;
    await expect(addItem(deps, cartId, undefined, { sku: 'NOPE', quantity: 1 })).rejects.toBeInstanceOf(
      UnknownSkuError,
    );
    const lookups = catalog.lookups;
    await expect(addItem(deps, cartId, undefined, { sku: 'A', quantity: 100 })).rejects.toBeInstanceOf(
      QuantityLimitError,
    );
    // Over 99 is refused before the catalog is asked.
    expect(catalog.lookups).toBe(lookups);
    await expect(setItemQuantity(deps, cartId, undefined, 'A', 100)).rejects.toBeInstanceOf(
      QuantityLimitError,
    );
    expect(carts.writes).toBe(writes);
  });

  it('re-prices on read, flagging changed prices and SKUs gone from the catalog', async () => {
    const { deps, catalog } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 1 });
    await addItem(deps, cartId, undefined, { sku: 'B', quantity: 2 });
    catalog.set('A', 900);
    catalog.skus.delete('B');
    const cart = await getCart(deps, cartId);
    expect(cart.items.find((i) => i.sku === 'A')).toMatchObject({ priceChanged: true, unitPrice: usd(900) });
    expect(cart.items.find((i) => i.sku === 'B')).toMatchObject({ unavailable: true });
    expect(cart.subtotal).toEqual(usd(900));
  });

  it('sets and removes lines; PATCH 0 is a removal', async () => {
    const { deps } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 1 });
    await addItem(deps, cartId, undefined, { sku: 'B', quantity: 1 });
    expect((await setItemQuantity(deps, cartId, undefined, 'A', 4)).itemCount).toBe(5);
    expect((await setItemQuantity(deps, cartId, undefined, 'A', 0)).items.map((i) => i.sku)).toEqual(['B']);
    expect((await removeItem(deps, cartId, undefined, 'B')).items).toEqual([]);
  });

  it('expires a guest cart 7 days after its last write, not its creation', async () => {
    const { deps, advance } = setup();
    const { cartId } = await createGuestCart(deps);
    advance(6 * 86_400_000);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 1 });
    advance(6 * 86_400_000);
    expect((await getCart(deps, cartId)).itemCount).toBe(1);
    advance(1 * 86_400_000);
    await expect(getCart(deps, cartId)).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(addItem(deps, cartId, undefined, { sku: 'A', quantity: 1 })).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
  });

  it("creates a user's cart once, lets only its owner use it, and never expires it", async () => {
    const { deps, carts, advance } = setup();
    await expect(getMyCart(deps, undefined)).rejects.toBeInstanceOf(UnauthorizedError);
    const mine = await getMyCart(deps, alice);
    expect(mine).toMatchObject({ cartId: userCartId('alice'), ownerId: 'alice', version: 1 });
    expect(mine.expiresAt).toBeUndefined();
    expect((await getMyCart(deps, alice)).cartId).toBe(mine.cartId);
    expect(carts.carts.size).toBe(1);
    await addItem(deps, mine.cartId, alice, { sku: 'A', quantity: 1 });
    for (const who of [bob, undefined]) {
      await expect(getCart(deps, mine.cartId, who)).rejects.toBeInstanceOf(CartNotFoundError);
      await expect(addItem(deps, mine.cartId, who, { sku: 'A', quantity: 1 })).rejects.toBeInstanceOf(
        CartNotFoundError,
      );
      await expect(removeItem(deps, mine.cartId, who, 'A')).rejects.toBeInstanceOf(CartNotFoundError);
    }
    advance(365 * 86_400_000);
    expect((await getCart(deps, mine.cartId, alice)).itemCount).toBe(1);
  });

  it('merges a guest cart once: the guest cart is gone, a retry is 404 and changes nothing', async () => {
    const { deps, carts } = setup();
    const mine = await getMyCart(deps, alice);
    await addItem(deps, mine.cartId, alice, { sku: 'A', quantity: 60 });
    const guest = await createGuestCart(deps);
    await addItem(deps, guest.cartId, undefined, { sku: 'A', quantity: 50 });
    await addItem(deps, guest.cartId, undefined, { sku: 'B', quantity: 2 });

    const merged = await mergeGuestCart(deps, alice, guest.cartId);
    expect(Object.fromEntries(merged.items.map((i) => [i.sku, i.quantity]))).toEqual({ A: 99, B: 2 });
    expect(merged.version).toBe(3);
    expect(carts.carts.has(guest.cartId)).toBe(false);

    for (let i = 0; i < 2; i++) {
      await expect(mergeGuestCart(deps, alice, guest.cartId)).rejects.toBeInstanceOf(CartNotFoundError);
    }
    expect((await getMyCart(deps, alice)).version).toBe(3);
  });

  it('merges into a user cart that does not exist yet, and refuses user carts, anonymous callers and stale If-Match', async () => {
    const { deps, carts } = setup();
    const guest = await createGuestCart(deps);
    await addItem(deps, guest.cartId, undefined, { sku: 'B', quantity: 1 });
    await expect(mergeGuestCart(deps, undefined, guest.cartId)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(mergeGuestCart(deps, bob, guest.cartId, { expectedVersion: 1 })).rejects.toBeInstanceOf(
      VersionMismatchError,
    );
    expect(carts.carts.has(guest.cartId)).toBe(true);
    const merged = await mergeGuestCart(deps, bob, guest.cartId, { expectedVersion: 0 });
    expect(merged).toMatchObject({ ownerId: 'bob', version: 1, itemCount: 1 });

    const alices = await getMyCart(deps, alice);
    await expect(mergeGuestCart(deps, bob, alices.cartId)).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(mergeGuestCart(deps, alice, alices.cartId)).rejects.toBeInstanceOf(CartNotFoundError);
  });

  it('retries a merge that lost a race with another write, on fresh reads', async () => {
    const { deps, carts } = setup();
    const mine = await getMyCart(deps, alice);
    const guest = await createGuestCart(deps);
    await addItem(deps, guest.cartId, undefined, { sku: 'B', quantity: 1 });
    // The first save finds the user cart changed (an add landed between read and write).
    const save = carts.saveMerge.bind(carts);
    let calls = 0;
    carts.saveMerge = async (...args) => {
      if (calls++ === 0) {
        await addItem(deps, mine.cartId, alice, { sku: 'A', quantity: 1 });
      }
      return save(...args);
    };
    const merged = await mergeGuestCart(deps, alice, guest.cartId);
    expect(calls).toBe(2);
    expect(Object.fromEntries(merged.items.map((i) => [i.sku, i.quantity]))).toEqual({ A: 1, B: 1 });
  });
});

describe('clearing a cart after checkout (ClearCart)', () => {
  const qty = (cart: Cart | undefined) =>
    Object.fromEntries((cart?.lines ?? []).map((l) => [l.sku, l.quantity]));

  it('takes out what was bought and nothing else, keeping what the buyer changed during checkout', async () => {
    const { deps, carts, catalog } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 2 });
    await addItem(deps, cartId, undefined, { sku: 'B', quantity: 1 });
    // While the saga runs: A raised from 2 to 5, C added.
    await setItemQuantity(deps, cartId, undefined, 'A', 5);
    catalog.set('C', 10);
    await addItem(deps, cartId, undefined, { sku: 'C', quantity: 1 });
    const version = carts.carts.get(cartId)?.version ?? 0;

    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(await clearCart(deps, { orderId: 'o-1', cartId, userId: undefined, lines })).toEqual({
      orderId: 'o-1',
      cartId,
      outcome: 'cleared',
      removed: lines,
    });
    const stored = carts.carts.get(cartId);
    expect(qty(stored)).toEqual({ A: 3, C: 1 });
    expect(stored?.version).toBe(version + 1);
  });

  it('clears once per order: a retry, or a rerun after a crash past the write, changes nothing', async () => {
    const { deps, carts } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 3 });
    const input = { orderId: 'o-1', cartId, userId: 'alice', lines: [{ sku: 'A', quantity: 1 }] };
    expect((await clearCart(deps, input)).outcome).toBe('cleared');
    const after = structuredClone(carts.carts.get(cartId));
    const writes = carts.writes;
    for (let i = 0; i < 2; i++) {
      expect(await clearCart(deps, input)).toEqual({
        orderId: 'o-1',
        cartId,
        outcome: 'already-cleared',
        removed: [],
      });
    }
    expect(carts.writes).toBe(writes);
    expect(carts.carts.get(cartId)).toEqual(after);
    expect(qty(after)).toEqual({ A: 2 });
  });

  it("clears a user's cart for its owner only; someone else's is, as everywhere, no cart", async () => {
    const { deps, carts } = setup();
    const mine = await getMyCart(deps, alice);
    await addItem(deps, mine.cartId, alice, { sku: 'A', quantity: 1 });
    const lines = [{ sku: 'A', quantity: 1 }];
    for (const userId of ['bob', undefined]) {
      expect(await clearCart(deps, { orderId: 'o-1', cartId: mine.cartId, userId, lines })).toEqual({
        orderId: 'o-1',
        cartId: mine.cartId,
        outcome: 'nothing-to-clear',
        removed: [],
      });
    }
    expect(qty(carts.carts.get(mine.cartId))).toEqual({ A: 1 });
    // A stored cart whose owner is not the id's user (not something the service writes) is refused too.
    const forged = userCartId('bob');
    carts.carts.set(forged, { ...structuredClone(carts.carts.get(mine.cartId) as Cart), cartId: forged });
    expect((await clearCart(deps, { orderId: 'o-1', cartId: forged, userId: 'bob', lines })).outcome).toBe(
      'nothing-to-clear',
    );
    expect(
      (await clearCart(deps, { orderId: 'o-1', cartId: mine.cartId, userId: 'alice', lines })).outcome,
    ).toBe('cleared');
    expect(qty(carts.carts.get(mine.cartId))).toEqual({});
  });

  it('finds nothing to clear in a cart that is gone: deleted, never there, or an expired guest cart', async () => {
    const { deps, carts, advance } = setup();
    const lines = [{ sku: 'A', quantity: 1 }];
    const guest = await createGuestCart(deps);
    await addItem(deps, guest.cartId, undefined, { sku: 'A', quantity: 1 });
    const writes = carts.writes;
    const gone = { orderId: 'o-1', cartId: 'g-ZZZZZZZZZZZZZZZZZZZZZZ', userId: 'alice', lines };
    expect((await clearCart(deps, gone)).outcome).toBe('nothing-to-clear');
    expect((await clearCart(deps, { ...gone, cartId: userCartId('alice') })).outcome).toBe(
      'nothing-to-clear',
    );
    advance(7 * 86_400_000);
    expect(await clearCart(deps, { ...gone, cartId: guest.cartId })).toEqual({
      orderId: 'o-1',
      cartId: guest.cartId,
      outcome: 'nothing-to-clear',
      removed: [],
    });
    expect(carts.writes).toBe(writes);
  });

  it('loses no concurrent write: a clear that lost the race reads again and keeps the other write', async () => {
    const { deps, carts } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 2 });
    const save = carts.saveClear.bind(carts);
    let calls = 0;
    carts.saveClear = async (...args) => {
      // The buyer adds one more A between the step's read and its write.
      if (calls++ === 0) await addItem(deps, cartId, undefined, { sku: 'A', quantity: 1 });
      return save(...args);
    };
    const result = await clearCart(deps, {
      orderId: 'o-1',
      cartId,
      userId: undefined,
      lines: [{ sku: 'A', quantity: 2 }],
    });
    expect(calls).toBe(2);
    expect(result).toMatchObject({ outcome: 'cleared', removed: [{ sku: 'A', quantity: 2 }] });
    expect(qty(carts.carts.get(cartId))).toEqual({ A: 1 });
  });

  it('counts two runs of the same order at once as one: the loser finds the order cleared', async () => {
    const { deps, carts } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 5 });
    const input = { orderId: 'o-1', cartId, userId: undefined, lines: [{ sku: 'A', quantity: 2 }] };
    const save = carts.saveClear.bind(carts);
    let other: Awaited<ReturnType<typeof clearCart>> | undefined;
    let calls = 0;
    carts.saveClear = async (...args) => {
      // The other run reads and writes after this one read.
      if (calls++ === 0) other = await clearCart(deps, input);
      return save(...args);
    };
    expect((await clearCart(deps, input)).outcome).toBe('already-cleared');
    expect(other?.outcome).toBe('cleared');
    expect(qty(carts.carts.get(cartId))).toEqual({ A: 3 });
  });

  it('gives up with CartBusy when every attempt loses a race, having written nothing', async () => {
    const { deps, carts } = setup();
    const { cartId } = await createGuestCart(deps);
    await addItem(deps, cartId, undefined, { sku: 'A', quantity: 2 });
    let calls = 0;
    carts.saveClear = async () => {
      calls++;
      return false;
    };
    await expect(
      clearCart(deps, { orderId: 'o-1', cartId, userId: undefined, lines: [{ sku: 'A', quantity: 2 }] }),
    ).rejects.toBeInstanceOf(CartBusyError);
    expect(calls).toBe(3);
    expect(qty(carts.carts.get(cartId))).toEqual({ A: 2 });
  });

  it('keeps the memory of cleared orders through a merge into the cleared cart', async () => {
    const { deps, carts } = setup();
    const mine = await getMyCart(deps, alice);
    await addItem(deps, mine.cartId, alice, { sku: 'A', quantity: 3 });
    const input = {
      orderId: 'o-1',
      cartId: mine.cartId,
      userId: 'alice',
      lines: [{ sku: 'A', quantity: 1 }],
    };
    await clearCart(deps, input);
    const guest = await createGuestCart(deps);
    await addItem(deps, guest.cartId, undefined, { sku: 'B', quantity: 1 });
    await mergeGuestCart(deps, alice, guest.cartId);
    expect((await clearCart(deps, input)).outcome).toBe('already-cleared');
    expect(qty(carts.carts.get(mine.cartId))).toEqual({ A: 2, B: 1 });
  });
});
