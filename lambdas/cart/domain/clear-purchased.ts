/**
 * What the checkout saga's ClearCart step takes out of a cart once the order is confirmed: what
 * was bought and nothing else. The shopper may keep using the cart while the saga runs, so the
 * step subtracts quantities instead of emptying the cart. Pure: no AWS.
 */
import { type Cart, type CartLine, canUse, isExpired } from './cart.ts';

/**
 * How many cleared orders a cart remembers. A retry of the step comes within minutes of the first
 * run; the cart would have to see this many other orders cleared in between to forget one.
 */
export const MAX_CLEARED_ORDERS = 20;

export interface PurchasedLine {
  sku: string;
  quantity: number;
}

export type ClearDecision =
  | { kind: 'already-cleared' }
  /** `removed`: what actually left the cart, per SKU, in the order's order; SKUs not in the cart are absent. */
  | { kind: 'clear'; next: Cart; removed: PurchasedLine[] };

/**
 * Whether the saga may clear the cart it read for `userId`'s order: the rules of every other cart
 * write (a live guest cart, or the owner's cart). Any other cart is, as elsewhere, no cart at all.
 */
export function mayClear(cart: Cart, userId: string | undefined, now: Date): boolean {
  return canUse(cart, userId) && !isExpired(cart, now);
}

/**
 * The cart with an order's purchased quantities subtracted: a line at 0 or below goes, a line the
 * buyer raised during checkout keeps the difference, other SKUs stay. The order joins the cart's
 * memory in the same write, so a repeat changes nothing. It joins even when nothing is removed:
 * otherwise a retry would take out a line the buyer adds afterwards. A guest cart's expiry stays
 * where the shopper's last write put it: the saga is not the shopper.
 */
export function clearPurchased(
  cart: Cart,
  purchased: readonly PurchasedLine[],
  orderId: string,
  now: Date,
): ClearDecision {
  if (cart.clearedOrders?.includes(orderId)) return { kind: 'already-cleared' };
  // An order listing a SKU twice bought both quantities.
  const bought = new Map<string, number>();
  for (const line of purchased) bought.set(line.sku, (bought.get(line.sku) ?? 0) + line.quantity);

  const inCart = new Map(cart.lines.map((line) => [line.sku, line.quantity]));
  const removed: PurchasedLine[] = [];
  for (const [sku, quantity] of bought) {
    const had = inCart.get(sku);
    if (had !== undefined) removed.push({ sku, quantity: Math.min(had, quantity) });
  }
  const lines: CartLine[] = cart.lines.flatMap((line) => {
    const left = line.quantity - (bought.get(line.sku) ?? 0);
    return left > 0 ? [{ ...line, quantity: left }] : [];
  });
  const next: Cart = {
    ...cart,
    lines,
    version: cart.version + 1,
    updatedAt: now.toISOString(),
    clearedOrders: [...(cart.clearedOrders ?? []), orderId].slice(-MAX_CLEARED_ORDERS),
  };
  return { kind: 'clear', next, removed };
}
