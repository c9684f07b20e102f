/**
 * The payment steps whose outcomes are business metrics, on any deps (the handlers bind them to
 * the wiring, the unit tests to the in-memory ledger). They run inside the step's idempotency,
 * so a retry answered from a completed run's record counts nothing again.
 */
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import { PaymentDeclinedError } from '../domain/errors.ts';
import type { AuthorizePaymentInput, ReversePaymentInput } from '../domain/steps.ts';
import {
  authorizePayment,
  type PaymentDeps,
  type ReversalDeps,
  reversePayment,
} from '../domain/use-cases.ts';

/** AuthorizePayment, a decline counted (PaymentsDeclined). */
export function authorizeRun(deps: PaymentDeps, metrics: BusinessMetrics) {
  return async (input: AuthorizePaymentInput) => {
    try {
      return await authorizePayment(deps, input);
    } catch (error) {
      if (error instanceof PaymentDeclinedError) metrics.record('PaymentsDeclined');
      throw error;
    }
  };
}

/** ReversePayment, a void or a refund it made counted (CompensationsRun by step). */
export function reverseRun(deps: ReversalDeps, metrics: BusinessMetrics) {
  return async (input: ReversePaymentInput) => {
    // Counted when this run reverses, not when a rerun finds the reversal an earlier run made.
    const onReversed = () => metrics.record('CompensationsRun', 1, 'ReversePayment');
    return reversePayment({ ...deps, onReversed }, input);
  };
}
