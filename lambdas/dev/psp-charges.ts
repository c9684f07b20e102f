/** The shapes of GET /dev/psp/charges (stage local only), for the handler and the OpenAPI document. */
import * as z from 'zod';

export const PspChargesQuerySchema = z.strictObject({
  orderId: z.string().regex(/^[\w.:-]{1,128}$/, 'An order id: 1-128 letters, digits, `_`, `.`, `:` or `-`.'),
});

export const PspChargesSchema = z
  .object({
    items: z.array(
      z.object({
        chargeId: z.string(),
        orderId: z.string(),
        amount: z.int(),
        capturedAmount: z.int(),
        refundedAmount: z.int(),
        status: z.enum(['AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED', 'DECLINED']),
      }),
    ),
  })
  .meta({ id: 'PspCharges', description: "The sandbox provider's ledger for one order, oldest first." });
