/**
 * GET /dev/psp/charges?orderId= (stage local only, admin): the sandbox provider's ledger for one
 * order, as a processor's dashboard would show it, so tests and demos can see what was charged.
 */
import * as z from 'zod';
import { chargesOfOrder } from '#payment/client.ts';
import { requireAdmin } from '#shared/auth.ts';
import { loadEnv } from '#shared/config.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { PspChargesQuerySchema } from '../psp-charges.ts';

const env = loadEnv(z.object({ STAGE: z.string().default('local') }));

export const handler = httpHandler(async (event) => {
  // Belt and braces: the route only exists in the local stage, and the function refuses elsewhere.
  if (env.STAGE !== 'local') throw new NotFoundError('No such route.');
  requireAdmin(event);
  const { orderId } = validate(PspChargesQuerySchema, queryParams(event), 'query');
  return { status: 200, body: await chargesOfOrder(orderId) };
});
