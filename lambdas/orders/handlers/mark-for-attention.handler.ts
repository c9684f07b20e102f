/** MarkForAttention (saga, a compensation gave up): flags the order; the saga's DLQ holds its state. */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps } from '../adapters/wiring.ts';
import { FlagInputSchema } from '../domain/steps.ts';
import { flagForAttention } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

const stepDeps = { ...deps, metrics: businessMetrics };

export const handler = withMetrics(
  sagaStep('MarkForAttention', FlagInputSchema, ({ orderId, compensationError }) =>
    flagForAttention(stepDeps, { orderId, ...(compensationError ? { error: compensationError } : {}) }),
  ),
);
