/**
 * What a cart saga step shares (a function the state machine invokes, not a route): its input
 * parsed with the step's schema, and failures under names the state machine can match:
 * `InvalidStepInput` (permanent), `CartBusy` (retry). Anything else is rethrown as it is.
 */
import type * as z from 'zod';
import { sagaStepHandler } from '#shared/invocation.ts';
import { issuesToFieldErrors } from '#shared/validation.ts';
import { CartBusyError, CartBusyStepError, InvalidStepInputError } from '../domain/errors.ts';

export function cartStep<S extends z.ZodType, R>(
  step: string,
  schema: S,
  run: (input: z.output<S>) => Promise<R>,
): (event: unknown) => Promise<R> {
  return sagaStepHandler(step, async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw new InvalidStepInputError(step, issuesToFieldErrors(parsed.error.issues));
    try {
      return await run(parsed.data);
    } catch (error) {
      if (error instanceof CartBusyError) throw new CartBusyStepError(error.message, { cause: error });
      throw error;
    }
  });
}
