/**
 * Cart use cases: orchestration over the repository and the catalog, no AWS, no HTTP. DynamoDB
 * round trips in the common case: a read 2 (cart + catalog), an add 2 (catalog + one UpdateItem),
 * a quantity change or removal 1, a merge 2 (one BatchGetItem + one TransactWriteItems), the
 * saga's clear 2 (GetItem + one UpdateItem; a repeat or a gone cart 1).
 */
import { UnauthorizedError } from '#shared/errors.ts';
import {
  type Cart,
  type CartLine,
  canUse,
  cartKindOf,
  guestExpiry,
  isExpired,
  MAX_QUANTITY,
  mayAddress,
  mergeLines,
  newGuestCartId,
  userCartId,
} from './cart.ts';
import { clearPurchased, mayClear, type PurchasedLine } from './clear-purchased.ts';
import {
  CartBusyError,
  CartNotFoundError,
  QuantityLimitError,
  UnknownSkuError,
  VersionMismatchError,
} from './errors.ts';
import type { CartRepository, Catalog } from './ports.ts';
import type { ClearCartInput } from './steps.ts';
import { type CartView, type CurrentSku, viewCart } from './view.ts';
import type { CartAccess, LineChange } from './writes.ts';

export interface CartDeps {
  carts: CartRepository;
  catalog: Catalog;
  now?: () => Date;
  newGuestId?: () => string;
}

/** The caller as the authorizer described them; undefined when anonymous. */
export interface Caller {
  sub: string;
}

export interface WriteOptions {
  /** From If-Match: the write applies only to this version. */
  expectedVersion?: number;
}

const MERGE_ATTEMPTS = 3;
const CLEAR_ATTEMPTS = 3;

const clock = (deps: CartDeps) => (deps.now ?? (() => new Date()))();

function emptyCart(cartId: string, now: Date, ownerId?: string): Cart {
  const at = now.toISOString();
  const cart: Cart = { cartId, lines: [], version: 1, createdAt: at, updatedAt: at };
  if (ownerId === undefined) cart.expiresAt = guestExpiry(now);
  else cart.ownerId = ownerId;
  return cart;
}

async function repriced(deps: CartDeps, cart: Cart): Promise<CartView> {
  if (cart.lines.length === 0) return viewCart(cart, new Map());
  const current = await deps.catalog.getSkus(cart.lines.map((line) => line.sku));
  return viewCart(cart, new Map(current.map((sku) => [sku.sku, sku])));
}

/** POST /carts: a new guest cart. One PutItem. */
export async function createGuestCart(deps: CartDeps): Promise<CartView> {
  const now = clock(deps);
  // 128 random bits make a clash practically impossible; the conditional put makes it harmless.
  for (let attempt = 0; attempt < 3; attempt++) {
    const cart = emptyCart((deps.newGuestId ?? newGuestCartId)(), now);
    if (await deps.carts.create(cart)) return viewCart(cart);
  }
  throw new Error('could not allocate a guest cart id');
}

/** GET /carts/{cartId}: the cart re-priced against the catalog. */
export async function getCart(deps: CartDeps, cartId: string, caller?: Caller): Promise<CartView> {
  if (!mayAddress(cartId, caller?.sub)) throw new CartNotFoundError(cartId);
  const cart = await deps.carts.get(cartId);
  if (!cart || !canUse(cart, caller?.sub) || isExpired(cart, clock(deps))) {
    throw new CartNotFoundError(cartId);
  }
  return repriced(deps, cart);
}

function accessFor(cartId: string, caller: Caller | undefined, now: Date): CartAccess {
  if (!mayAddress(cartId, caller?.sub)) throw new CartNotFoundError(cartId);
  return cartKindOf(cartId) === 'guest'
    ? { kind: 'guest', expiresAt: guestExpiry(now) }
    : { kind: 'user', ownerId: (caller as Caller).sub };
}

async function write(
  deps: CartDeps,
  cartId: string,
  caller: Caller | undefined,
  change: LineChange,
  options: WriteOptions,
): Promise<CartView> {
  const now = clock(deps);
  const cart = await deps.carts.write({
    cartId,
    access: accessFor(cartId, caller, now),
    callerId: caller?.sub,
    expectedVersion: options.expectedVersion,
    now,
    change,
  });
  return viewCart(cart);
}

/**
 * POST /carts/{cartId}/items: adds to the SKU's line, at the catalog's current name and price.
 * The catalog lookup, then one UpdateItem whose condition enforces every rule.
 */
export async function addItem(
  deps: CartDeps,
  cartId: string,
  caller: Caller | undefined,
  input: { sku: string; quantity: number },
  options: WriteOptions = {},
): Promise<CartView> {
  const now = clock(deps);
  accessFor(cartId, caller, now);
  if (input.quantity > MAX_QUANTITY) throw new QuantityLimitError(input.sku, input.quantity);
  const [found]: (CurrentSku | undefined)[] = await deps.catalog.getSkus([input.sku]);
  if (!found) throw new UnknownSkuError(input.sku);
  const line: CartLine = {
    sku: input.sku,
    productId: found.productId,
    name: found.name,
    quantity: input.quantity,
    unitPrice: found.price,
    addedAt: now.toISOString(),
  };
  return write(deps, cartId, caller, { kind: 'add', line }, options);
}

/** PATCH /carts/{cartId}/items/{sku}: sets the quantity; 0 removes the line. One UpdateItem. */
export async function setItemQuantity(
  deps: CartDeps,
  cartId: string,
  caller: Caller | undefined,
  sku: string,
  quantity: number,
  options: WriteOptions = {},
): Promise<CartView> {
  if (quantity > MAX_QUANTITY) {
    accessFor(cartId, caller, clock(deps));
    throw new QuantityLimitError(sku, quantity);
  }
  const change: LineChange = quantity === 0 ? { kind: 'remove', sku } : { kind: 'set', sku, quantity };
  return write(deps, cartId, caller, change, options);
}

/** DELETE /carts/{cartId}/items/{sku}: removes the line (a line that is not there: unchanged). */
export function removeItem(
  deps: CartDeps,
  cartId: string,
  caller: Caller | undefined,
  sku: string,
  options: WriteOptions = {},
): Promise<CartView> {
  return write(deps, cartId, caller, { kind: 'remove', sku }, options);
}

function requireCaller(caller: Caller | undefined): Caller {
  if (!caller) throw new UnauthorizedError('Sign in: this route needs a bearer token.');
  return caller;
}

/** GET /me/cart: the signed-in user's cart, created on first use, re-priced. */
export async function getMyCart(deps: CartDeps, caller: Caller | undefined): Promise<CartView> {
  const { sub } = requireCaller(caller);
  const cartId = userCartId(sub);
  let cart = await deps.carts.get(cartId);
  if (!cart) {
    const created = emptyCart(cartId, clock(deps), sub);
    // Two first requests at once: one creates, the other reads what it created.
    cart = (await deps.carts.create(created)) ? created : await deps.carts.get(cartId);
    if (!cart) throw new CartBusyError(cartId);
  }
  return repriced(deps, cart);
}

/**
 * POST /me/cart/merge: moves a guest cart's lines into the user's cart. The user's cart is written
 * and the guest cart deleted in one transaction, both conditional on the versions read, so a merge
 * counts once however often it is retried: a retry finds no guest cart and answers 404.
 */
export async function mergeGuestCart(
  deps: CartDeps,
  caller: Caller | undefined,
  guestCartId: string,
  options: WriteOptions = {},
): Promise<CartView> {
  const { sub } = requireCaller(caller);
  if (cartKindOf(guestCartId) !== 'guest') throw new CartNotFoundError(guestCartId);
  const userId = userCartId(sub);
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const now = clock(deps);
    const carts = await deps.carts.getMany([guestCartId, userId]);
    const guest = carts.get(guestCartId);
    if (!guest || guest.ownerId !== undefined || isExpired(guest, now)) {
      throw new CartNotFoundError(guestCartId);
    }
    const user = carts.get(userId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== (user?.version ?? 0)) {
      throw new VersionMismatchError(options.expectedVersion, user?.version ?? 0);
    }
    const base = user ?? { ...emptyCart(userId, now, sub), version: 0 };
    const next: Cart = {
      ...base,
      lines: mergeLines(base.lines, guest.lines).lines,
      version: base.version + 1,
      updatedAt: now.toISOString(),
    };
    if (await deps.carts.saveMerge(next, user?.version, { cartId: guest.cartId, version: guest.version })) {
      return viewCart(next);
    }
  }
  throw new CartBusyError(userId);
}

export interface ClearCartResult {
  orderId: string;
  cartId: string;
  outcome: 'cleared' | 'already-cleared' | 'nothing-to-clear';
  /** What this run took out of the cart; empty unless `cleared`. */
  removed: PurchasedLine[];
}

/**
 * ClearCart (checkout saga, after the order is confirmed): takes the order's purchased lines out
 * of its cart, once per order. Read, decide, then one write conditional on the version read, so
 * a concurrent cart write is never lost: a lost race reads again (3 attempts, then CartBusy). A
 * cart that is gone, expired, or not `userId`'s has nothing to clear: the order stands regardless.
 */
export async function clearCart(deps: CartDeps, input: ClearCartInput): Promise<ClearCartResult> {
  const { orderId, cartId, userId } = input;
  const answer = (outcome: ClearCartResult['outcome'], removed: PurchasedLine[] = []): ClearCartResult => ({
    orderId,
    cartId,
    outcome,
    removed,
  });
  if (!mayAddress(cartId, userId)) return answer('nothing-to-clear');
  for (let attempt = 0; attempt < CLEAR_ATTEMPTS; attempt++) {
    const now = clock(deps);
    const cart = await deps.carts.get(cartId);
    if (!cart || !mayClear(cart, userId, now)) return answer('nothing-to-clear');
    const decision = clearPurchased(cart, input.lines, orderId, now);
    if (decision.kind === 'already-cleared') return answer('already-cleared');
    if (await deps.carts.saveClear(cart, decision.next)) return answer('cleared', decision.removed);
  }
  throw new CartBusyError(cartId);
}
