/**
 * The cart model and its rules: ids, limits, guest expiry, who may see a cart, and the merge of a
 * guest cart into a user's. Pure: no AWS, no HTTP.
 */
import { createHash } from 'node:crypto';

export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;
export const GUEST_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface Money {
  amount: number;
  currency: 'USD';
}

/** One SKU in a cart, with the name and unit price the shopper saw when they last added it. */
export interface CartLine {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  /** ISO time of the last add: items list newest first. */
  addedAt: string;
}

export interface Cart {
  cartId: string;
  /** Set on a signed-in user's cart; a guest cart has none. */
  ownerId?: string;
  lines: CartLine[];
  /** +1 per write; `If-Match` compares against it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Guest carts only: epoch seconds after which the cart is gone (the table's TTL attribute). */
  expiresAt?: number;
  /**
   * Orders whose purchased lines the checkout saga took out (`clear-purchased.ts`), oldest first,
   * at most MAX_CLEARED_ORDERS: a retried clear finds its order here and changes nothing.
   */
  clearedOrders?: string[];
}

/**
 * Guest cart ids are the guest's only credential, so they are 128 random bits (base64url). A
 * user's cart id is derived from the user id: the cart is found without an index, and creating it
 * twice at once lands on one item. Knowing it grants nothing, since the owner is checked.
 */
const GUEST_ID = /^g-[A-Za-z0-9_-]{22}$/;
const USER_ID = /^u-[A-Za-z0-9_-]{43}$/;

export type CartKind = 'guest' | 'user';

export function newGuestCartId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `g-${Buffer.from(bytes).toString('base64url')}`;
}

export function userCartId(userId: string): string {
  return `u-${createHash('sha256').update(`cart:${userId}`).digest('base64url')}`;
}

/** The kind of cart an id names, or undefined for a string no cart can have. */
export function cartKindOf(cartId: string): CartKind | undefined {
  if (GUEST_ID.test(cartId)) return 'guest';
  if (USER_ID.test(cartId)) return 'user';
  return undefined;
}

export const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** A guest cart lives 7 days past its last write. */
export function guestExpiry(now: Date): number {
  return epochSeconds(now) + GUEST_TTL_SECONDS;
}

/** TTL deletion can lag by days, so an expired cart is treated as gone from the moment it expires. */
export function isExpired(cart: Pick<Cart, 'expiresAt'>, now: Date): boolean {
  return cart.expiresAt !== undefined && cart.expiresAt <= epochSeconds(now);
}

/**
 * Whether `callerId` (undefined: anonymous) may use the cart: anyone holding a guest cart's id,
 * only the owner for a user's cart. Everyone else is told the cart does not exist.
 */
export function canUse(cart: Pick<Cart, 'ownerId'>, callerId: string | undefined): boolean {
  return cart.ownerId === undefined || cart.ownerId === callerId;
}

/** Whether an id could be the caller's to use, before reading anything. */
export function mayAddress(cartId: string, callerId: string | undefined): boolean {
  const kind = cartKindOf(cartId);
  if (kind === 'guest') return true;
  return kind === 'user' && callerId !== undefined && userCartId(callerId) === cartId;
}

/** Lines newest first; ties (one write adding several) by SKU, so the order is stable. */
export function orderLines(lines: readonly CartLine[]): CartLine[] {
  return [...lines].sort((a, b) => b.addedAt.localeCompare(a.addedAt) || a.sku.localeCompare(b.sku));
}

export interface MergeResult {
  lines: CartLine[];
  /** Guest SKUs left out because the user's cart reached MAX_LINES. */
  dropped: string[];
}

/**
 * A guest cart merged into a user's: the same SKU sums its quantities (capped at MAX_QUANTITY) and
 * keeps the snapshot the shopper saw last; the guest's other lines join, newest first, while there
 * is room for them under MAX_LINES. The user's own lines are never displaced.
 */
export function mergeLines(user: readonly CartLine[], guest: readonly CartLine[]): MergeResult {
  const merged = new Map(user.map((line) => [line.sku, line]));
  const dropped: string[] = [];
  for (const line of orderLines(guest)) {
    const mine = merged.get(line.sku);
    if (mine) {
      const newer = line.addedAt > mine.addedAt ? line : mine;
      merged.set(line.sku, {
        ...newer,
        quantity: Math.min(MAX_QUANTITY, mine.quantity + line.quantity),
      });
    } else if (merged.size < MAX_LINES) {
      merged.set(line.sku, line);
    } else {
      dropped.push(line.sku);
    }
  }
  return { lines: orderLines([...merged.values()]), dropped };
}
