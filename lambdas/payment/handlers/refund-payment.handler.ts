/** RefundPayment (saga compensation, or a later partial refund): one refund per (order, refundId). */
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { RefundPaymentInputSchema } from '../domain/steps.ts';
import { refundPayment } from '../domain/use-cases.ts';
import { paymentStep } from './payment-step.ts';

export const handler = paymentStep({
  step: 'RefundPayment',
  schema: RefundPaymentInputSchema,
  key: '[orderId, refundId]',
  persistenceStore: idempotencyStore(),
  run: (input) => refundPayment(deps, input),
});
