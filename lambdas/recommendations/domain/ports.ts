/** What recommendations need from storage; the DynamoDB adapters implement these. */

/**
 * COUNTING/UNCOUNTING: a phase in progress, `batchesDone` of `batches` applied. COUNTED: in the
 * counts. UNCOUNTED: taken back out, or cancelled before it was counted (a tombstone).
 */
export type OrderStatus = 'COUNTING' | 'COUNTED' | 'UNCOUNTING' | 'UNCOUNTED';

/** One order's progress (`ORDER#<orderId>`). */
export interface OrderRecord {
  orderId: string;
  status: OrderStatus;
  /** The counted products, distinct, by line order, capped. */
  productIds: string[];
  batches: number;
  batchesDone: number;
  /** n(p) after the current phase, per product of the order: the denominators of its scores. */
  counts: Record<string, number>;
}

export interface PairUpdate {
  a: string;
  b: string;
  delta: 1 | -1;
  /** co(a, b) after this update, as read before it: what `score` was computed from. */
  co: number;
  score: number;
}

/** One transaction: the order record moved from `from` to `to`, and the updates with it. */
export interface BatchWrite {
  orderId: string;
  from: 'absent' | { status: OrderStatus; batchesDone: number };
  to: OrderRecord;
  counts: { productId: string; delta: 1 | -1 }[];
  pairs: PairUpdate[];
}

export interface CoPurchaseStore {
  /** Strongly consistent. */
  getOrder(orderId: string): Promise<OrderRecord | undefined>;
  /** n(p) of each product (absent: 0). Strongly consistent. */
  counts(productIds: readonly string[]): Promise<Map<string, number>>;
  /** co(a, b) of each pair, keyed by `pairId(a, b)` (absent: 0). Strongly consistent. */
  pairCounts(pairs: readonly { a: string; b: string }[]): Promise<Map<string, number>>;
  /**
   * Applies the batch atomically: false, with nothing written, when the order record is no
   * longer as `from` says (another delivery of the order got there first).
   */
  applyBatch(write: BatchWrite): Promise<boolean>;
}

/** A partner of a product as the by-score index lists it. */
export interface Partner {
  productId: string;
  co: number;
}

export interface CatalogProduct {
  productId: string;
  name: string;
  category: string;
  rating: { average: number; count: number };
}

export interface RecommendationReads {
  /** Up to `limit` partners of the product, highest stored score first: one Query. */
  partners(productId: string, limit: number): Promise<Partner[]>;
  /**
   * The product and the partners from the catalog (deleted ones absent) and n of each: one
   * BatchGetItem over both tables.
   */
  lookup(
    productId: string,
    partnerIds: readonly string[],
  ): Promise<{ products: Map<string, CatalogProduct>; counts: Map<string, number> }>;
  /** Up to `limit` products of the category (the catalog's listing: newest first): one Query. */
  ofCategory(category: string, limit: number): Promise<CatalogProduct[]>;
}
