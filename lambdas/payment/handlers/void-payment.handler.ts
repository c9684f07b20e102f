/** VoidPayment (saga compensation): releases an uncaptured authorization; nothing to void is fine. */
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { VoidPaymentInputSchema } from '../domain/steps.ts';
import { voidPayment } from '../domain/use-cases.ts';
import { paymentStep } from './payment-step.ts';

export const handler = paymentStep({
  step: 'VoidPayment',
  schema: VoidPaymentInputSchema,
  persistenceStore: idempotencyStore(),
  run: (input) => voidPayment(deps, input),
});
