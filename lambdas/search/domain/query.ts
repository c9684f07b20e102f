/**
 * GET /search and GET /search/suggest: query parameters, and the OpenSearch request bodies built
 * from them, as pure functions (the adapter only sends what these return).
 */
import * as z from 'zod';
import { decodeCursor, encodeCursor, invalidCursor } from '#shared/cursor.ts';
import { ITEM_SOURCE_FIELDS, type SearchDocument, type SearchItem, toSearchItem } from './search-document.ts';

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_LIMIT = 20;

/** A comma list; repeated parameters arrive joined by commas, so `brand=a&brand=b` works too. */
const listParam = (what: string) =>
  z
    .string()
    .max(1000)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(100)).max(20, `${what}: at most 20 values.`))
    .meta({ description: `${what}: one value, a comma-separated list, or the parameter repeated.` });

const minorUnits = (what: string) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `${what}: a non-negative integer amount in minor units.`)
    .transform(Number)
    .meta({ description: `${what} in minor units (cents).` });

export const SearchQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional().meta({ description: 'Free text; one-edit typos still match.' }),
    category: listParam('category').optional(),
    brand: listParam('brand').optional(),
    minPrice: minorUnits('minPrice').optional(),
    maxPrice: minorUnits('maxPrice').optional(),
    minRating: z
      .string()
      .regex(/^\d(\.\d{1,2})?$/, 'minRating: a number from 0 to 5.')
      .transform(Number)
      .pipe(z.number().min(0).max(5))
      .optional()
      .meta({ description: 'Lowest average rating, 0..5.' }),
    sort: z.enum(SORTS).default('relevance'),
    cursor: z.string().max(2048).optional().meta({ description: 'nextCursor of the previous page.' }),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'limit: an integer from 1 to 100.')
      .transform(Number)
      .pipe(z.int().min(1).max(100))
      .optional()
      .meta({ description: `Page size, 1..100 (default ${DEFAULT_LIMIT}).` }),
  })
  .superRefine((query, ctx) => {
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      ctx.addIssue({ code: 'custom', path: ['minPrice'], message: 'minPrice is above maxPrice.' });
    }
  });

export type SearchQuery = z.output<typeof SearchQuerySchema>;

export const SuggestQuerySchema = z.object({
  q: z.string().trim().min(1).max(100).meta({ description: 'The prefix typed so far.' }),
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

type SortClause = Record<string, 'asc' | 'desc'>;

/**
 * The effective sort: relevance without a query has nothing to rank by, so it lists newest first.
 * Every sort ends with productId so ties have a stable order and search_after never skips or repeats.
 */
export function sortFor(sort: Sort, hasQuery: boolean): { key: string; clauses: SortClause[] } {
  const tiebreak: SortClause = { productId: 'asc' };
  switch (sort) {
    case 'price_asc':
      return { key: sort, clauses: [{ minPrice: 'asc' }, tiebreak] };
    case 'price_desc':
      return { key: sort, clauses: [{ minPrice: 'desc' }, tiebreak] };
    case 'rating':
      return { key: sort, clauses: [{ 'rating.average': 'desc' }, { 'rating.count': 'desc' }, tiebreak] };
    case 'relevance':
      if (hasQuery) return { key: sort, clauses: [{ _score: 'desc' }, { createdAt: 'desc' }, tiebreak] };
      return { key: 'newest', clauses: [{ createdAt: 'desc' }, tiebreak] };
    case 'newest':
      return { key: sort, clauses: [{ createdAt: 'desc' }, tiebreak] };
  }
}

/** The cursor: base64url of `{ s: <sort key>, a: <search_after values of the page's last hit> }`. */
export function encodeSearchCursor(sortKey: string, after: unknown[]): string {
  return encodeCursor({ s: sortKey, a: after });
}

export function decodeSearchCursor(cursor: string, sortKey: string, length: number): (string | number)[] {
  const value = decodeCursor(cursor) as { s?: unknown; a?: unknown } | null;
  const after = value?.a;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    value.s === sortKey &&
    Array.isArray(after) &&
    after.length === length &&
    after.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  if (!ok) throw invalidCursor('The cursor is not valid for this search (was the sort changed?).');
  return after as (string | number)[];
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
  if (query.cursor) body.search_after = decodeSearchCursor(query.cursor, sort.key, sort.clauses.length);
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
    result.nextCursor = encodeSearchCursor(sortFor(query.sort, hasText(query)).key, last.sort);
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
