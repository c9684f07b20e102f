/** ConfirmOrder (saga step, after the pivot): CONFIRMED with the captured total; retried until it succeeds. */
import { deps } from '../adapters/wiring.ts';
import { OrderStepInputSchema } from '../domain/steps.ts';
import { confirmOrder } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

export const handler = sagaStep('ConfirmOrder', OrderStepInputSchema, ({ orderId }) =>
  confirmOrder(deps, orderId),
);
