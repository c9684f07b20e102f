/**
 * The reviews table's layout, shared by the adapter and the table's declaration
 * (lib/services/reviews/reviews-data.ts). One table, keys `pk`/`sk`:
 * - review: `REVIEW#<reviewId>` / `REVIEW`: PUT, DELETE and the admin's hide name the review only,
 *   so it is keyed by its id (one GetItem). While visible it carries `listKey` (`PRODUCT#<id>`),
 *   `newestKey` (`<createdAt>#<reviewId>`) and `ratingKey` (`<rating>#<createdAt>#<reviewId>`):
 *   the two sparse indexes list a product's visible reviews newest first or by rating (highest,
 *   then newest) in one Query each; hiding removes `listKey`, which takes it out of both.
 * - author claim: `PRODUCT#<productId>` / `AUTHOR#<userId>` -> reviewId: the 409 check is one
 *   GetItem, and its `attribute_not_exists` in the create transaction makes two racing POSTs of
 *   one author one review.
 * - summary: `PRODUCT#<productId>` / `SUMMARY`: count, sum, h1..h5, version; `unpublishedShard`
 *   while a change has not been published (sparse index `unpublished`, read by the sweeper).
 * - purchases: `BUYER#<userId>` / `PRODUCT#<productId>`: `orders`, the string set of non-cancelled
 *   order ids holding it (absent when empty).
 * - order record: `ORDER#<orderId>` / `PURCHASES`: userId, productIds, cancelled.
 */
export const REVIEWS_TABLE_ENV = 'REVIEWS_TABLE';

export const BY_NEWEST_INDEX = 'byNewest';
export const BY_NEWEST_KEYS = { partition: 'listKey', sort: 'newestKey' } as const;
export const BY_RATING_INDEX = 'byRating';
export const BY_RATING_KEYS = { partition: 'listKey', sort: 'ratingKey' } as const;
export const UNPUBLISHED_INDEX = 'unpublished';
export const UNPUBLISHED_KEYS = { partition: 'unpublishedShard', sort: 'productId' } as const;
/** Every review write marks its product: spread so the index's partitions share the writes. */
export const UNPUBLISHED_SHARDS = 8;

export const reviewKey = (reviewId: string) => ({ pk: `REVIEW#${reviewId}`, sk: 'REVIEW' });
export const productPartition = (productId: string) => `PRODUCT#${productId}`;
export const authorKey = (productId: string, userId: string) => ({
  pk: productPartition(productId),
  sk: `AUTHOR#${userId}`,
});
export const summaryKey = (productId: string) => ({ pk: productPartition(productId), sk: 'SUMMARY' });
export const purchaseKey = (userId: string, productId: string) => ({
  pk: `BUYER#${userId}`,
  sk: `PRODUCT#${productId}`,
});
export const orderRecordKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'PURCHASES' });
export const newestKey = (createdAt: string, reviewId: string) => `${createdAt}#${reviewId}`;
export const ratingKey = (rating: number, createdAt: string, reviewId: string) =>
  `${rating}#${createdAt}#${reviewId}`;
