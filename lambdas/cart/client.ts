/**
 * The cart service's published read module: how checkout reads the cart it places an order from.
 * Read-only by construction (one GetItem); the functions that use it get GetItem on the carts
 * table and nothing else.
 *
 *   import { getCart } from '#cart/client.ts';
 *   const cart = await getCart('g-...');   // undefined when there is none
 */
import { documentClient, GetCommand } from '#shared/dynamodb.ts';
import { cartKey, fromCartItem } from './adapters/dynamodb-cart-repository.ts';
import type { Cart } from './domain/cart.ts';

export type { Cart, CartLine } from './domain/cart.ts';

/** Strongly consistent: a checkout right after an add sees the add. Reads CARTS_TABLE on first use. */
export async function getCart(cartId: string): Promise<Cart | undefined> {
  const table = process.env.CARTS_TABLE;
  if (!table) throw new Error('Invalid environment: CARTS_TABLE: required');
  const out = await documentClient().send(
    new GetCommand({ TableName: table, Key: cartKey(cartId), ConsistentRead: true }),
  );
  return out.Item ? fromCartItem(out.Item) : undefined;
}
