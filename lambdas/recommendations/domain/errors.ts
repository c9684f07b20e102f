import { NotFoundError } from '#shared/errors.ts';

/** No such product in the catalog (never created, or deleted): 404. */
export class RecommendedProductNotFoundError extends NotFoundError {
  constructor(productId: string) {
    super(`No product ${productId}.`);
  }
}
