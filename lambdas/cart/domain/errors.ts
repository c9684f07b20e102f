import {
  ConflictError,
  type FieldError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
} from '#shared/errors.ts';
import { MAX_LINES, MAX_QUANTITY } from './cart.ts';

/** Unknown, expired, or someone else's cart: the same answer for all three, so nothing leaks. */
export class CartNotFoundError extends NotFoundError {
  constructor(readonly cartId: string) {
    super(`No cart ${cartId}.`);
  }
}

export class LineNotFoundError extends NotFoundError {
  constructor(readonly sku: string) {
    super(`The cart has no line for SKU ${sku}; add it with POST /carts/{cartId}/items.`);
  }
}

export class UnknownSkuError extends UnprocessableError {
  constructor(readonly sku: string) {
    super(`The catalog has no SKU ${sku}.`);
  }
}

export class QuantityLimitError extends UnprocessableError {
  constructor(
    readonly sku: string,
    readonly wanted: number,
  ) {
    super(`A line holds at most ${MAX_QUANTITY} of a SKU; this would make ${wanted} of ${sku}.`);
  }
}

export class LineLimitError extends UnprocessableError {
  constructor() {
    super(`A cart holds at most ${MAX_LINES} different SKUs; remove one first.`);
  }
}

/** `If-Match` named a version the cart no longer has (412; the answer carries the current ETag). */
export class VersionMismatchError extends PreconditionFailedError {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`The cart is at version ${actual}, not ${expected}: read it again and retry.`);
  }
}

/** Concurrent writers kept winning; the client may retry. */
export class CartBusyError extends ConflictError {
  constructor(cartId: string) {
    super(`Cart ${cartId} was changed by other requests at the same time; retry.`);
  }
}

/**
 * Failures of a checkout saga step (ClearCart). The state machine sees only the error's name
 * (Lambda's `errorType`), so each has a short stable one for a Retry or Catch to match, and
 * `retryable` says whether a retry can cure it.
 */
export abstract class CartStepError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
}

/** The step was started with input outside its schema: a bug in the state machine, never retried. */
export class InvalidStepInputError extends CartStepError {
  readonly name = 'InvalidStepInput';
  readonly retryable = false;
  constructor(
    step: string,
    readonly issues: FieldError[],
  ) {
    super(`${step}: invalid input (${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}).`);
  }
}

/** `CartBusyError` of a step: other writes kept winning the cart's version; retry the step. */
export class CartBusyStepError extends CartStepError {
  readonly name = 'CartBusy';
  readonly retryable = true;
}
