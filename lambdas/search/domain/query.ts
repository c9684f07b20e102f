/**
 * GET /search and GET /search/suggest: query parameters, and the OpenSearch request bodies built
 * from them, as pure functions (the adapter only sends what these return).
 */
import * as z from 'zod';
import {
  cursorParam,
  encodeCursor,
  invalidCursor,
  limitParam,
  parseCursor,
  queryBinding,
  wrongQueryCursor,
} from '#shared/cursor.ts';
import { UnprocessableError } from '#shared/errors.ts';
import { freeText, maxChars } from '#shared/text.ts';
import { ITEM_SOURCE_FIELDS, type SearchDocument, type SearchItem, toSearchItem } from './search-document.ts';

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_LIMIT = 20;

/** At most this many values in a list filter, each at most MAX_FILTER_VALUE_LENGTH characters. */
export const MAX_FILTER_VALUES = 20;
export const MAX_FILTER_VALUE_LENGTH = 100;

/**
 * A list filter: the parameter repeated (`brand=a&brand=b`), one value each, matched exactly but
 * for case. Values arrive as the gateway's list of the parameter's values, so a value may hold a
 * comma ("Smith, Jones & Co"). Empty values (a form's blank field) count toward the limit and are
 * then ignored.
 */
const listParam = (what: string) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? [value] : value),
      z
        .array(
          maxChars(
            MAX_FILTER_VALUE_LENGTH,
            `${what}: values of at most ${MAX_FILTER_VALUE_LENGTH} characters.`,
          ),
        )
        .max(MAX_FILTER_VALUES, `${what}: at most ${MAX_FILTER_VALUES} values.`)
        .transform((values) => values.filter((value) => value !== '')),
    )
    .meta({
      description:
        `${what}: the parameter repeated, one value each, at most ${MAX_FILTER_VALUES} values (empty ` +
        'ones ignored); matches any of them, case-insensitively.',
    });

/** The list filters, read from every occurrence of their parameter rather than a joined string. */
export const LIST_FILTERS = ['category', 'brand'] as const;

/** The largest amount a price filter takes, in minor units (12 digits). */
export const MAX_PRICE_FILTER = 999_999_999_999;

/**
 * An integer query parameter spelled in decimal digits only (no sign, exponent or spaces); any
 * other spelling stays a string, which `schema` refuses.
 */
const digits = (schema: z.ZodInt) =>
  z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), schema);

const minorUnits = (what: string) => {
  const message = `${what}: a whole amount in minor units, 0..${MAX_PRICE_FILTER}.`;
  return digits(z.int({ error: message }).min(0, message).max(MAX_PRICE_FILTER, message)).meta({
    description: `${what} in minor units (cents).`,
  });
};

/** A number as JSON spells it (what a client's `String(n)` sends, `1e-7` included). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const RATING_MESSAGE = 'minRating: a number from 0 to 5.';

export const SearchQuerySchema = z.object({
  q: maxChars(200, 'q: at most 200 characters.')
    .trim()
    .optional()
    .meta({ description: 'Free text; one-edit typos still match.' }),
  category: listParam('category').optional(),
  brand: listParam('brand').optional(),
  minPrice: minorUnits('minPrice').optional(),
  maxPrice: minorUnits('maxPrice').optional(),
  minRating: z
    .preprocess(
      (value) => (typeof value === 'string' && JSON_NUMBER.test(value) ? Number(value) : value),
      z.number({ error: RATING_MESSAGE }).min(0, RATING_MESSAGE).max(5, RATING_MESSAGE),
    )
    .optional()
    .meta({ description: 'Lowest average rating, 0..5.' }),
  sort: z.enum(SORTS).default('relevance'),
  cursor: cursorParam('q, filters and sort', 'search'),
  limit: limitParam('Results', 100, DEFAULT_LIMIT),
});

/**
 * The rule no single parameter states: a price range with its minimum above its maximum is a
 * well-formed query no product can match, answered 422 rather than an empty page.
 */
export function checkSearchQuery(query: SearchQuery): void {
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
    throw new UnprocessableError(
      `minPrice (${query.minPrice}) is above maxPrice (${query.maxPrice}): no price is in that range.`,
    );
  }
}

export type SearchQuery = z.output<typeof SearchQuerySchema>;

export const SuggestQuerySchema = z.object({
  q: freeText(100, 'q').meta({ description: 'The prefix typed so far (surrounding spaces are ignored).' }),
});

const MoneySchema = z.object({ amount: z.int(), currency: z.string() });
const Bucket = z.object({ value: z.string(), count: z.int() });

export const SearchResultSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        brand: z.string(),
        category: z.string(),
        price: MoneySchema.meta({ description: 'The lowest variant price.' }),
        rating: z.object({ average: z.number(), count: z.int() }),
        image: z.string().optional(),
      }),
    ),
    total: z.int(),
    facets: z.object({
      category: z.array(Bucket),
      brand: z.array(Bucket),
      price: z.array(
        z.object({
          from: z.int().optional().meta({ description: 'Inclusive, minor units.' }),
          to: z.int().optional().meta({ description: 'Exclusive, minor units.' }),
          count: z.int(),
        }),
      ),
      rating: z.array(z.object({ min: z.number(), count: z.int() })),
    }),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'SearchResult' });

export const SuggestResultSchema = z
  .object({ suggestions: z.array(z.object({ text: z.string(), productId: z.string() })).max(10) })
  .meta({ id: 'SuggestResult' });

export type SearchResult = z.output<typeof SearchResultSchema>;

/** Price facet buckets in minor units: [from, to). */
export const PRICE_BUCKETS: { from?: number; to?: number }[] = [
  { to: 1_000 },
  { from: 1_000, to: 2_500 },
  { from: 2_500, to: 5_000 },
  { from: 5_000, to: 10_000 },
  { from: 10_000, to: 25_000 },
  { from: 25_000, to: 50_000 },
  { from: 50_000 },
];
export const RATING_MINIMUMS = [4, 3, 2, 1];

/** Text fields and their weights: the name matters most, then the brand. */
export const TEXT_FIELDS = ['name^3', 'brand.text^2', 'category.text', 'description'];

/** Product ids are UUIDv7 in lowercase hex (the catalog's ids.ts); the index holds no others. */
export const PRODUCT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The largest value of a float field, and of an integer field. */
const FLOAT_MAX = 3.4028234663852886e38;
const INTEGER_MAX = 2 ** 31 - 1;
/** 9999-12-31T23:59:59.999Z: the last instant createdAt (a four-digit-year ISO string) can name. */
const EPOCH_MS_MAX = 253_402_300_799_999;

/**
 * Every field a sort uses, with the sort values OpenSearch returns for it under the index mapping
 * (index-definition.ts): these are the only values a cursor can carry back as search_after, so a
 * value OpenSearch could not parse never reaches it.
 */
const SORT_VALUES = {
  // float: a finite, non-negative relevance score.
  _score: z.number().min(0).max(FLOAT_MAX),
  // date: returned as epoch milliseconds.
  createdAt: z.int().min(0).max(EPOCH_MS_MAX),
  // long: minor units, never negative.
  minPrice: z.int().min(0),
  // float: an average rating, 0..5.
  'rating.average': z.number().min(0).max(5),
  // integer: a count of ratings.
  'rating.count': z.int().min(0).max(INTEGER_MAX),
  // keyword: the tiebreak, a product id.
  productId: z.string().regex(PRODUCT_ID_PATTERN),
} satisfies Record<string, z.ZodType<string | number>>;

export type SortField = keyof typeof SORT_VALUES;
type Direction = 'asc' | 'desc';
type SortClause = Partial<Record<SortField, Direction>>;

export interface EffectiveSort {
  /** The sort actually run: relevance without text is newest. */
  key: Sort;
  fields: SortField[];
  clauses: SortClause[];
}

function sortOf(key: Sort, ...fields: [SortField, Direction][]): EffectiveSort {
  return {
    key,
    fields: fields.map(([field]) => field),
    clauses: fields.map(([field, direction]) => ({ [field]: direction })),
  };
}

/**
 * The effective sort: relevance without a query has nothing to rank by, so it lists newest first.
 * Every sort ends with productId so ties have a stable order and search_after never skips or repeats.
 */
export function sortFor(sort: Sort, hasQuery: boolean): EffectiveSort {
  const tiebreak: [SortField, Direction] = ['productId', 'asc'];
  switch (sort) {
    case 'price_asc':
      return sortOf(sort, ['minPrice', 'asc'], tiebreak);
    case 'price_desc':
      return sortOf(sort, ['minPrice', 'desc'], tiebreak);
    case 'rating':
      return sortOf(sort, ['rating.average', 'desc'], ['rating.count', 'desc'], tiebreak);
    case 'relevance':
      if (hasQuery) return sortOf(sort, ['_score', 'desc'], ['createdAt', 'desc'], tiebreak);
      return sortOf('newest', ['createdAt', 'desc'], tiebreak);
    case 'newest':
      return sortOf(sort, ['createdAt', 'desc'], tiebreak);
  }
}

const normalisedList = (values: string[] | undefined) =>
  values?.length ? [...new Set(values.map((v) => v.toLowerCase()))].sort() : null;

/**
 * What makes two searches the same result list: the text, the filters as the search applies them
 * (category and brand case-folded, in any order) and the effective sort. The page size is not part
 * of it, so a client may change `limit` between pages.
 */
export function normalisedSearch(query: SearchQuery): unknown[] {
  return [
    'search',
    hasText(query) ? query.q : null,
    normalisedList(query.category),
    normalisedList(query.brand),
    query.minPrice ?? null,
    query.maxPrice ?? null,
    query.minRating ?? null,
    sortFor(query.sort, hasText(query)).key,
  ];
}

/** The cursor envelope: `h` binds it to its search, `a` holds the last hit's sort values. */
const SearchCursorSchema = z.strictObject({ h: z.string(), a: z.array(z.unknown()) });

/** The cursor: base64url of `{ h: <query binding>, a: <search_after values of the page's last hit> }`. */
export function encodeSearchCursor(query: SearchQuery, after: unknown[]): string {
  return encodeCursor({ h: queryBinding(normalisedSearch(query)), a: after });
}

/**
 * The search_after values of a cursor issued for this very search: exactly one value per sort
 * field, each of that field's type and range. Anything else is a 400 on `cursor`.
 */
export function decodeSearchCursor(cursor: string, query: SearchQuery): (string | number)[] {
  const { h, a } = parseCursor(cursor, SearchCursorSchema);
  if (h !== queryBinding(normalisedSearch(query))) throw wrongQueryCursor();
  const [first, ...rest] = sortFor(query.sort, hasText(query)).fields.map((field) => SORT_VALUES[field]);
  if (!first) throw invalidCursor();
  const values = z.tuple([first, ...rest]).safeParse(a);
  if (!values.success) throw invalidCursor();
  return values.data;
}

function hasText(query: SearchQuery): query is SearchQuery & { q: string } {
  return typeof query.q === 'string' && query.q.length > 0;
}

export function buildFilters(query: SearchQuery): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  if (query.category?.length)
    filters.push({ terms: { category: query.category.map((c) => c.toLowerCase()) } });
  if (query.brand?.length) filters.push({ terms: { 'brand.norm': query.brand.map((b) => b.toLowerCase()) } });
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    filters.push({ range: { minPrice: { gte: query.minPrice, lte: query.maxPrice } } });
  }
  if (query.minRating !== undefined) filters.push({ range: { 'rating.average': { gte: query.minRating } } });
  return filters;
}

export function buildTextQuery(q: string): Record<string, unknown> {
  return {
    bool: {
      must: [
        {
          multi_match: {
            query: q,
            fields: TEXT_FIELDS,
            // AUTO allows one edit from 3 characters and two from 6: "headphnes" finds headphones.
            fuzziness: 'AUTO',
            prefix_length: 0,
            max_expansions: 50,
            // Up to three words all must match; longer queries may miss a quarter of their words.
            minimum_should_match: '3<-25%',
          },
        },
      ],
      // The same words matched exactly score higher than their fuzzy neighbours.
      should: [{ multi_match: { query: q, fields: TEXT_FIELDS, boost: 2 } }],
    },
  };
}

export function buildSearchBody(query: SearchQuery): Record<string, unknown> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const text = hasText(query);
  const sort = sortFor(query.sort, text);
  const body: Record<string, unknown> = {
    // One hit more than the page tells whether another page exists.
    size: limit + 1,
    track_total_hits: true,
    _source: ITEM_SOURCE_FIELDS,
    query: {
      bool: {
        must: text ? [buildTextQuery(query.q as string)] : [{ match_all: {} }],
        filter: buildFilters(query),
      },
    },
    sort: sort.clauses,
    aggs: {
      category: { terms: { field: 'category', size: 50 } },
      brand: { terms: { field: 'brand', size: 50 } },
      price: { range: { field: 'minPrice', ranges: PRICE_BUCKETS } },
      rating: { range: { field: 'rating.average', ranges: RATING_MINIMUMS.map((min) => ({ from: min })) } },
    },
  };
  if (query.cursor) body.search_after = decodeSearchCursor(query.cursor, query);
  return body;
}

/** The parts of an OpenSearch search response this module reads. */
export interface SearchResponseBody {
  hits: {
    total?: { value: number } | number;
    hits: { _source?: Partial<SearchDocument>; sort?: unknown[] }[];
  };
  aggregations?: Record<
    string,
    { buckets?: { key?: unknown; from?: number; to?: number; doc_count: number }[] }
  >;
}

const emptyFacets = (): SearchResult['facets'] => ({ category: [], brand: [], price: [], rating: [] });

export function emptySearchResult(): SearchResult {
  return { items: [], total: 0, facets: emptyFacets() };
}

export function toSearchResult(query: SearchQuery, response: SearchResponseBody): SearchResult {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const hits = response.hits.hits;
  const page = hits.slice(0, limit);
  const total =
    typeof response.hits.total === 'number' ? response.hits.total : (response.hits.total?.value ?? 0);
  const aggs = response.aggregations ?? {};
  const terms = (name: string) =>
    (aggs[name]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  const result: SearchResult = {
    items: page.map((hit): SearchItem => toSearchItem(hit._source ?? {})),
    total,
    facets: {
      category: terms('category'),
      brand: terms('brand'),
      price: (aggs.price?.buckets ?? []).map((b) => {
        const bucket: { from?: number; to?: number; count: number } = { count: b.doc_count };
        if (b.from !== undefined && b.from !== null) bucket.from = b.from;
        if (b.to !== undefined && b.to !== null) bucket.to = b.to;
        return bucket;
      }),
      rating: (aggs.rating?.buckets ?? []).map((b) => ({ min: b.from ?? 0, count: b.doc_count })),
    },
  };
  const last = page.at(-1);
  if (hits.length > limit && last?.sort) {
    result.nextCursor = encodeSearchCursor(query, last.sort);
  }
  return result;
}

export function buildSuggestBody(q: string): Record<string, unknown> {
  return {
    size: 10,
    _source: ['productId', 'name'],
    query: {
      multi_match: {
        query: q,
        type: 'bool_prefix',
        fields: ['suggest', 'suggest._2gram', 'suggest._3gram'],
      },
    },
  };
}

export function toSuggestions(response: SearchResponseBody): { text: string; productId: string }[] {
  return response.hits.hits
    .map((hit) => ({ text: hit._source?.name ?? '', productId: hit._source?.productId ?? '' }))
    .filter((s) => s.productId.length > 0)
    .slice(0, 10);
}
