/**
 * What every orders saga step shares: its input parsed with the step's schema (unknown fields
 * dropped, since a state may pass more than a step reads), then the use case. Errors keep their
 * names, which the state machine's Retry and Catch match; bad input is InvalidStepInput, a bug in
 * the state machine that no retry cures.
 */
import type * as z from 'zod';
import { sagaStepHandler } from '#shared/invocation.ts';
import { issuesToFieldErrors } from '#shared/validation.ts';
import { StepError } from '../domain/errors.ts';

export function sagaStep<S extends z.ZodType, R>(
  step: string,
  schema: S,
  run: (input: z.output<S>) => Promise<R>,
) {
  return sagaStepHandler(step, async (event: unknown): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const issues = issuesToFieldErrors(parsed.error.issues);
      throw new StepError(
        'InvalidStepInput',
        `${step}: invalid input (${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}).`,
      );
    }
    return run(parsed.data);
  });
}
