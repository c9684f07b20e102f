/** MarkForAttention (saga, a compensation gave up): flags the order; the saga's DLQ holds its state. */
import { deps } from '../adapters/wiring.ts';
import { FlagInputSchema } from '../domain/steps.ts';
import { flagForAttention } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

export const handler = sagaStep('MarkForAttention', FlagInputSchema, ({ orderId, compensationError }) =>
  flagForAttention(deps, { orderId, ...(compensationError ? { error: compensationError } : {}) }),
);
