import { describe, expect, it } from 'vitest';
import {
  buildSearchBody,
  buildSuggestBody,
  decodeSearchCursor,
  encodeSearchCursor,
  type SearchQuery,
  SearchQuerySchema,
  type SearchResponseBody,
  toSearchResult,
  toSuggestions,
} from '#search/domain/query.ts';
import { ValidationError } from '#shared/errors.ts';

const parse = (params: Record<string, string>) => SearchQuerySchema.parse(params);

interface Bool {
  bool: { must: unknown[]; filter: unknown[] };
}

describe('search parameters', () => {
  // The same cases as the end-to-end search suite.
  it.each([
    { sort: 'cheapest' },
    { minPrice: '-5' },
    { minPrice: 'abc' },
    { limit: '500' },
    { limit: '0' },
    { minRating: '9' },
    { minPrice: '500', maxPrice: '100' },
  ])('rejects %o', (params) => {
    expect(SearchQuerySchema.safeParse(params).success).toBe(false);
  });

  it('parses lists, money and defaults', () => {
    expect(
      parse({ q: ' lamp ', brand: 'Alpha, Beta', minPrice: '3000', maxPrice: '10000', minRating: '3.5' }),
    ).toEqual({
      q: 'lamp',
      brand: ['Alpha', 'Beta'],
      minPrice: 3000,
      maxPrice: 10000,
      minRating: 3.5,
      sort: 'relevance',
    });
  });

  it('rejects a cursor that is not one of ours', () => {
    expect(() => buildSearchBody(parse({ cursor: '%%%' }))).toThrow(ValidationError);
    expect(() => buildSearchBody(parse({ cursor: 'bm90LWpzb24' }))).toThrow(ValidationError);
  });
});

describe('search body', () => {
  it('puts every filter in filter context, lowercased for keyword matching', () => {
    const body = buildSearchBody(
      parse({ category: 'Books', brand: 'Beta', minPrice: '3000', maxPrice: '10000', minRating: '4' }),
    );
    const query = body.query as Bool;
    expect(query.bool.must).toEqual([{ match_all: {} }]);
    expect(query.bool.filter).toEqual([
      { terms: { category: ['books'] } },
      { terms: { 'brand.norm': ['beta'] } },
      { range: { minPrice: { gte: 3000, lte: 10000 } } },
      { range: { 'rating.average': { gte: 4 } } },
    ]);
  });

  it('matches text fuzzily over weighted fields and boosts exact matches', () => {
    const body = buildSearchBody(parse({ q: 'headphnes' }));
    const text = (body.query as Bool).bool.must[0] as {
      bool: {
        must: { multi_match: Record<string, unknown> }[];
        should: { multi_match: Record<string, unknown> }[];
      };
    };
    const fuzzy = text.bool.must[0]?.multi_match;
    expect(fuzzy).toMatchObject({ query: 'headphnes', fuzziness: 'AUTO' });
    expect(fuzzy?.fields).toEqual(
      expect.arrayContaining(['name^3', 'brand.text^2', 'category.text', 'description']),
    );
    expect(text.bool.should[0]?.multi_match.fuzziness).toBeUndefined();
  });

  it.each([
    ['price_asc', [{ minPrice: 'asc' }, { productId: 'asc' }]],
    ['price_desc', [{ minPrice: 'desc' }, { productId: 'asc' }]],
    ['newest', [{ createdAt: 'desc' }, { productId: 'asc' }]],
    ['rating', [{ 'rating.average': 'desc' }, { 'rating.count': 'desc' }, { productId: 'asc' }]],
  ])('sorts by %s with a productId tiebreak', (sort, clauses) => {
    expect(buildSearchBody(parse({ sort })).sort).toEqual(clauses);
  });

  it('ranks by score with a query and by recency without one', () => {
    expect(buildSearchBody(parse({ q: 'lamp' })).sort).toEqual([
      { _score: 'desc' },
      { createdAt: 'desc' },
      { productId: 'asc' },
    ]);
    expect(buildSearchBody(parse({})).sort).toEqual([{ createdAt: 'desc' }, { productId: 'asc' }]);
  });

  it('asks for one hit more than the page and for the four facets', () => {
    const body = buildSearchBody(parse({ limit: '2' }));
    expect(body.size).toBe(3);
    expect(body.track_total_hits).toBe(true);
    expect(Object.keys(body.aggs as object)).toEqual(['category', 'brand', 'price', 'rating']);
  });
});

describe('cursor', () => {
  it('round-trips search_after values through an opaque string', () => {
    const cursor = encodeSearchCursor('price_asc', [4000, 'p-2']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(cursor, 'price_asc', 2)).toEqual([4000, 'p-2']);
    expect(buildSearchBody(parse({ sort: 'price_asc', cursor })).search_after).toEqual([4000, 'p-2']);
  });

  it('refuses a cursor from another sort', () => {
    const cursor = encodeSearchCursor('price_asc', [4000, 'p-2']);
    expect(() => buildSearchBody(parse({ sort: 'price_desc', cursor }))).toThrow(ValidationError);
  });
});

function hit(productId: string, minPrice: number, sort: unknown[]) {
  return {
    _source: { productId, name: `n-${productId}`, brand: 'Alpha', category: 'c', minPrice, currency: 'USD' },
    sort,
  };
}

describe('search result', () => {
  const response: SearchResponseBody = {
    hits: {
      total: { value: 5 },
      hits: [hit('a', 1000, [1000, 'a']), hit('b', 4000, [4000, 'b']), hit('c', 7500, [7500, 'c'])],
    },
    aggregations: {
      category: { buckets: [{ key: 'c', doc_count: 5 }] },
      brand: {
        buckets: [
          { key: 'Alpha', doc_count: 2 },
          { key: 'Beta', doc_count: 2 },
        ],
      },
      price: {
        buckets: [
          { key: '*-1000.0', to: 1000, doc_count: 0 },
          { key: '1000.0-2500.0', from: 1000, to: 2500, doc_count: 1 },
          { key: '50000.0-*', from: 50000, doc_count: 0 },
        ],
      },
      rating: { buckets: [{ key: '4.0-*', from: 4, doc_count: 0 }] },
    },
  };

  it('maps hits, totals and facets, and pages with the last shown hit', () => {
    const query: SearchQuery = parse({ sort: 'price_asc', limit: '2' });
    const result = toSearchResult(query, response);
    expect(result.items.map((i) => i.price)).toEqual([
      { amount: 1000, currency: 'USD' },
      { amount: 4000, currency: 'USD' },
    ]);
    expect(result.total).toBe(5);
    expect(result.facets).toEqual({
      category: [{ value: 'c', count: 5 }],
      brand: [
        { value: 'Alpha', count: 2 },
        { value: 'Beta', count: 2 },
      ],
      price: [
        { to: 1000, count: 0 },
        { from: 1000, to: 2500, count: 1 },
        { from: 50000, count: 0 },
      ],
      rating: [{ min: 4, count: 0 }],
    });
    expect(decodeSearchCursor(result.nextCursor ?? '', 'price_asc', 2)).toEqual([4000, 'b']);
  });

  it('has no cursor on the last page', () => {
    expect(toSearchResult(parse({ limit: '3' }), response).nextCursor).toBeUndefined();
  });
});

describe('suggest', () => {
  it('queries the search_as_you_type subfields by prefix, at most 10', () => {
    const body = buildSuggestBody('espr');
    expect(body.size).toBe(10);
    expect(body.query).toEqual({
      multi_match: {
        query: 'espr',
        type: 'bool_prefix',
        fields: ['suggest', 'suggest._2gram', 'suggest._3gram'],
      },
    });
    expect(toSuggestions({ hits: { hits: [{ _source: { productId: 'p', name: 'Espresso' } }] } })).toEqual([
      { text: 'Espresso', productId: 'p' },
    ]);
  });
});
