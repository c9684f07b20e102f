import type { Product } from './product.ts';

/** A product with the version its stored copy carries (+1 per write; the search index orders by it). */
export interface StoredProduct {
  product: Product;
  version: number;
  /** The version of the rating reviews last set (absent: none yet); a replace keeps it. */
  ratingVersion?: number;
}

export interface ProductPage {
  items: Product[];
  nextCursor?: string;
}

/** What the catalog needs from storage; the DynamoDB adapter implements it. */
export interface ProductRepository {
  /** `consistent` for read-modify-write paths. */
  get(productId: string, options?: { consistent?: boolean }): Promise<StoredProduct | undefined>;
  /** Writes version 1 and claims every SKU; throws SkuTakenError when one belongs to another product. */
  create(product: Product): Promise<void>;
  /** Writes `previous.version + 1` if the stored version is still `previous.version`; releases dropped SKUs. */
  replace(next: Product, previous: StoredProduct): Promise<void>;
  /** Removes the product and its SKU claims if the stored version is still `previous.version`. */
  delete(previous: StoredProduct): Promise<void>;
  /** Newest first; within one category when `category` is given. The cursor is opaque. */
  list(query: { category?: string; limit: number; cursor?: string }): Promise<ProductPage>;
}
