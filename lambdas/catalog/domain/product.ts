/**
 * The product model and the schemas that validate it. These same schemas feed the OpenAPI
 * document, so what the API rejects and what it documents cannot drift apart.
 */
import * as z from 'zod';

/**
 * One product write is one DynamoDB transaction: the product plus one claim per SKU, and DynamoDB
 * caps a transaction at 100 items. Hence at most 99 variants.
 */
export const MAX_VARIANTS = 99;
export const MAX_TRANSACTION_ITEMS = 100;

export const SKU_PATTERN = /^[A-Z0-9_-]{1,64}$/;
export const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const MoneySchema = z
  .strictObject({
    amount: z.int().min(0).meta({ description: 'Integer minor units (cents).' }),
    currency: z.literal('USD').meta({ description: 'ISO 4217 code; the store sells in USD.' }),
  })
  .meta({ id: 'Money' });

const AttributesSchema = z
  .record(z.string().min(1).max(64), z.string().max(500))
  .refine((attributes) => Object.keys(attributes).length <= 50, 'At most 50 attributes.')
  .meta({ description: 'Free-form string attributes, e.g. { "color": "black" }.' });

export const VariantSchema = z
  .strictObject({
    sku: z.string().regex(SKU_PATTERN, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".'),
    attributes: AttributesSchema.default({}),
    price: MoneySchema,
  })
  .meta({ id: 'Variant' });

const productFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  brand: z.string().trim().min(1).max(100),
  category: z.string().max(64).regex(CATEGORY_PATTERN, 'Category: a lowercase slug such as "outdoor-gear".'),
  images: z
    .array(z.url({ protocol: /^https?$/, error: 'Image: an http(s) URL.' }))
    .max(20)
    .default([]),
  attributes: AttributesSchema.default({}),
  variants: z.array(VariantSchema).min(1).max(MAX_VARIANTS),
};

/** The body of POST /admin/products and PUT /admin/products/{productId}. Unknown fields are errors. */
export const ProductWriteSchema = z
  .strictObject(productFields)
  .superRefine((product, ctx) => {
    const seen = new Set<string>();
    product.variants.forEach((variant, i) => {
      if (seen.has(variant.sku)) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'sku'],
          message: `Duplicate SKU ${variant.sku}.`,
        });
      }
      seen.add(variant.sku);
    });
  })
  .meta({ id: 'ProductWrite' });

export const RatingSchema = z
  .object({ average: z.number().min(0).max(5), count: z.int().min(0) })
  .meta({ id: 'Rating' });

export const ProductSchema = z
  .object({
    productId: z.string(),
    ...productFields,
    rating: RatingSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });

export const ProductIdSchema = z.string().min(1).max(128);

export const ListProductsQuerySchema = z.object({
  category: productFields.category.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit: an integer from 1 to 100.')
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .optional(),
  cursor: z.string().max(2048).optional(),
});

export const ProductPageSchema = z
  .object({ items: z.array(ProductSchema), nextCursor: z.string().optional() })
  .meta({ id: 'ProductPage' });

export type Money = z.output<typeof MoneySchema>;
export type Variant = z.output<typeof VariantSchema>;
export type ProductInput = z.output<typeof ProductWriteSchema>;
export type Product = z.output<typeof ProductSchema>;
export type ListProductsQuery = z.output<typeof ListProductsQuerySchema>;
