/**
 * What every payment step shares: its input parsed with the step's schema, then the use case run
 * under Powertools idempotency keyed on (step, orderId), so a step that completed answers its
 * retries from the record without calling the provider again. A step that threw leaves no record
 * and runs again on retry; the provider's own idempotency key (derived from the same order and
 * step) then makes the retry replay what the provider already did instead of charging twice.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { sagaStepHandler } from '#shared/invocation.ts';
import { issuesToFieldErrors } from '#shared/validation.ts';
import { InvalidStepInputError } from '../domain/errors.ts';
import type { PaymentStep } from '../domain/steps.ts';

/**
 * How long a completed step's record answers retries. Past it a rerun reaches the provider, whose
 * keys never expire, and gets the same answer: the record saves a call, the ledger keeps the money safe.
 */
export const STEP_RECORD_SECONDS = 7 * 24 * 3600;

export interface PaymentStepOptions<S extends z.ZodType, R> {
  step: PaymentStep;
  schema: S;
  /** JMESPath over the parsed input naming what makes a run of this step distinct: the order. */
  key?: string;
  /** This step's own: Powertools keeps the first key and prefix a layer is configured with. */
  persistenceStore: BasePersistenceLayer;
  run: (input: z.output<S>) => Promise<R>;
}

export function paymentStep<S extends z.ZodType, R>(options: PaymentStepOptions<S, R>) {
  const { step, schema, persistenceStore, run } = options;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.key ?? 'orderId',
    // The same order and step with other input (another amount) is refused, never answered with
    // the first run's result: IdempotencyValidationError.
    payloadValidationJmesPath: '@',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: STEP_RECORD_SECONDS,
  });
  // The prefix is the step, not the function name: the record is keyed on (step, order) wherever it runs.
  const idempotentRun = makeIdempotent(async (input: z.output<S>) => run(input), {
    persistenceStore,
    config,
    keyPrefix: step,
  });
  return sagaStepHandler(step, async (event: unknown, context: Context): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw new InvalidStepInputError(step, issuesToFieldErrors(parsed.error.issues));
    // An in-progress record outlives a crashed run only by the time the run had left.
    config.registerLambdaContext(context);
    return (await idempotentRun(parsed.data)) as R;
  });
}
