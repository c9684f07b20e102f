/**
 * The recommendations table's layout, shared by the adapters and the table's declaration; no SDK
 * here, so synthesis loads none. One table, pk/sk strings:
 *
 *   ORDER#<orderId>  ORDER     an order's progress: status, productIds, batches, batchesDone, counts
 *   PRODUCT#<p>      N         n: orders containing p
 *   CO#<a>           P#<b>     partner b of a: co, score (as of its last write), partner, rank
 *
 * `byScore` is a local secondary index on (pk, rank): rank is the inverted, zero-padded score and
 * the partner's id, so a product's partners come highest score first from one Query. An LSI
 * rather than a GSI: it changes with the item in the same write and reads its own partition.
 */
export const RECOMMENDATIONS_TABLE_ENV = 'RECOMMENDATIONS_TABLE';
export const PRODUCTS_TABLE_ENV = 'PRODUCTS_TABLE';
export const BY_SCORE_INDEX = 'byScore';
export const RANK_ATTRIBUTE = 'rank';
/** The LSI carries what the read needs besides the keys. */
export const BY_SCORE_PROJECTION = ['co', 'partner'] as const;

/**
 * The catalog's index of a category's products (its listing, `GET /products?category=`), keyed
 * `gsi1pk = CATEGORY#<category>`, newest first: the fallback reads it.
 */
export const CATALOG_CATEGORY_INDEX = 'gsi1';
export const catalogCategoryKey = (category: string) => `CATEGORY#${category}`;

export const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });
export const countKey = (productId: string) => ({ pk: `PRODUCT#${productId}`, sk: 'N' });
export const pairKey = (a: string, b: string) => ({ pk: `CO#${a}`, sk: `P#${b}` });

const SCALE = 1_000_000_000;

/** Ascending rank = descending score; equal scores by partner id. */
export function rankOf(score: number, partner: string): string {
  const clamped = Math.min(1, Math.max(0, score));
  return `${String(SCALE - Math.round(clamped * SCALE)).padStart(10, '0')}#${partner}`;
}
