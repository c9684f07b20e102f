/**
 * The recommendations route of the OpenAPI document (API.md, "Reviews and recommendations"),
 * registered by `lambdas/ops/openapi.ts` from the schemas the handler uses. Only the OpenApi
 * function imports this.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServiceDocOptions } from '#shared/openapi-doc.ts';
import { RecommendationsPathSchema, RecommendationsSchema } from './domain/schemas.ts';

export function registerRecommendationsPaths(
  registry: OpenAPIRegistry,
  { problem }: Pick<ServiceDocOptions, 'problem'>,
): void {
  registry.registerPath({
    method: 'get',
    path: '/products/{productId}/recommendations',
    tags: ['recommendations'],
    summary: 'Products bought together with this one',
    description:
      'Up to 10 products, most similar first: cosine similarity over the orders that hold both (co(a, b) / sqrt(n(a) * n(b))), so best-sellers do not win by volume alone. Never the product itself or a deleted product. A product nobody bought with anything yet gets the best-rated products of its category (score: rating average / 5). Cancelled orders do not count.',
    request: { params: RecommendationsPathSchema },
    responses: {
      200: {
        description: 'The recommendations (possibly none)',
        headers: {
          'x-request-id': { description: 'Correlates the response with logs.', schema: { type: 'string' } },
        },
        content: { 'application/json': { schema: RecommendationsSchema } },
      },
      400: problem('A product id no product can have (see `productId`); `errors` names `productId`.'),
      404: problem('No such product (or it was deleted).'),
    },
  });
}
