/** GET /admin/inventory/{sku} (admin): the SKU's counts; 404 for a SKU never received. One GetItem. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { getStock } from '../domain/use-cases.ts';
import { skuParam } from './sku-param.ts';

export const handler = httpHandler(async (event) => {
  requireAdmin(event);
  return { status: 200, body: await getStock(deps, skuParam(event)) };
});
