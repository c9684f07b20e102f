import { describe, expect, it } from 'vitest';
import { PRODUCT_ID_PATTERN as CATALOG_PRODUCT_ID_PATTERN, newProductId } from '#catalog/domain/ids.ts';
import {
  buildSearchBody,
  buildSuggestBody,
  checkSearchQuery,
  decodeSearchCursor,
  encodeSearchCursor,
  PRODUCT_ID_PATTERN,
  type SearchQuery,
  SearchQuerySchema,
  type SearchResponseBody,
  SuggestQuerySchema,
  sortFor,
  toSearchResult,
  toSuggestions,
} from '#search/domain/query.ts';
import { UnprocessableError, ValidationError } from '#shared/errors.ts';

const parse = (params: Record<string, string | string[]>) => SearchQuerySchema.parse(params);

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
    { minRating: '-1' },
    { minPrice: '1e3' },
    { minPrice: '1000000000000' },
    { cursor: '%%%' },
    { cursor: '' },
    { brand: Array.from({ length: 21 }, (_, i) => `b${i}`) },
    { category: 'x'.repeat(101) },
    { limit: '0x10' },
    { limit: '1e1' },
    { q: '\u{1F600}'.repeat(201) },
    { minRating: '0x1' },
    { minRating: '1e1' },
  ])('rejects %o', (params) => {
    expect(SearchQuerySchema.safeParse(params).success).toBe(false);
  });

  it('takes what the document allows: 20 values of 100 characters, ratings with any decimals, 0..100', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(100, 'x'));
    expect(parse({ brand: twenty }).brand).toEqual(twenty);
    // One value each: a comma is part of the value (a brand such as "Smith, Jones & Co").
    expect(parse({ brand: 'Smith, Jones & Co' }).brand).toEqual(['Smith, Jones & Co']);
    expect(parse({ category: ['a', 'b'] }).category).toEqual(['a', 'b']);
    // A form's blank field: counted toward the 20, then ignored.
    expect(parse({ brand: ['a', ''], category: '' })).toMatchObject({ brand: ['a'], category: [] });
    // Lengths in characters, as the document counts them.
    expect(parse({ q: '\u{1F600}'.repeat(200) }).q).toHaveLength(400);
    // Any JSON spelling of a number, as a client's String(n) writes it.
    expect(parse({ minRating: '5e-324' }).minRating).toBe(5e-324);
    expect(parse({ minRating: '2.5E0' }).minRating).toBe(2.5);
    expect(parse({ minRating: '4.125' }).minRating).toBe(4.125);
    expect(parse({ minRating: '5' }).minRating).toBe(5);
    expect(parse({ minPrice: '0', maxPrice: '999999999999' })).toMatchObject({
      minPrice: 0,
      maxPrice: 999_999_999_999,
    });
    expect(parse({ limit: '1' }).limit).toBe(1);
    expect(parse({ limit: '100' }).limit).toBe(100);
  });

  it('answers a price range with its minimum above its maximum 422, not 400', () => {
    const query = parse({ minPrice: '500', maxPrice: '100' });
    expect(() => checkSearchQuery(query)).toThrow(UnprocessableError);
    expect(() => checkSearchQuery(parse({ minPrice: '100', maxPrice: '100' }))).not.toThrow();
    expect(() => checkSearchQuery(parse({ minPrice: '500' }))).not.toThrow();
  });

  it('refuses a suggest prefix of spaces only, as the document states', () => {
    expect(SuggestQuerySchema.safeParse({ q: '   ' }).success).toBe(false);
    expect(SuggestQuerySchema.parse({ q: ' lam ' })).toEqual({ q: 'lam' });
  });

  it('parses lists, money and defaults', () => {
    expect(
      parse({ q: ' lamp ', brand: ['Alpha', 'Beta'], minPrice: '3000', maxPrice: '10000', minRating: '3.5' }),
    ).toEqual({
      q: 'lamp',
      brand: ['Alpha', 'Beta'],
      minPrice: 3000,
      maxPrice: 10000,
      minRating: 3.5,
      sort: 'relevance',
      limit: 20,
    });
  });

  it('rejects a cursor that is not one of ours', () => {
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

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const OTHER_ID = '01890a5d-ac96-7aaa-8bcd-0123456789ab';
const CREATED = Date.parse('2026-01-01T00:00:00.000Z');

/** A hit-sort value list of the right types for each effective sort. */
const validAfter: Record<string, unknown[]> = {
  relevance: [12.5, CREATED, ID],
  newest: [CREATED, ID],
  price_asc: [4000, ID],
  price_desc: [4000, ID],
  rating: [4.300000190734863, 12, ID],
};

/** The query each sort is checked with: relevance only ranks when there is text. */
const queryFor = (sort: string) => parse(sort === 'relevance' ? { sort, q: 'lamp' } : { sort });

/** The field errors of a refused cursor; fails the test when the cursor is accepted. */
function cursorRefusal(query: SearchQuery, cursor: string): string[] {
  try {
    buildSearchBody({ ...query, cursor });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.path);
  }
  throw new Error(`expected the cursor to be refused: ${Buffer.from(cursor, 'base64url').toString()}`);
}

const SORT_KEYS = ['relevance', 'newest', 'price_asc', 'price_desc', 'rating'] as const;

/** Values of the wrong type for every position, whatever the field. */
const foreignValues: unknown[] = [null, true, {}, [], { $gt: 1 }, [1], '', 'abc', 'x'];

/** Per field kind, values of the right JSON type that are still not what the field holds. */
const badNumbers = [-1, 1e300, -1e300, Number.MAX_VALUE, '4000', 'NaN', 'Infinity', '-Infinity'];
const badIntegers = [1.5, 0.001, 2 ** 53 + 2, ...badNumbers];
const badIds = [
  1,
  'abc',
  ID.toUpperCase(),
  // UUIDv4 and a malformed variant nibble: not ids the catalog issues.
  '01890a5d-ac96-474b-bcce-b302099a8057',
  '01890a5d-ac96-774b-0cce-b302099a8057',
  `${ID}x`,
  ` ${ID}`,
  'x'.repeat(1000),
];

describe('cursor', () => {
  it.each(SORT_KEYS)('round-trips the search_after values of a %s search', (sort) => {
    const query = queryFor(sort);
    const after = validAfter[sort] ?? [];
    const cursor = encodeSearchCursor(query, after);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(cursor, query)).toEqual(after);
    expect(buildSearchBody({ ...query, cursor }).search_after).toEqual(after);
  });

  it('treats relevance without text as newest, and ignores limit and filter order', () => {
    const cursor = encodeSearchCursor(
      parse({ sort: 'newest', category: ['a', 'B'] }),
      validAfter.newest ?? [],
    );
    expect(decodeSearchCursor(cursor, parse({ category: ['b', 'A', 'a'], limit: '5' }))).toEqual(
      validAfter.newest,
    );
  });

  it.each(SORT_KEYS)('refuses wrongly typed values in each position of a %s cursor', (sort) => {
    const query = queryFor(sort);
    const after = validAfter[sort] ?? [];
    const fields = sortFor(query.sort, sort === 'relevance').fields;
    let refused = 0;
    fields.forEach((field, i) => {
      const bad = [
        ...foreignValues,
        ...(field === 'productId'
          ? badIds
          : ['_score', 'rating.average'].includes(field)
            ? badNumbers
            : badIntegers),
      ];
      for (const value of bad) {
        if (value === after[i]) continue;
        const tampered = after.map((v, j) => (j === i ? value : v));
        expect(
          cursorRefusal(query, encodeSearchCursor(query, tampered)),
          `${field}=${JSON.stringify(value)}`,
        ).toEqual(['cursor']);
        refused++;
      }
    });
    expect(refused).toBeGreaterThan(fields.length * foreignValues.length);
  });

  it.each(SORT_KEYS)('refuses a %s cursor with too few or too many values', (sort) => {
    const query = queryFor(sort);
    const after = validAfter[sort] ?? [];
    for (const tampered of [[], after.slice(1), after.slice(0, -1), [...after, ID], [...after, after]]) {
      expect(cursorRefusal(query, encodeSearchCursor(query, tampered))).toEqual(['cursor']);
    }
  });

  it('refuses range errors per field: negative scores and prices, ratings above 5, dates past 9999', () => {
    const cases: [string, unknown[]][] = [
      ['relevance', [-0.5, CREATED, ID]],
      ['relevance', [1e39, CREATED, ID]],
      ['relevance', [1, -1, ID]],
      ['relevance', [1, 253_402_300_800_000, ID]],
      ['relevance', [1, '2026-01-01T00:00:00.000Z', ID]],
      ['newest', [CREATED + 0.5, ID]],
      ['price_asc', [-1, ID]],
      ['price_desc', [Number.MAX_SAFE_INTEGER + 1, ID]],
      ['rating', [5.01, 1, ID]],
      ['rating', [-0.01, 1, ID]],
      ['rating', [4, 2 ** 31, ID]],
      ['rating', [4, -1, ID]],
    ];
    for (const [sort, after] of cases) {
      const query = queryFor(sort);
      expect(
        cursorRefusal(query, encodeSearchCursor(query, after)),
        `${sort} ${JSON.stringify(after)}`,
      ).toEqual(['cursor']);
    }
  });

  it('refuses a cursor from another sort or another search', () => {
    const issued = (params: Record<string, string>) =>
      encodeSearchCursor(parse(params), validAfter.price_asc ?? []);
    const query = parse({ sort: 'price_asc', q: 'lamp', brand: 'Alpha', minPrice: '100' });
    expect(
      decodeSearchCursor(issued({ sort: 'price_asc', q: 'lamp', brand: 'alpha', minPrice: '100' }), query),
    ).toEqual(validAfter.price_asc);
    const others: Record<string, string>[] = [
      { sort: 'price_desc', q: 'lamp', brand: 'Alpha', minPrice: '100' },
      { sort: 'price_asc', q: 'lamps', brand: 'Alpha', minPrice: '100' },
      { sort: 'price_asc', brand: 'Alpha', minPrice: '100' },
      { sort: 'price_asc', q: 'lamp', brand: 'Beta', minPrice: '100' },
      { sort: 'price_asc', q: 'lamp', brand: 'Alpha,Beta', minPrice: '100' },
      { sort: 'price_asc', q: 'lamp', brand: 'Alpha', minPrice: '101' },
      { sort: 'price_asc', q: 'lamp', brand: 'Alpha', minPrice: '100', maxPrice: '900' },
      { sort: 'price_asc', q: 'lamp', brand: 'Alpha', minPrice: '100', minRating: '4' },
      { sort: 'price_asc', q: 'lamp', brand: 'Alpha', minPrice: '100', category: 'home' },
    ];
    for (const params of others) {
      expect(cursorRefusal(query, issued(params)), JSON.stringify(params)).toEqual(['cursor']);
    }
    // The same values under another sort's binding: right length, still refused.
    const newest = parse({ sort: 'newest' });
    const priceCursor = encodeSearchCursor(parse({ sort: 'price_asc' }), [CREATED, ID]);
    expect(cursorRefusal(newest, priceCursor)).toEqual(['cursor']);
  });

  it('refuses envelopes other than the one it issues', () => {
    const query = queryFor('price_asc');
    const good = JSON.parse(Buffer.from(encodeSearchCursor(query, [4000, ID]), 'base64url').toString()) as {
      h: string;
      a: unknown[];
    };
    const raw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const asCursor = (value: unknown) => raw(JSON.stringify(value));
    const cursors = [
      asCursor(null),
      asCursor(4000),
      asCursor('price_asc'),
      asCursor([4000, ID]),
      asCursor({ a: good.a }),
      asCursor({ h: good.h }),
      asCursor({ ...good, extra: 1 }),
      asCursor({ ...good, s: 'price_asc' }),
      asCursor({ h: good.h, a: { 0: 4000, 1: ID } }),
      asCursor({ h: good.h, a: null }),
      asCursor({ h: [good.h], a: good.a }),
      asCursor({ h: good.h, a: [[4000, ID]] }),
      asCursor({ h: good.h, a: [{ 0: 4000 }, ID] }),
      asCursor({ s: 'price_asc', a: ['abc', 'x'] }),
      raw(`{"h":"${good.h}","a":[4000,"${ID}"],"__proto__":{"a":[1]}}`),
      raw(`{"h":"${good.h}","a":[NaN,"${ID}"]}`),
      raw(`{"h":"${good.h}","a":[Infinity,"${ID}"]}`),
      raw(`{"h":"${good.h}","a":[1e999,"${ID}"]}`),
      raw(`{"h":"${good.h}","a":[4000.0,"${ID}"]}`),
      raw(`{"h":"${good.h}", "a":[4000,"${ID}"]}`),
      '%%%',
      'bm90LWpzb24',
      `${encodeSearchCursor(query, [4000, ID])}=`,
      `${encodeSearchCursor(query, [4000, ID])}.`,
      asCursor({ ...good, pad: 'x'.repeat(1400) }),
    ];
    for (const cursor of cursors) {
      expect(cursorRefusal(query, cursor), Buffer.from(cursor, 'base64url').toString()).toEqual(['cursor']);
    }
  });

  it('refuses an over-long cursor in the parameters already', () => {
    const result = SearchQuerySchema.safeParse({ cursor: 'A'.repeat(2049) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['cursor']);
  });

  it('uses the product id pattern of the catalog', () => {
    expect(newProductId()).toMatch(PRODUCT_ID_PATTERN);
    expect(ID).toMatch(PRODUCT_ID_PATTERN);
    expect(OTHER_ID).toMatch(PRODUCT_ID_PATTERN);
    expect(PRODUCT_ID_PATTERN.source).toBe(CATALOG_PRODUCT_ID_PATTERN.source);
  });
});

function hit(productId: string, minPrice: number, sort: unknown[]) {
  return {
    _source: { productId, name: `n-${productId}`, brand: 'Alpha', category: 'c', minPrice, currency: 'USD' },
    sort,
  };
}

const ID_A = '01890a5d-ac96-7000-8000-00000000000a';
const ID_B = '01890a5d-ac96-7000-8000-00000000000b';
const ID_C = '01890a5d-ac96-7000-8000-00000000000c';

describe('search result', () => {
  const response: SearchResponseBody = {
    hits: {
      total: { value: 5 },
      hits: [hit('a', 1000, [1000, ID_A]), hit('b', 4000, [4000, ID_B]), hit('c', 7500, [7500, ID_C])],
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
    expect(decodeSearchCursor(result.nextCursor ?? '', query)).toEqual([4000, ID_B]);
    // The next page of the same search accepts it; the same cursor on another sort does not.
    expect(buildSearchBody({ ...query, cursor: result.nextCursor }).search_after).toEqual([4000, ID_B]);
    expect(cursorRefusal(parse({ sort: 'price_desc', limit: '2' }), result.nextCursor ?? '')).toEqual([
      'cursor',
    ]);
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
