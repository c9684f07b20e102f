import type { Cart } from './cart.ts';
import type { CurrentSku } from './view.ts';
import type { CartWrite } from './writes.ts';

/** What carts need from storage; the DynamoDB adapter implements it. Reads are strongly consistent. */
export interface CartRepository {
  /** Stores a new cart; false when one with this id exists already. */
  create(cart: Cart): Promise<boolean>;
  get(cartId: string): Promise<Cart | undefined>;
  /** Several carts in one round trip; absent ids are simply missing from the map. */
  getMany(cartIds: readonly string[]): Promise<Map<string, Cart>>;
  /**
   * Applies one line change atomically, under the rules of `decide`, and returns the cart as
   * written (or as it is, when the change is a no-op). Throws the domain error of a broken rule.
   */
  write(request: CartWrite): Promise<Cart>;
  /**
   * Stores the merged user cart (created when `previousVersion` is undefined, else only if still at
   * that version) and deletes the guest cart (only if still at `guest.version`), all or nothing.
   * False when either changed meanwhile.
   */
  saveMerge(
    next: Cart,
    previousVersion: number | undefined,
    guest: { cartId: string; version: number },
  ): Promise<boolean>;
  /**
   * Stores `next`, the checkout saga's clear of `previous` (the cart as read): only if the cart is
   * still at `previous.version` with the same owner. False when it changed meanwhile or is gone.
   */
  saveClear(previous: Cart, next: Cart): Promise<boolean>;
}

/** Current names and prices: the catalog's read module (`#catalog/client.ts`). Unknown SKUs are absent. */
export interface Catalog {
  getSkus(skus: readonly string[]): Promise<CurrentSku[]>;
}
