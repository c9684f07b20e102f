/**
 * Payment errors. Saga steps are not HTTP routes: what the state machine sees of a failure is the
 * error's name (Lambda's `errorType`), so each outcome the saga must tell apart has a name of its
 * own that a Retry or Catch can match, and `retryable` says which of them a retry can cure.
 */

export abstract class PaymentError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
}

export type DeclineReason = 'card_declined' | 'insufficient_funds';

/** The card was refused: permanent for this order, so the saga compensates instead of retrying. */
export class PaymentDeclinedError extends PaymentError {
  readonly name = 'PaymentDeclined';
  readonly retryable = false;
  constructor(
    readonly reason: DeclineReason,
    readonly chargeId: string,
  ) {
    super(`The payment was declined: ${reason}.`);
  }
}

/** The provider could not be reached or failed while processing: retry with the same key. */
export class ProviderUnavailableError extends PaymentError {
  readonly name = 'ProviderUnavailable';
  readonly retryable = true;
}

/** An idempotency key came back with another request: a bug upstream, never retried. */
export class IdempotencyKeyReusedError extends PaymentError {
  readonly name = 'IdempotencyKeyReused';
  readonly retryable = false;
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used for another request.`);
  }
}

export class ChargeNotFoundError extends PaymentError {
  readonly name = 'ChargeNotFound';
  readonly retryable = false;
  constructor(
    readonly chargeId: string,
    orderId?: string,
  ) {
    super(orderId === undefined ? `No charge ${chargeId}.` : `No charge ${chargeId} of order ${orderId}.`);
  }
}

/** The charge is not in a state that allows the operation (a void after capture, a second capture). */
export class InvalidChargeStateError extends PaymentError {
  readonly name = 'InvalidChargeState';
  readonly retryable = false;
  constructor(
    readonly chargeId: string,
    readonly status: string,
    operation: string,
  ) {
    super(`Charge ${chargeId} is ${status}: it cannot be ${operation}.`);
  }
}

/** An amount the charge cannot take: more than authorized, more refunded than captured, another currency. */
export class AmountRefusedError extends PaymentError {
  readonly name = 'AmountRefused';
  readonly retryable = false;
}

/** A step was started with input outside its schema: a bug in the state machine, never retried. */
export class InvalidStepInputError extends PaymentError {
  readonly name = 'InvalidStepInput';
  readonly retryable = false;
  constructor(
    step: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${step}: invalid input (${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}).`);
  }
}
