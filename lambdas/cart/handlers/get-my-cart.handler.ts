/** GET /me/cart (signed in): the user's cart, created on first use, re-priced. 401 without a token. */
import { deps } from '../adapters/wiring.ts';
import { getMyCart } from '../domain/use-cases.ts';
import { cartHandler, cartReply, signedIn } from './cart-http.ts';

export const handler = cartHandler(async (event) => cartReply(await getMyCart(deps, signedIn(event))));
