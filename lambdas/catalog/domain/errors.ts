import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors.ts';

export class ProductNotFoundError extends NotFoundError {
  constructor(readonly productId: string) {
    super(`No product ${productId}.`);
  }
}

/** A SKU already belongs to another product: a SKU identifies exactly one product. */
export class SkuTakenError extends ConflictError {
  constructor(readonly skus: { sku: string; productId?: string }[]) {
    super(
      `SKU already belongs to another product: ${skus
        .map((s) => (s.productId ? `${s.sku} (product ${s.productId})` : s.sku))
        .join(', ')}. Release it from that product first.`,
    );
  }
}

/** The product changed between our read and our write; the client can retry. */
export class ConcurrentModificationError extends ConflictError {
  constructor(productId: string) {
    super(`Product ${productId} was changed by another request at the same time; retry.`);
  }
}

export class TooManySkuChangesError extends UnprocessableError {}
