/**
 * Catalog use cases. Pure orchestration over the repository port: no AWS, no HTTP.
 */
import { ProductNotFoundError, TooManySkuChangesError } from './errors.ts';
import { newProductId } from './ids.ts';
import type { ProductPage, ProductRepository } from './ports.ts';
import { MAX_TRANSACTION_ITEMS, type Product, type ProductInput } from './product.ts';

export interface CatalogDeps {
  products: ProductRepository;
  now?: () => Date;
  newId?: (nowMs: number) => string;
}

const DEFAULT_LIMIT = 20;

export async function createProduct(deps: CatalogDeps, input: ProductInput): Promise<Product> {
  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const product: Product = {
    productId: (deps.newId ?? newProductId)(now.getTime()),
    ...input,
    rating: { average: 0, count: 0 },
    createdAt: at,
    updatedAt: at,
  };
  await deps.products.create(product);
  return product;
}

/** Full replace: server-owned fields (id, rating, createdAt) survive; everything else is the input. */
export async function replaceProduct(
  deps: CatalogDeps,
  productId: string,
  input: ProductInput,
): Promise<Product> {
  const previous = await deps.products.get(productId, { consistent: true });
  if (!previous) throw new ProductNotFoundError(productId);
  const kept = new Set(input.variants.map((v) => v.sku));
  const released = previous.product.variants.filter((v) => !kept.has(v.sku)).length;
  const items = 1 + input.variants.length + released;
  if (items > MAX_TRANSACTION_ITEMS) {
    throw new TooManySkuChangesError(
      `This replace writes ${input.variants.length} SKUs and releases ${released}; one write handles at most ` +
        `${MAX_TRANSACTION_ITEMS - 1} together. Release some SKUs in an earlier replace.`,
    );
  }
  const product: Product = {
    ...input,
    productId,
    rating: previous.product.rating,
    createdAt: previous.product.createdAt,
    updatedAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  await deps.products.replace(product, previous);
  return product;
}

export async function deleteProduct(deps: CatalogDeps, productId: string): Promise<void> {
  const previous = await deps.products.get(productId, { consistent: true });
  if (!previous) throw new ProductNotFoundError(productId);
  await deps.products.delete(previous);
}

export async function getProduct(deps: CatalogDeps, productId: string): Promise<Product> {
  const stored = await deps.products.get(productId);
  if (!stored) throw new ProductNotFoundError(productId);
  return stored.product;
}

export function listProducts(
  deps: CatalogDeps,
  query: { category?: string; limit?: number; cursor?: string },
): Promise<ProductPage> {
  return deps.products.list({ ...query, limit: query.limit ?? DEFAULT_LIMIT });
}
