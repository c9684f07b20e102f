/** The route's schemas: the handler validates with them and the OpenAPI document shows them. */
import * as z from 'zod';

/** What a product id can be anywhere in the store (the catalog's ids are UUIDv7s). */
export const RecommendationsProductIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'productId: 1-128 of A-Z, a-z, 0-9, "_", ".", ":" and "-".');

export const RecommendationSchema = z
  .object({
    productId: z.string(),
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
