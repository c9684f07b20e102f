/** GET /search/suggest?q= (public): up to 10 product names starting with what was typed. */
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { productIndex } from '../adapters/wiring.ts';
import { buildSuggestBody, SuggestQuerySchema, toSuggestions } from '../domain/query.ts';

export const handler = httpHandler(async (event) => {
  const { q } = validate(SuggestQuerySchema, queryParams(event), 'query');
  const response = await (await productIndex()).search(buildSuggestBody(q));
  return { status: 200, body: { suggestions: response ? toSuggestions(response) : [] } };
});
