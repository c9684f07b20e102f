/** AuthorizePayment (saga step): holds the order's total on the card; `PaymentDeclined` when refused. */
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { AuthorizePaymentInputSchema } from '../domain/steps.ts';
import { authorizePayment } from '../domain/use-cases.ts';
import { paymentStep } from './payment-step.ts';

export const handler = paymentStep({
  step: 'AuthorizePayment',
  schema: AuthorizePaymentInputSchema,
  persistenceStore: idempotencyStore(),
  run: (input) => authorizePayment(deps, input),
});
