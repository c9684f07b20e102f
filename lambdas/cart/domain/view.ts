/**
 * What a client sees of a cart (API.md, "Cart"). A read re-prices every line against the catalog;
 * a write answers with the stored snapshots, which for the line it just added are the catalog's
 * current ones (see docs/architecture.md, "Carts").
 */
import { type Cart, type Money, orderLines } from './cart.ts';

/** The catalog's current view of a SKU (the shape `#catalog/client.ts` returns). */
export interface CurrentSku {
  sku: string;
  productId: string;
  name: string;
  price: Money;
}

export interface CartItemView {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
  /** The catalog price differs from the one the shopper saw when adding. */
  priceChanged?: true;
  /** With priceChanged: the price the shopper saw. */
  previousUnitPrice?: Money;
  /** The SKU left the catalog: listed, not counted in the subtotal. */
  unavailable?: true;
}

export interface CartView {
  cartId: string;
  ownerId?: string;
  items: CartItemView[];
  subtotal: Money;
  itemCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
}

const usd = (amount: number): Money => ({ amount, currency: 'USD' });

/**
 * `current` absent: the stored snapshots as they are. Present: every line re-priced; a SKU missing
 * from it is no longer in the catalog.
 */
export function viewCart(cart: Cart, current?: ReadonlyMap<string, CurrentSku>): CartView {
  let subtotal = 0;
  let itemCount = 0;
  const items = orderLines(cart.lines).map((line): CartItemView => {
    itemCount += line.quantity;
    if (!current) {
      const amount = line.unitPrice.amount * line.quantity;
      subtotal += amount;
      return { ...pick(line), unitPrice: line.unitPrice, lineTotal: usd(amount) };
    }
    const now = current.get(line.sku);
    if (!now) {
      return {
        ...pick(line),
        unitPrice: line.unitPrice,
        lineTotal: usd(line.unitPrice.amount * line.quantity),
        unavailable: true,
      };
    }
    const amount = now.price.amount * line.quantity;
    subtotal += amount;
    const item: CartItemView = {
      sku: line.sku,
      productId: now.productId,
      name: now.name,
      quantity: line.quantity,
      unitPrice: now.price,
      lineTotal: usd(amount),
    };
    if (now.price.amount !== line.unitPrice.amount || now.price.currency !== line.unitPrice.currency) {
      item.priceChanged = true;
      item.previousUnitPrice = line.unitPrice;
    }
    return item;
  });
  const view: CartView = {
    cartId: cart.cartId,
    items,
    subtotal: usd(subtotal),
    itemCount,
    version: cart.version,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
  if (cart.ownerId !== undefined) view.ownerId = cart.ownerId;
  if (cart.expiresAt !== undefined) view.expiresAt = new Date(cart.expiresAt * 1000).toISOString();
  return view;
}

function pick(line: Cart['lines'][number]) {
  return { sku: line.sku, productId: line.productId, name: line.name, quantity: line.quantity };
}
