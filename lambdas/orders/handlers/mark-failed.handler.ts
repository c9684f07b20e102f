/** MarkFailed (saga compensation, last): FAILED with the reason the caught error names. */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps } from '../adapters/wiring.ts';
import { MarkFailedInputSchema } from '../domain/steps.ts';
import { markFailed } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

const stepDeps = { ...deps, metrics: businessMetrics };

export const handler = withMetrics(
  sagaStep('MarkFailed', MarkFailedInputSchema, (input) => markFailed(stepDeps, input)),
);
