/**
 * The rules of one line write, as a pure decision over the cart as stored. The DynamoDB adapter
 * states the same rules as a condition expression (one atomic UpdateItem, no read first) and,
 * when the condition fails, asks `decide` about the old item it got back to learn which rule did.
 */
import type { DomainError } from '#shared/errors.ts';
import { type Cart, type CartLine, canUse, isExpired, MAX_LINES, MAX_QUANTITY } from './cart.ts';
import {
  CartNotFoundError,
  LineLimitError,
  LineNotFoundError,
  QuantityLimitError,
  VersionMismatchError,
} from './errors.ts';

export type LineChange =
  /** Adds `line.quantity` to the SKU's line (creating it); the line takes the new snapshot. */
  | { kind: 'add'; line: CartLine }
  /** Sets the quantity (1..MAX_QUANTITY) of a line that must exist. */
  | { kind: 'set'; sku: string; quantity: number }
  /** Removes the line; removing a line that is not there changes nothing. */
  | { kind: 'remove'; sku: string };

/** Which cart the write may touch: a live guest cart (and refresh its expiry), or the owner's. */
export type CartAccess = { kind: 'guest'; expiresAt: number } | { kind: 'user'; ownerId: string };

export interface CartWrite {
  cartId: string;
  access: CartAccess;
  /** The caller's user id; undefined when anonymous. */
  callerId?: string;
  /** From If-Match. */
  expectedVersion?: number;
  now: Date;
  change: LineChange;
}

export type Decision =
  | { kind: 'apply'; next: Cart }
  | { kind: 'unchanged'; cart: Cart }
  | { kind: 'reject'; error: DomainError };

export function changedSku(change: LineChange): string {
  return change.kind === 'add' ? change.line.sku : change.sku;
}

export function decide(current: Cart | undefined, write: CartWrite): Decision {
  const { change } = write;
  if (
    !current ||
    !canUse(current, write.callerId) ||
    isExpired(current, write.now) ||
    (write.access.kind === 'user') !== (current.ownerId !== undefined)
  ) {
    return { kind: 'reject', error: new CartNotFoundError(write.cartId) };
  }
  if (write.expectedVersion !== undefined && write.expectedVersion !== current.version) {
    return { kind: 'reject', error: new VersionMismatchError(write.expectedVersion, current.version) };
  }
  const sku = changedSku(change);
  const existing = current.lines.find((line) => line.sku === sku);
  const others = current.lines.filter((line) => line.sku !== sku);
  let lines: CartLine[];
  switch (change.kind) {
    case 'add': {
      const quantity = (existing?.quantity ?? 0) + change.line.quantity;
      if (quantity > MAX_QUANTITY) {
        return { kind: 'reject', error: new QuantityLimitError(sku, quantity) };
      }
      if (!existing && current.lines.length >= MAX_LINES) {
        return { kind: 'reject', error: new LineLimitError() };
      }
      lines = [...others, { ...change.line, quantity }];
      break;
    }
    case 'set':
      if (!existing) return { kind: 'reject', error: new LineNotFoundError(sku) };
      lines = [...others, { ...existing, quantity: change.quantity }];
      break;
    case 'remove':
      if (!existing) return { kind: 'unchanged', cart: current };
      lines = others;
      break;
  }
  const next: Cart = {
    ...current,
    lines,
    version: current.version + 1,
    updatedAt: write.now.toISOString(),
  };
  if (write.access.kind === 'guest') next.expiresAt = write.access.expiresAt;
  return { kind: 'apply', next };
}
