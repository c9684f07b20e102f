/**
 * The reviews routes against the published OpenAPI document: every path and query value and every
 * body is a 400 from the handler exactly when the document refuses it, and every answer (each
 * status the handlers produce) is listed, with a body its schema accepts with no unnamed property.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeReviewsCursor } from '../../../lambdas/reviews/domain/list-cursor.ts';
import { recordPlaced } from '../../../lambdas/reviews/domain/purchases.ts';
import { registerReviewsPaths } from '../../../lambdas/reviews/openapi.ts';
import {
  awkwardText,
  documentAllowsBody,
  documentAllowsParam,
  expectDocumented,
  ownStatuses,
  produced,
  refusedFields,
} from '../openapi-support.ts';
import { apiEvent, lambdaContext } from '../support.ts';
import { memoryDeps } from './memory.ts';

const world = memoryDeps({ sleep: async () => {} });
vi.mock('../../../lambdas/reviews/adapters/wiring.ts', () => ({ deps: world.deps }));

type Handler = (event: APIGatewayProxyEvent, context: typeof lambdaContext) => Promise<APIGatewayProxyResult>;
const handlers = {} as Record<'list' | 'create' | 'edit' | 'remove' | 'hide', Handler>;

beforeAll(async () => {
  const load = async (name: string) =>
    (await import(`../../../lambdas/reviews/handlers/${name}.handler.ts`)).handler;
  handlers.list = await load('list-reviews');
  handlers.create = await load('create-review');
  handlers.edit = await load('edit-review');
  handlers.remove = await load('delete-review');
  handlers.hide = await load('hide-review');
  for (const buyer of ['ann', 'ben', 'cat', 'dan']) {
    await recordPlaced(world.deps, {
      version: 1,
      orderId: `ord_${buyer}`,
      userId: buyer,
      lines: [
        { sku: 'SKU-1', productId: 'p-1', quantity: 1, unitPrice: 100 },
        { sku: 'SKU-2', productId: 'p-2', quantity: 1, unitPrice: 100 },
      ],
      total: { amount: 200, currency: 'USD' },
      shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '12345', country: 'US' },
      contact: {},
      placedAt: '2025-02-01T00:00:00.000Z',
    });
  }
});

const LIST = 'GET /products/{productId}/reviews';
const CREATE = 'POST /products/{productId}/reviews';
const EDIT = 'PUT /products/{productId}/reviews/{reviewId}';
const DELETE = 'DELETE /products/{productId}/reviews/{reviewId}';
const HIDE = 'DELETE /admin/reviews/{reviewId}';

const ok = { rating: 4, title: 'Nice', body: 'Does the job.' };

function call(
  handler: Handler,
  opts: {
    params: Record<string, string>;
    sub?: string | null;
    groups?: string[];
    body?: unknown;
    query?: Record<string, string>;
    contentType?: string;
  },
) {
  return handler(
    apiEvent({
      pathParameters: opts.params,
      queryStringParameters: opts.query ?? null,
      headers: { 'content-type': opts.contentType ?? 'application/json' },
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      requestContext: {
        requestId: 'req-1',
        authorizer:
          opts.sub === null ? null : { sub: opts.sub ?? 'ann', groups: JSON.stringify(opts.groups ?? []) },
      } as unknown as APIGatewayProxyEvent['requestContext'],
    }),
    lambdaContext,
  );
}

const PRODUCT_IDS = ['p-1', 'unknown', 'a b', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(200), ''];
const REVIEW_IDS = [
  `r_${'0'.repeat(22)}`,
  `r_${'-_'.repeat(11)}`,
  `r_${'a'.repeat(21)}`,
  `r_${'a'.repeat(23)}`,
  `R_${'a'.repeat(22)}`,
  `r_${'a'.repeat(21)}!`,
  '',
  'x'.repeat(200),
];

describe('the reviews routes and the document agree on parameters and bodies', () => {
  it('productId and reviewId: a 400 exactly where the document refuses them, naming them', async () => {
    for (const productId of PRODUCT_IDS) {
      for (const [route, res] of [
        [LIST, await call(handlers.list, { params: { productId } })],
        [CREATE, await call(handlers.create, { params: { productId }, sub: 'nobody', body: ok })],
      ] as const) {
        const allowed = documentAllowsParam(route, 'path', 'productId', productId);
        expect(res.statusCode === 400, `${route} ${productId}`).toBe(!allowed);
        if (!allowed) expect(refusedFields(res)).toEqual(['productId']);
        expectDocumented(route, res);
      }
    }
    for (const reviewId of REVIEW_IDS) {
      for (const productId of ['p-1', 'x'.repeat(129)]) {
        for (const [route, res] of [
          [EDIT, await call(handlers.edit, { params: { productId, reviewId }, body: ok })],
          [DELETE, await call(handlers.remove, { params: { productId, reviewId } })],
        ] as const) {
          const bad = [
            ...(documentAllowsParam(route, 'path', 'productId', productId) ? [] : ['productId']),
            ...(documentAllowsParam(route, 'path', 'reviewId', reviewId) ? [] : ['reviewId']),
          ];
          expect(res.statusCode, `${route} ${productId} ${reviewId}`).toBe(bad.length > 0 ? 400 : 404);
          expect(refusedFields(res)).toEqual(bad);
          expectDocumented(route, res);
        }
      }
      const hidden = await call(handlers.hide, { params: { reviewId }, groups: ['admin'] });
      const allowed = documentAllowsParam(HIDE, 'path', 'reviewId', reviewId);
      expect(hidden.statusCode, reviewId).toBe(allowed ? 404 : 400);
      expectDocumented(HIDE, hidden);
    }
  });

  it('sort, limit and cursor: refused exactly as documented; a cursor of another product or sort is a 400', async () => {
    for (const [name, values] of [
      ['sort', ['newest', 'rating', 'oldest', 'Rating', '']],
      ['limit', ['1', '100', '0', '101', '2.5', 'x', '']],
    ] as const) {
      for (const value of values) {
        const res = await call(handlers.list, { params: { productId: 'p-1' }, query: { [name]: value } });
        const allowed = documentAllowsParam(LIST, 'query', name, value);
        expect(res.statusCode, `${name}=${value}`).toBe(allowed ? 200 : 400);
        if (!allowed) expect(refusedFields(res)).toEqual([name]);
        expectDocumented(LIST, res);
      }
    }
    const position = { reviewId: `r_${'0'.repeat(22)}`, createdAt: '2025-03-01T10:00:00.000Z', rating: 4 };
    const issued = encodeReviewsCursor('p-1', 'newest', position);
    expect(
      (await call(handlers.list, { params: { productId: 'p-1' }, query: { cursor: issued } })).statusCode,
    ).toBe(200);
    for (const [cursor, sort] of [
      [issued, 'rating'],
      [encodeReviewsCursor('p-2', 'newest', position), 'newest'],
      [`${issued.slice(0, -2)}AA`, 'newest'],
      ['', 'newest'],
      ['not a cursor', 'newest'],
    ] as const) {
      const res = await call(handlers.list, { params: { productId: 'p-1' }, query: { cursor, sort } });
      expect(res.statusCode, cursor).toBe(400);
      expect(refusedFields(res)).toEqual(['cursor']);
      expectDocumented(LIST, res);
    }
    const unknown = await call(handlers.list, { params: { productId: 'p-1' }, query: { page: '2' } });
    expect(refusedFields(unknown)).toEqual(['page']);
    expectDocumented(LIST, unknown);
  });

  it('bodies: a 400 exactly where the ReviewWrite schema refuses them (white space and code points included)', async () => {
    const bodies: unknown[] = [
      ok,
      ...[0, 1, 5, 6, 4.5, '4', null].map((rating) => ({ ...ok, rating })),
      ...awkwardText(120).map((title) => ({ ...ok, title })),
      ...awkwardText(4000).map((body) => ({ ...ok, body })),
      { ...ok, stars: 5 },
      { rating: 4, title: 'Nice' },
      [],
    ];
    // A user who never bought anything: a body the document allows is a 403, never a 400.
    for (const body of bodies) {
      const allowed = documentAllowsBody(CREATE, body);
      for (const [route, res] of [
        [CREATE, await call(handlers.create, { params: { productId: 'p-1' }, sub: 'nobody', body })],
        [
          EDIT,
          await call(handlers.edit, { params: { productId: 'p-1', reviewId: `r_${'9'.repeat(22)}` }, body }),
        ],
      ] as const) {
        expect(
          res.statusCode === 400,
          `${route} ${allowed ? 'allows' : 'refuses'} ${JSON.stringify(body).slice(0, 120)}`,
        ).toBe(!allowed);
        expectDocumented(route, res);
      }
    }
  });
});

describe('the reviews routes answer only what the document lists', () => {
  it('creates, lists, edits, deletes and hides with the documented bodies and headers; 401, 403, 404, 409, 415', async () => {
    const created = await call(handlers.create, { params: { productId: 'p-2' }, sub: 'ann', body: ok });
    expect(created.statusCode).toBe(201);
    const review = JSON.parse(created.body) as { reviewId: string };
    expect(created.headers?.location).toBe(`/products/p-2/reviews/${review.reviewId}`);
    expectDocumented(CREATE, created);
    const second = await call(handlers.create, {
      params: { productId: 'p-2' },
      sub: 'ben',
      body: { ...ok, rating: 2 },
    });
    const secondId = (JSON.parse(second.body) as { reviewId: string }).reviewId;

    const page = await call(handlers.list, {
      params: { productId: 'p-2' },
      query: { limit: '1', sort: 'rating' },
    });
    expect(JSON.parse(page.body)).toMatchObject({ summary: { count: 2 }, nextCursor: expect.any(String) });
    expectDocumented(LIST, page);

    const r = (productId = 'p-2', reviewId = review.reviewId) => ({ productId, reviewId });
    const expectations: [string, number, APIGatewayProxyResult][] = [
      [CREATE, 409, await call(handlers.create, { params: { productId: 'p-2' }, sub: 'ann', body: ok })],
      [CREATE, 403, await call(handlers.create, { params: { productId: 'p-2' }, sub: 'nobody', body: ok })],
      [CREATE, 404, await call(handlers.create, { params: { productId: 'p-9' }, sub: 'ann', body: ok })],
      [CREATE, 401, await call(handlers.create, { params: { productId: 'p-2' }, sub: null, body: ok })],
      [
        CREATE,
        415,
        await call(handlers.create, { params: { productId: 'p-2' }, body: ok, contentType: 'text/plain' }),
      ],
      [LIST, 404, await call(handlers.list, { params: { productId: 'p-9' } })],
      [EDIT, 200, await call(handlers.edit, { params: r(), sub: 'ann', body: { ...ok, rating: 5 } })],
      [EDIT, 403, await call(handlers.edit, { params: r(), sub: 'ben', body: ok })],
      [EDIT, 404, await call(handlers.edit, { params: r('p-1'), sub: 'ann', body: ok })],
      [EDIT, 401, await call(handlers.edit, { params: r(), sub: null, body: ok })],
      [EDIT, 415, await call(handlers.edit, { params: r(), body: ok, contentType: 'text/plain' })],
      [DELETE, 403, await call(handlers.remove, { params: r(), sub: 'ben' })],
      [DELETE, 401, await call(handlers.remove, { params: r(), sub: null })],
      [HIDE, 401, await call(handlers.hide, { params: { reviewId: secondId }, sub: null })],
      [HIDE, 403, await call(handlers.hide, { params: { reviewId: secondId }, sub: 'ann' })],
      [HIDE, 204, await call(handlers.hide, { params: { reviewId: secondId }, groups: ['admin'] })],
      [HIDE, 204, await call(handlers.hide, { params: { reviewId: secondId }, groups: ['admin'] })],
    ];
    // Transactions that keep losing to concurrent writers on the product.
    const store = world.store;
    const [create, update, remove] = [store.create, store.update, store.delete];
    store.create = async () => 'race';
    store.update = async () => 'race';
    store.delete = async () => 'race';
    try {
      expectations.push(
        [CREATE, 409, await call(handlers.create, { params: { productId: 'p-2' }, sub: 'cat', body: ok })],
        [EDIT, 409, await call(handlers.edit, { params: r(), sub: 'ann', body: ok })],
        [DELETE, 409, await call(handlers.remove, { params: r(), sub: 'ann' })],
        [HIDE, 409, await call(handlers.hide, { params: { reviewId: review.reviewId }, groups: ['admin'] })],
      );
    } finally {
      Object.assign(store, { create, update, delete: remove });
    }
    expectations.push([DELETE, 204, await call(handlers.remove, { params: r(), sub: 'ann' })]);
    for (const [route, status, res] of expectations) {
      expect(res.statusCode, `${route}: ${res.body}`).toBe(status);
      expectDocumented(route, res);
    }
    expect(JSON.parse(expectations[6]?.[2].body ?? '{}')).toMatchObject({ rating: 5 });
  });

  afterAll(() => {
    // Every status the reviews registration lists was produced by its handler in these tests;
    // 415 is the ops document's, for every operation with a body.
    for (const route of [LIST, CREATE, EDIT, DELETE, HIDE]) {
      const own = ownStatuses(registerReviewsPaths, route);
      expect(produced(route), route).toEqual(
        route === CREATE || route === EDIT ? [...own, '415'].sort() : own,
      );
    }
  });
});
