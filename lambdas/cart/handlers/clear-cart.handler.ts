/**
 * ClearCart (checkout saga step, after the order is confirmed; invoked, no route):
 * `{ orderId, cartId, userId, lines: [{ sku, quantity }] }` takes what was bought out of the cart,
 * once per order, and answers `{ orderId, cartId, outcome, removed }`.
 */
import { deps } from '../adapters/wiring.ts';
import { ClearCartInputSchema } from '../domain/steps.ts';
import { clearCart } from '../domain/use-cases.ts';
import { cartStep } from './cart-step.ts';

export const handler = cartStep('ClearCart', ClearCartInputSchema, (input) => clearCart(deps, input));
