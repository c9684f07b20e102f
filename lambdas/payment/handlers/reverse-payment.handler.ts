/**
 * ReversePayment (saga compensation): undoes whatever money moved for the order, a void of the
 * authorization or a refund of what is left of the capture; nothing to undo is fine.
 */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps, idempotencyStore } from '../adapters/wiring.ts';
import { ReversePaymentInputSchema } from '../domain/steps.ts';
import { paymentStep } from './payment-step.ts';
import { reverseRun } from './step-runs.ts';

export const handler = withMetrics(
  paymentStep({
    step: 'ReversePayment',
    schema: ReversePaymentInputSchema,
    persistenceStore: idempotencyStore(),
    run: reverseRun(deps, businessMetrics),
  }),
);
