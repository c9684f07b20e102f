/** GET /search (public): full text, filters, facets, sorts and cursor pages (API.md, Search). */
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { productIndex } from '../adapters/wiring.ts';
import {
  buildSearchBody,
  checkSearchQuery,
  emptySearchResult,
  LIST_FILTERS,
  SearchQuerySchema,
  toSearchResult,
} from '../domain/query.ts';

export const handler = httpHandler(async (event) => {
  const params: Record<string, unknown> = queryParams(event);
  for (const name of LIST_FILTERS) {
    const values = event.multiValueQueryStringParameters?.[name];
    if (values) params[name] = values;
  }
  const query = validate(SearchQuerySchema, params, 'query');
  // Building the body decodes the cursor: a malformed one is a 400 before any 422.
  const body = buildSearchBody(query);
  checkSearchQuery(query);
  const response = await (await productIndex()).search(body);
  // No index yet means nothing was ever indexed: an empty result, not an error.
  return { status: 200, body: response ? toSearchResult(query, response) : emptySearchResult() };
});
