/**
 * ReversePayment (saga compensation): undoes whatever money moved for the order, a void of the
 * authorization or a refund of what is left of the capture; nothing to undo is fine.
 */
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { ReversePaymentInputSchema } from '../domain/steps.ts';
import { reversePayment } from '../domain/use-cases.ts';
import { paymentStep } from './payment-step.ts';

export const handler = paymentStep({
  step: 'ReversePayment',
  schema: ReversePaymentInputSchema,
  persistenceStore: idempotencyStore(),
  run: (input) => reversePayment(deps, input),
});
