/**
 * POST /orders/{orderId}/cancel (the owner or an admin): 202 while nothing has shipped (the refund
 * and the stock's return follow on OrderCancelled); 409 once something shipped; 404 for someone
 * else's order. A repeat answers 202 again.
 */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/after-placement-wiring.ts';
import { cancelOrder } from '../domain/after-placement.ts';
import { orderIdParam } from './order-id-param.ts';

export const handler = httpHandler(async (event) => {
  const caller = requireCaller(event);
  return { status: 202, body: await cancelOrder(deps, caller, orderIdParam(event)) };
});
