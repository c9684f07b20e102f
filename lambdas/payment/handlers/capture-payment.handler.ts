/** CapturePayment (saga step): captures the authorized total, at most once per order. */
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { CapturePaymentInputSchema } from '../domain/steps.ts';
import { capturePayment } from '../domain/use-cases.ts';
import { paymentStep } from './payment-step.ts';

export const handler = paymentStep({
  step: 'CapturePayment',
  schema: CapturePaymentInputSchema,
  persistenceStore: idempotencyStore(),
  run: (input) => capturePayment(deps, input),
});
