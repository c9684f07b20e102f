/** GET /orders/{orderId} (signed in): the owner's order, or anyone's for an admin; 404 otherwise. One GetItem. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { getOrder } from '../domain/use-cases.ts';
import { orderIdParam } from './order-id-param.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  return { status: 200, body: await getOrder(deps, caller, orderIdParam(event)) };
});
