/**
 * Domain errors shared by every service. Domain code throws these (or subclasses); the HTTP layer
 * maps them to statuses in one place (`problem.ts`), so no use case knows about HTTP.
 */

export interface FieldError {
  /** Dot-joined path into the input, e.g. `variants.0.price.amount`; empty for the whole input. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'not-found'
    | 'conflict'
    | 'precondition-failed'
    | 'forbidden'
    | 'unauthorized'
    | 'validation'
    | 'unsupported-media-type'
    | 'unprocessable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A conditional request (If-Match) named a state the resource no longer has: 412. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}

/** Bad input: answered 400 with the field errors. */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** A body in a format the route does not take (not JSON): 415. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type';
}

/** Well-formed input that breaks a business rule: 422. */
export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}
