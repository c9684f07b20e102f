/** ValidateCart (saga step): the order is still PENDING and priced as the buyer saw it; `PriceChanged` otherwise. */
import { deps } from '../adapters/wiring.ts';
import { OrderStepInputSchema } from '../domain/steps.ts';
import { validateOrder } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

export const handler = sagaStep('ValidateCart', OrderStepInputSchema, ({ orderId }) =>
  validateOrder(deps, orderId),
);
