/**
 * The inputs of the payment steps of the checkout saga, one schema per step (docs/architecture.md,
 * "Payments"). Amounts are integers in the currency's minor unit and are whatever the saga passes:
 * the order's total, computed by the server upstream. Unknown fields are dropped, so a state may
 * pass more than a step reads.
 */
import * as z from 'zod';

export const PAYMENT_STEPS = [
  'AuthorizePayment',
  'CapturePayment',
  'VoidPayment',
  'RefundPayment',
  'ReversePayment',
] as const;
export type PaymentStep = (typeof PAYMENT_STEPS)[number];

const OrderIdSchema = z
  .string()
  .regex(/^[\w.:-]{1,128}$/, 'An order id: 1-128 letters, digits, `_`, `.`, `:` or `-`.');
const ChargeIdSchema = z.string().regex(/^ch_[\w-]{1,64}$/, "A charge id from AuthorizePayment's output.");
const AmountSchema = z.int().positive().describe('Minor units (cents), the order total.');
const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code, e.g. USD.');

/** `{ orderId, amount, currency, token }`: holds the order's total on the card. */
export const AuthorizePaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  amount: AmountSchema,
  currency: CurrencySchema,
  token: z.string().min(1).max(128),
});

/** `{ orderId, chargeId, amount, currency }`: captures the authorized total, once. */
export const CapturePaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  chargeId: ChargeIdSchema,
  amount: AmountSchema,
  currency: CurrencySchema,
});

/** `{ orderId, chargeId? }`: compensation before capture; without a charge there is nothing to void. */
export const VoidPaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  chargeId: ChargeIdSchema.optional(),
});

/**
 * `{ orderId, chargeId?, amount, currency, refundId? }`: returns part or all of a capture. Each
 * refund of an order has its own `refundId` (the saga's compensation uses the default), so two
 * partial refunds are two refunds and a retried one is the same refund.
 */
export const RefundPaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  chargeId: ChargeIdSchema.optional(),
  amount: AmountSchema,
  currency: CurrencySchema,
  refundId: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .default('compensation'),
});

/**
 * `{ orderId, chargeId? }`: the compensation for wherever the saga failed. Without a charge id it
 * undoes the order's authorization (the charge AuthorizePayment's key created), if there is one.
 */
export const ReversePaymentInputSchema = z.object({
  orderId: OrderIdSchema,
  chargeId: ChargeIdSchema.optional(),
});

export type AuthorizePaymentInput = z.output<typeof AuthorizePaymentInputSchema>;
export type CapturePaymentInput = z.output<typeof CapturePaymentInputSchema>;
export type VoidPaymentInput = z.output<typeof VoidPaymentInputSchema>;
export type RefundPaymentInput = z.output<typeof RefundPaymentInputSchema>;
export type ReversePaymentInput = z.output<typeof ReversePaymentInputSchema>;
