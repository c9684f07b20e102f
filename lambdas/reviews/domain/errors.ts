/** Reviews errors: the shared DomainError kinds, which the HTTP layer maps to statuses. */
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';

export class ProductNotFoundError extends NotFoundError {
  constructor(productId: string) {
    super(`No product ${productId}.`);
  }
}

export class ReviewNotFoundError extends NotFoundError {
  constructor(reviewId: string) {
    super(`No review ${reviewId}.`);
  }
}

export class NotABuyerError extends ForbiddenError {
  constructor(productId: string) {
    super(`Only buyers of product ${productId} may review it: a confirmed order must hold it.`);
  }
}

export class AlreadyReviewedError extends ConflictError {
  constructor(
    productId: string,
    readonly reviewId: string,
  ) {
    super(`You already reviewed product ${productId} (review ${reviewId}): edit that one instead.`);
  }
}

export class NotYourReviewError extends ForbiddenError {
  constructor(reviewId: string) {
    super(`Review ${reviewId} is someone else's: only its author may change it.`);
  }
}

/** Conditions kept failing under contention: the client may retry. */
export class ReviewContentionError extends ConflictError {
  constructor(productId: string) {
    super(`Reviews of product ${productId} are changing too fast right now; retry.`);
  }
}
