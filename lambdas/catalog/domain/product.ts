/**
 * The product model and the schemas that validate it. These same schemas feed the OpenAPI
 * document, so what the API rejects and what it documents cannot drift apart.
 */
import * as z from 'zod';
import { cursorParam, limitParam } from '#shared/cursor.ts';
import { UnprocessableError } from '#shared/errors.ts';
import { boundedString, freeText, maxChars } from '#shared/text.ts';

/**
 * One product write is one DynamoDB transaction: the product plus one claim per SKU, and DynamoDB
 * caps a transaction at 100 items. Hence at most 99 variants.
 */
export const MAX_VARIANTS = 99;
export const MAX_TRANSACTION_ITEMS = 100;

export const SKU_PATTERN = /^[A-Z0-9_-]{1,64}$/;
export const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The highest price, in minor units ($10,000,000.00): a full cart (50 lines of 99) and any order
 * total stay far inside the integers JSON and JavaScript represent exactly.
 */
export const MAX_AMOUNT = 1_000_000_000;

export const MoneySchema = z
  .strictObject({
    amount: z.int().min(0).meta({ description: 'Integer minor units (cents).' }),
    currency: z.literal('USD').meta({ description: 'ISO 4217 code; the store sells in USD.' }),
  })
  .meta({ id: 'Money' });

/** A variant's price: Money up to MAX_AMOUNT. */
export const PriceSchema = MoneySchema.extend({
  amount: z
    .int()
    .min(0)
    .max(MAX_AMOUNT)
    .meta({ description: `Integer minor units (cents), at most ${MAX_AMOUNT}.` }),
}).meta({ id: 'Price' });

/**
 * The attribute-key rule, the one rule for every key of a free-form map in a product: ASCII words
 * such as `color`, `screen size`, `model_no`, `x-ray`, which every store, index and client can hold
 * as a plain property name.
 */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)*$/;
export const MAX_ATTRIBUTE_KEY_LENGTH = 64;
export const MAX_ATTRIBUTES = 50;

/**
 * Keys that name members of every JavaScript object (Object.prototype, plus `prototype`). As
 * property names they shadow or replace what code reading the map relies on (`__proto__` is not
 * even kept as a property), so they are refused rather than stored under a name that breaks.
 */
export const RESERVED_ATTRIBUTE_KEYS: readonly string[] = [
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'prototype',
  'toLocaleString',
  'toString',
  'valueOf',
];
const reserved = new Set(RESERVED_ATTRIBUTE_KEYS);

const ATTRIBUTE_KEY_RULE =
  `1-${MAX_ATTRIBUTE_KEY_LENGTH} characters: a letter, then ASCII letters, digits, "_" and "-", ` +
  'words separated by single spaces; not a name reserved by JavaScript objects ' +
  `(${RESERVED_ATTRIBUTE_KEYS.join(', ')}).`;

export const AttributeKeySchema = z
  .string()
  .refine(
    (key) => !reserved.has(key),
    'Attribute key: a reserved name (a member of every JavaScript object).',
  )
  .max(MAX_ATTRIBUTE_KEY_LENGTH, `Attribute key: at most ${MAX_ATTRIBUTE_KEY_LENGTH} characters.`)
  .regex(
    ATTRIBUTE_KEY_PATTERN,
    'Attribute key: a letter, then ASCII letters, digits, "_" and "-", words separated by single spaces.',
  );

/**
 * A map of string values under keys that obey `key`. The keys are checked on the object as the
 * JSON parser built it: a record copies entries by assignment and so would drop an own
 * `__proto__` without a word; checked first, it is a field error at its own path instead.
 */
function freeFormMap(key: z.ZodType<string>, value: z.ZodType<string>, maxEntries: number) {
  return z.preprocess(
    (raw, ctx) => {
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
        for (const name of Object.keys(raw)) {
          const checked = key.safeParse(name);
          if (!checked.success) {
            const message = checked.error.issues[0]?.message ?? 'Invalid key.';
            ctx.addIssue({ code: 'custom', path: [name], message, input: name });
          }
        }
      }
      return raw;
    },
    z
      .record(key, value)
      .refine((map) => Object.keys(map).length <= maxEntries, `At most ${maxEntries} attributes.`),
  );
}

const AttributesSchema = freeFormMap(AttributeKeySchema, maxChars(500), MAX_ATTRIBUTES).meta({
  maxProperties: MAX_ATTRIBUTES,
  // OpenAPI 3.0 has no `propertyNames`: the key rule, as JSON Schema would state it, in an extension.
  'x-propertyNames': {
    maxLength: MAX_ATTRIBUTE_KEY_LENGTH,
    pattern: ATTRIBUTE_KEY_PATTERN.source,
    not: { enum: [...RESERVED_ATTRIBUTE_KEYS] },
  },
  description:
    `Free-form string attributes, e.g. { "color": "black" }: at most ${MAX_ATTRIBUTES}, values up to ` +
    `500 characters. Keys: ${ATTRIBUTE_KEY_RULE} A key outside the rule is a 400 whose field ` +
    'error names it (`attributes.<key>`, `variants.<i>.attributes.<key>`).',
});

export const VariantSchema = z
  .strictObject({
    sku: z.string().regex(SKU_PATTERN, 'SKU: 1-64 of A-Z, 0-9, "-" and "_".'),
    attributes: AttributesSchema.default({}),
    price: PriceSchema,
  })
  .meta({ id: 'Variant' });

const productFields = {
  name: freeText(200, 'Name'),
  description: maxChars(5000).default(''),
  brand: freeText(100, 'Brand'),
  category: z.string().max(64).regex(CATEGORY_PATTERN, 'Category: a lowercase slug such as "outdoor-gear".'),
  images: z
    .array(z.url({ protocol: /^https?$/, error: 'Image: an http(s) URL.' }))
    .max(20)
    .default([]),
  attributes: AttributesSchema.default({}),
  variants: z.array(VariantSchema).min(1).max(MAX_VARIANTS),
};

/** The body of POST /admin/products and PUT /admin/products/{productId}. Unknown fields are errors. */
export const ProductWriteSchema = z.strictObject(productFields).meta({ id: 'ProductWrite' });

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

export const MAX_PRODUCT_ID_LENGTH = 128;

/** A product id in a path or a body: bounded; whether a product has it is for the store to say. */
export const ProductIdSchema = boundedString(
  MAX_PRODUCT_ID_LENGTH,
  `1 to ${MAX_PRODUCT_ID_LENGTH} characters.`,
);

/**
 * The `{productId}` of the catalog routes. Past 128 characters it is malformed (400); any shorter
 * string that is not a product's id (a UUIDv7) is an unknown product (404), without a read.
 */
export const ProductPathSchema = z.object({
  productId: ProductIdSchema.meta({
    description:
      'The product id (a lowercase UUIDv7, as the catalog assigns). Longer than 128 characters: 400; ' +
      "any other value that is no product's id: 404.",
    example: '0190a6f2-3c4d-7e5f-8a6b-7c8d9e0f1a2b',
  }),
});

export const ListProductsQuerySchema = z.object({
  category: productFields.category.optional().meta({ description: 'Only this category (a lowercase slug).' }),
  limit: limitParam('Products', 100, 20),
  cursor: cursorParam('category', 'listing'),
});

export const ProductPageSchema = z
  .object({ items: z.array(ProductSchema), nextCursor: z.string().optional() })
  .meta({ id: 'ProductPage' });

export type Money = z.output<typeof MoneySchema>;
export type Variant = z.output<typeof VariantSchema>;
export type ProductInput = z.output<typeof ProductWriteSchema>;

/**
 * Two variants with one SKU: each field is well-formed (JSON Schema cannot say "unique by sku"),
 * so the product is refused as unprocessable (422), not as malformed.
 */
export function checkDistinctSkus(product: ProductInput): void {
  const seen = new Set<string>();
  for (const variant of product.variants) {
    if (seen.has(variant.sku))
      throw new UnprocessableError(`Duplicate SKU ${variant.sku}: each variant has its own.`);
    seen.add(variant.sku);
  }
}
export type Product = z.output<typeof ProductSchema>;
export type ListProductsQuery = z.output<typeof ListProductsQuerySchema>;
