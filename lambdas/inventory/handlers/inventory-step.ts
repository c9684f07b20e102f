/**
 * What every inventory step of the checkout saga shares: its input parsed with the step's schema,
 * then the use case run, with domain errors rethrown under short, stable names. The state machine
 * matches a failure by its name (Lambda's `errorType`) and sees only that and the message, so the
 * message is kept whole (OutOfStock's lists each SKU as `SKU (wanted n, available m)`). No
 * idempotency layer: each operation is idempotent per order by itself (the reservation record).
 */
import type * as z from 'zod';
import type { FieldError } from '#shared/errors.ts';
import { ValidationError } from '#shared/errors.ts';
import { sagaStepHandler } from '#shared/invocation.ts';
import { issuesToFieldErrors } from '#shared/validation.ts';
import {
  InventoryBusyError,
  OutOfStockError,
  ReservationCommittedError,
  ReservationConflictError,
  ReservationNotFoundError,
  ReservationReleasedError,
} from '../domain/errors.ts';

export type InventoryStep = 'ReserveInventory' | 'CommitReservation' | 'ReleaseInventory';

export type StepErrorName =
  | 'OutOfStock'
  | 'ReservationConflict'
  | 'ReservationNotFound'
  | 'ReservationReleased'
  | 'ReservationCommitted'
  /** Transient: concurrent writes kept winning; the state machine retries. */
  | 'InventoryBusy'
  /** A bug in the state machine's data flow: never retried. */
  | 'InvalidStepInput';

/** A step's failure as the state machine sees it; `cause` is the domain error, for logs and tests. */
export class StepError extends Error {
  constructor(
    override readonly name: StepErrorName,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const NAMES: readonly [abstract new (...args: never[]) => Error, StepErrorName][] = [
  [OutOfStockError, 'OutOfStock'],
  [ReservationConflictError, 'ReservationConflict'],
  [ReservationNotFoundError, 'ReservationNotFound'],
  [ReservationReleasedError, 'ReservationReleased'],
  [ReservationCommittedError, 'ReservationCommitted'],
  [InventoryBusyError, 'InventoryBusy'],
];

function invalidInput(step: InventoryStep, issues: readonly FieldError[], cause?: unknown): StepError {
  const listed = issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ');
  return new StepError('InvalidStepInput', `${step}: invalid input (${listed}).`, { cause });
}

/** The short-named error of a domain error; anything else (an SDK failure, a bug) as it is. */
export function stepErrorOf(step: InventoryStep, error: unknown): unknown {
  if (error instanceof ValidationError) return invalidInput(step, error.errors, error);
  const found = NAMES.find(([type]) => error instanceof type);
  return found ? new StepError(found[1], (error as Error).message, { cause: error }) : error;
}

export interface InventoryStepOptions<S extends z.ZodType, R> {
  step: InventoryStep;
  schema: S;
  run: (input: z.output<S>) => Promise<R>;
}

export function inventoryStep<S extends z.ZodType, R>({ step, schema, run }: InventoryStepOptions<S, R>) {
  return sagaStepHandler(step, async (event: unknown): Promise<R> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw invalidInput(step, issuesToFieldErrors(parsed.error.issues));
    try {
      return await run(parsed.data);
    } catch (error) {
      throw stepErrorOf(step, error);
    }
  });
}
