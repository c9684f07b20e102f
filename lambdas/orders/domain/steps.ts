/** The inputs of the orders service's saga steps. */
import * as z from 'zod';
import { OrderIdSchema } from './schemas.ts';

const SagaErrorSchema = z.object({ Error: z.string().max(256), Cause: z.string().max(32_768).optional() });

export const OrderStepInputSchema = z.object({ orderId: OrderIdSchema });

export const MarkFailedInputSchema = z.object({
  orderId: OrderIdSchema,
  error: SagaErrorSchema.optional(),
  reversal: z.object({ status: z.string().optional() }).optional(),
});

export const FlagInputSchema = z.object({
  orderId: OrderIdSchema,
  compensationError: SagaErrorSchema.optional(),
});
