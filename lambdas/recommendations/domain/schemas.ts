/** The route's schemas: the handler validates with them and the OpenAPI document shows them. */
import * as z from 'zod';
import { ProductIdSchema } from '#catalog/domain/product.ts';

/**
 * `{productId}`: the catalog's rule, as on every /products/{productId} route, so a value no
 * product can have is a 400 here exactly when it is there; an unknown one is a 404.
 */
export const RecommendationsPathSchema = z.object({
  productId: ProductIdSchema.meta({ description: 'The product, as the catalog names it.' }),
});

export const RecommendationSchema = z
  .object({
    productId: ProductIdSchema,
    name: z.string(),
    score: z.number().min(0).max(1).meta({
      description:
        'Cosine similarity over buyer counts, co(a, b) / sqrt(n(a) * n(b)); for a product without co-purchases, the rating average / 5 of the best-rated products of its category.',
    }),
  })
  .meta({ id: 'Recommendation' });

export const RecommendationsSchema = z
  .object({ items: z.array(RecommendationSchema).max(10) })
  .meta({ id: 'Recommendations' });

export type Recommendations = z.output<typeof RecommendationsSchema>;
