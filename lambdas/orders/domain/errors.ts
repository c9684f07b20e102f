/**
 * Orders errors. HTTP routes throw the shared DomainError kinds (mapped to statuses in one place);
 * saga steps throw StepErrors, whose `name` is what the state machine's Retry and Catch match.
 */
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors.ts';

/** Someone else's order reads as no order at all: 404, never 403, which would confirm it exists. */
export class OrderNotFoundError extends NotFoundError {
  constructor(orderId: string) {
    super(`No order ${orderId}.`);
  }
}

/** A cart that does not exist, expired, or is not the caller's: all look the same. */
export class CheckoutCartNotFoundError extends NotFoundError {
  constructor(cartId: string) {
    super(`No cart ${cartId} that you may check out.`);
  }
}

export class EmptyCartError extends UnprocessableError {
  readonly code = 'EMPTY_CART';
  constructor(cartId: string) {
    super(`Cart ${cartId} is empty: add items before checking out.`);
  }
}

/** Items whose SKU left the catalog cannot be priced, so the order cannot be placed. */
export class UnavailableItemsError extends UnprocessableError {
  constructor(readonly skus: readonly string[]) {
    super(`No longer sold: ${skus.join(', ')}. Remove them from the cart and check out again.`);
  }
}

/** The same Idempotency-Key came with another body. */
export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super('This Idempotency-Key was used for another checkout request; use a new key for a new checkout.');
  }
}

/** A request with the same key is being processed right now. */
export class CheckoutInProgressError extends ConflictError {
  constructor() {
    super('A checkout with this Idempotency-Key is in progress; retry in a moment for its result.');
  }
}

/** A saga step's failure, named for the state machine. */
export class StepError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** The buyer has not seen the checkout price of these lines. */
export const priceChanged = (skus: readonly string[]) =>
  new StepError(
    'PriceChanged',
    `Prices changed since these were added to the cart: ${skus.join(', ')}. Review the cart and check out again.`,
  );

export const orderMissing = (orderId: string) => new StepError('OrderNotFound', `No order ${orderId}.`);

/** A step ran on an order already settled the other way (a bug or a replay): never retried. */
export const orderSettled = (orderId: string, status: string) =>
  new StepError('OrderSettled', `Order ${orderId} is already ${status}.`);
