/** ConfirmOrder (saga step, after the pivot): CONFIRMED with the captured total; retried until it succeeds. */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps } from '../adapters/wiring.ts';
import { OrderStepInputSchema } from '../domain/steps.ts';
import { confirmOrder } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

const stepDeps = { ...deps, metrics: businessMetrics };

export const handler = withMetrics(
  sagaStep('ConfirmOrder', OrderStepInputSchema, ({ orderId }) => confirmOrder(stepDeps, orderId)),
);
