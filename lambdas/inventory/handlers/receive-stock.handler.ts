/**
 * POST /admin/inventory/{sku}/receive (admin): body { quantity } adds received units, available
 * at once (the SKU's record is created on its first receipt). One UpdateItem.
 */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { ReceiveStockSchema } from '../domain/requests.ts';
import { receiveStock } from '../domain/use-cases.ts';
import { skuParam } from './sku-param.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  const sku = skuParam(event);
  const { quantity } = validate(ReceiveStockSchema, jsonBody(event), 'receipt');
  return { status: 200, body: await receiveStock(deps, sku, quantity) };
});
