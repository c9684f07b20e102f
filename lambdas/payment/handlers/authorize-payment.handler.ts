/** AuthorizePayment (saga step): holds the order's total on the card; `PaymentDeclined` when refused. */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { AuthorizePaymentInputSchema } from '../domain/steps.ts';
import { paymentStep } from './payment-step.ts';
import { authorizeRun } from './step-runs.ts';

export const handler = withMetrics(
  paymentStep({
    step: 'AuthorizePayment',
    schema: AuthorizePaymentInputSchema,
    persistenceStore: idempotencyStore(),
    run: authorizeRun(deps, businessMetrics),
  }),
);
