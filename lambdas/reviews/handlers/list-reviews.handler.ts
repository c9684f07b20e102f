/** GET /products/{productId}/reviews?sort=&limit=&cursor= (public): a page and the summary. One Query, two GetItems. */
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { decodeReviewsCursor, encodeReviewsCursor } from '../domain/list-cursor.ts';
import { ListReviewsQuerySchema } from '../domain/review.ts';
import { listReviews } from '../domain/use-cases.ts';
import { productPath } from './params.ts';

export const handler = httpHandler(async (event) => {
  const { productId } = productPath(event);
  const query = validate(ListReviewsQuerySchema, queryParams(event), 'query');
  const after =
    query.cursor === undefined ? undefined : decodeReviewsCursor(query.cursor, productId, query.sort);
  const page = await listReviews(deps, productId, query, after);
  return {
    status: 200,
    body: {
      items: page.items,
      ...(page.last ? { nextCursor: encodeReviewsCursor(productId, query.sort, page.last) } : {}),
      summary: page.summary,
    },
  };
});
