/**
 * The document against the handlers: every parameter carries the rule its handler enforces (the
 * same samples through both must agree), every status a route answers is listed, every operation
 * lists the gateway's own answers, and real bodies validate with unknown fields forbidden.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Cart } from '#cart/domain/cart.ts';
import { CartBusyError, LineNotFoundError, VersionMismatchError } from '#cart/domain/errors.ts';
import { viewCart } from '#cart/domain/view.ts';
import { ProductNotFoundError } from '#catalog/domain/errors.ts';
import { newProductId } from '#catalog/domain/ids.ts';
import { SKU_PATTERN } from '#catalog/domain/product.ts';
import { createProduct, listProducts } from '#catalog/domain/use-cases.ts';
import {
  checkSearchQuery,
  emptySearchResult,
  SearchQuerySchema,
  toSearchResult,
} from '#search/domain/query.ts';
import { MAX_CURSOR_LENGTH } from '#shared/cursor.ts';
import { ValidationError } from '#shared/errors.ts';
import { toProblem } from '#shared/problem.ts';
import { cartIdParam, skuParam, writeOptions } from '../../../lambdas/cart/handlers/cart-http.ts';
import { productIdOf } from '../../../lambdas/catalog/handlers/product-id.ts';
import { skuParam as stockSkuParam } from '../../../lambdas/inventory/handlers/sku-param.ts';
import { summarize } from '../../../lambdas/ops/health.ts';
import { buildOpenApiDocument } from '../../../lambdas/ops/openapi.ts';
import { GATEWAY_RESPONSES, problemTemplate } from '../../../lib/stacks/platform-stack.ts';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const local = buildOpenApiDocument({ stage: 'local' }) as unknown as Document;
const prod = buildOpenApiDocument({ stage: 'prod' }) as unknown as Document;

function operation(doc: Document, route: string): Operation {
  const [method, path] = route.split(' ') as [string, string];
  const found = doc.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${route} is not in the document`);
  return found;
}

function param(route: string, name: string, doc = local): Parameter {
  const found = operation(doc, route).parameters?.find((p) => p.name === name);
  if (!found) throw new Error(`${route} has no parameter ${name}`);
  return found;
}

const accepts = (p: Parameter, value: string) => new RegExp(String(p.schema.pattern)).test(value);

function statusOf(run: () => unknown): number {
  try {
    run();
    return 200;
  } catch (error) {
    return toProblem(error).problem.status;
  }
}

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

describe('parameters carry the rules their handlers enforce', () => {
  const skus = ['A-1', 'LAMP_1', 'A'.repeat(64), 'A'.repeat(65), 'a-1', 'A B', 'A.1', 'É', ''];

  it('the SKU of the cart line routes and the inventory routes: the catalog pattern, 400 outside it', () => {
    for (const route of [
      'PATCH /carts/{cartId}/items/{sku}',
      'DELETE /carts/{cartId}/items/{sku}',
      'GET /admin/inventory/{sku}',
      'POST /admin/inventory/{sku}/receive',
    ]) {
      const sku = param(route, 'sku');
      expect(sku, route).toMatchObject({
        in: 'path',
        required: true,
        schema: { pattern: SKU_PATTERN.source },
      });
      expect(Object.keys(operation(local, route).responses), route).toContain('400');
    }
    const sku = param('PATCH /carts/{cartId}/items/{sku}', 'sku');
    for (const value of skus) {
      const event = { pathParameters: { sku: value } };
      const expected = accepts(sku, value) ? 200 : 400;
      expect(
        statusOf(() => skuParam(event)),
        value,
      ).toBe(expected);
      expect(
        statusOf(() => stockSkuParam(event)),
        value,
      ).toBe(expected);
    }
    // The field error names the parameter.
    try {
      skuParam({ pathParameters: { sku: 'lower' } });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['sku']);
    }
  });

  it('If-Match on every cart write: a pattern the handler applies as is (412 for another version)', () => {
    const writes = [
      'POST /carts/{cartId}/items',
      'PATCH /carts/{cartId}/items/{sku}',
      'DELETE /carts/{cartId}/items/{sku}',
      'POST /me/cart/merge',
    ];
    for (const route of writes) {
      expect(param(route, 'If-Match'), route).toMatchObject({ in: 'header', required: false });
      expect(Object.keys(operation(local, route).responses), route).toEqual(
        expect.arrayContaining(['400', '412']),
      );
      const etag = (operation(local, route).responses['412'] as { headers?: Record<string, unknown> })
        .headers;
      expect(Object.keys(etag ?? {}), route).toContain('etag');
    }
    const ifMatch = param(writes[0] as string, 'If-Match');
    const samples = [
      '3',
      '"3"',
      'W/"3"',
      '*',
      `"${'9'.repeat(15)}"`,
      `"${'9'.repeat(16)}"`,
      '0',
      '"01"',
      'abc',
      '"1", "2"',
      'w/"2"',
      'W/2',
      '"2',
      '""',
      '1.5',
      '-1',
    ];
    for (const value of samples) {
      const expected = accepts(ifMatch, value) ? 200 : 400;
      expect(
        statusOf(() => writeOptions({ headers: { 'If-Match': value } })),
        value,
      ).toBe(expected);
    }
    expect(writeOptions({ headers: { 'if-match': 'W/"7"' } })).toEqual({ expectedVersion: 7 });
    try {
      writeOptions({ headers: { 'if-match': 'abc' } });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['If-Match']);
    }
  });

  it('a cart id is any string (no 400 for it): one that is no cart of yours is a 404', () => {
    const cartId = param('GET /carts/{cartId}', 'cartId');
    expect(cartId.schema).not.toHaveProperty('pattern');
    expect(cartId.schema).not.toHaveProperty('maxLength');
    for (const value of ['not-a-cart', 'x'.repeat(500), 'g-AAAAAAAAAAAAAAAAAAAAAA']) {
      expect(statusOf(() => cartIdParam({ pathParameters: { cartId: value } }))).toBe(200);
    }
    expect(Object.keys(operation(local, 'GET /carts/{cartId}').responses)).toContain('404');
  });

  it('the product id: at most 128 characters (400 past it), any other non-id a 404', () => {
    for (const route of [
      'GET /products/{productId}',
      'PUT /admin/products/{productId}',
      'DELETE /admin/products/{productId}',
    ]) {
      expect(param(route, 'productId').schema, route).toMatchObject({ maxLength: 128 });
      expect(Object.keys(operation(local, route).responses), route).toEqual(
        expect.arrayContaining(['400', '404']),
      );
    }
    const event = (productId: string) => ({ pathParameters: { productId } });
    expect(statusOf(() => productIdOf(event('a'.repeat(200))))).toBe(400);
    expect(statusOf(() => productIdOf(event('a'.repeat(129))))).toBe(400);
    expect(statusOf(() => productIdOf(event('a'.repeat(128))))).toBe(404);
    expect(statusOf(() => productIdOf(event('does-not-exist')))).toBe(404);
    expect(statusOf(() => productIdOf(event(newProductId())))).toBe(200);
  });

  it('limit on the list routes: an integer 1..100, default 20', () => {
    for (const route of ['GET /products', 'GET /search']) {
      expect(param(route, 'limit').schema, route).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 20,
      });
    }
    for (const [limit, ok] of [
      ['0', false],
      ['1', true],
      ['100', true],
      ['101', false],
    ] as const) {
      expect(SearchQuerySchema.safeParse({ limit }).success, limit).toBe(ok);
    }
  });

  it('the search filters: lists of at most 20 values of 100 characters, prices and rating as numbers', () => {
    for (const name of ['category', 'brand']) {
      expect(param('GET /search', name).schema).toMatchObject({
        type: 'array',
        maxItems: 20,
        items: { type: 'string', maxLength: 100 },
      });
    }
    for (const name of ['minPrice', 'maxPrice']) {
      expect(param('GET /search', name).schema).toMatchObject({ type: 'integer', minimum: 0 });
    }
    expect(param('GET /search', 'minRating').schema).toMatchObject({
      type: 'number',
      minimum: 0,
      maximum: 5,
    });
    expect(param('GET /search', 'sort').schema).toMatchObject({
      enum: ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'],
    });
    expect(param('GET /search/suggest', 'q')).toMatchObject({
      required: true,
      schema: { minLength: 1, maxLength: 100, pattern: '\\S' },
    });
  });

  it('cursors: opaque base64url tokens of at most 2048 characters, and a tampered one is a listed 400', () => {
    for (const route of ['GET /products', 'GET /search']) {
      const cursor = param(route, 'cursor');
      expect(cursor.schema, route).toMatchObject({
        maxLength: MAX_CURSOR_LENGTH,
        pattern: '^[A-Za-z0-9_-]+$',
      });
      expect(cursor.description, route).toMatch(/opaque/i);
      expect(operation(local, route).responses['400']?.description, route).toMatch(/cursor/);
    }
  });

  it('a price range upside down is a documented 422, each bound being valid', () => {
    const query = SearchQuerySchema.parse({ minPrice: '900', maxPrice: '100' });
    expect(statusOf(() => checkSearchQuery(query))).toBe(422);
    expect(Object.keys(operation(local, 'GET /search').responses)).toContain('422');
  });
});

describe('every status a route answers is listed', () => {
  const expected: Record<string, string[]> = {
    'POST /admin/products': ['201', '400', '401', '403', '409', '413', '415', '422', '429'],
    'PUT /admin/products/{productId}': ['200', '400', '401', '403', '404', '409', '413', '415', '422', '429'],
    'DELETE /admin/products/{productId}': ['204', '400', '401', '403', '404', '409', '413', '429'],
    'GET /products/{productId}': ['200', '400', '404', '413', '429'],
    'GET /products': ['200', '400', '413', '429'],
    'GET /search': ['200', '400', '413', '422', '429'],
    'GET /search/suggest': ['200', '400', '413', '429'],
    'GET /health': ['200', '413', '429', '503'],
    'GET /openapi.json': ['200', '413', '429'],
    'POST /carts': ['201', '400', '401', '413', '415', '429'],
    'GET /carts/{cartId}': ['200', '401', '404', '413', '429'],
    'POST /carts/{cartId}/items': ['200', '400', '401', '404', '409', '412', '413', '415', '422', '429'],
    'PATCH /carts/{cartId}/items/{sku}': [
      '200',
      '400',
      '401',
      '404',
      '409',
      '412',
      '413',
      '415',
      '422',
      '429',
    ],
    'DELETE /carts/{cartId}/items/{sku}': ['200', '400', '401', '404', '409', '412', '413', '429'],
    'GET /me/cart': ['200', '401', '409', '413', '429'],
    'POST /me/cart/merge': ['200', '400', '401', '404', '409', '412', '413', '415', '429'],
    'GET /admin/inventory/{sku}': ['200', '400', '401', '403', '404', '413', '429'],
    'POST /admin/inventory/{sku}/receive': ['200', '400', '401', '403', '409', '413', '415', '422', '429'],
    'POST /dev/token': ['200', '400', '413', '415', '429'],
    'GET /dev/psp/charges': ['200', '400', '401', '403', '413', '429'],
    'POST /dev/faults': ['201', '400', '401', '403', '404', '409', '413', '415', '429'],
    'DELETE /dev/faults': ['204', '401', '403', '404', '413', '429'],
  };

  it.each(Object.entries(expected))('%s (stage local)', (route, statuses) => {
    expect(Object.keys(operation(local, route).responses).sort()).toEqual([...statuses].sort());
  });

  it('the domain errors of the cart writes map to listed statuses', () => {
    const listed = Object.keys(operation(local, 'PATCH /carts/{cartId}/items/{sku}').responses);
    for (const error of [
      new VersionMismatchError(1, 2),
      new CartBusyError('c'),
      new LineNotFoundError('A'),
    ]) {
      expect(listed).toContain(String(toProblem(error).problem.status));
    }
    expect(String(toProblem(new ProductNotFoundError('p')).problem.status)).toBe('404');
  });

  it('no operation documents a 5xx except the health report', () => {
    for (const { route, op } of operations(prod)) {
      const fives = Object.keys(op.responses).filter((s) => s.startsWith('5'));
      expect(fives, route).toEqual(route === 'GET /health' ? ['503'] : []);
    }
  });
});

describe("the gateway's own answers, once over every operation", () => {
  it('413 and 429 on every operation of every stage, as problems', () => {
    for (const doc of [local, prod]) {
      const all = operations(doc);
      expect(all.length).toBeGreaterThan(30);
      for (const { route, op } of all) {
        for (const status of ['413', '429']) {
          expect(op.responses[status]?.content, `${route} ${status}`).toHaveProperty([
            'application/problem+json',
          ]);
        }
      }
    }
  });

  it('403 (the WAF) on every operation of a deployed stage, kept with an admin route own 403', () => {
    for (const { route, op } of operations(prod)) {
      expect(op.responses['403']?.description, route).toMatch(/firewall/);
    }
    expect(operation(prod, 'POST /admin/products').responses['403']?.description).toMatch(/administrator/);
    expect(operation(local, 'GET /search').responses).not.toHaveProperty('403');
  });
});

describe('bodies validate with unknown fields forbidden', () => {
  // ajv-formats is CommonJS with a default export.
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

  /** Every object schema without an explicit additionalProperties made closed. */
  function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (typeof schema !== 'object' || schema === null) return schema;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      out[key] =
        key === 'properties'
          ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closed(v)]))
          : closed(value);
    }
    if ((out.type === 'object' || 'properties' in out) && !('additionalProperties' in out)) {
      out.additionalProperties = false;
    }
    return out;
  }

  function check(doc: Document, route: string, status: string, body: unknown, type = 'application/json') {
    const media = operation(doc, route).responses[status]?.content?.[type];
    expect(media, `${route} ${status} ${type}`).toBeDefined();
    const validate = ajv.compile({
      ...(closed(media?.schema) as object),
      components: closed(doc.components) as object,
    });
    const valid = validate(JSON.parse(JSON.stringify(body)));
    return { valid, errors: ajv.errorsText(validate.errors) };
  }
  const expectValid = (doc: Document, route: string, status: string, body: unknown, type?: string) => {
    const { valid, errors } = check(doc, route, status, body, type);
    expect(valid, `${route} ${status}: ${errors}`).toBe(true);
  };

  const productInput = {
    name: 'Lamp',
    description: '',
    brand: 'Lumen',
    category: 'home',
    images: ['https://images.example.com/l.jpg'],
    attributes: { color: 'white' },
    variants: [{ sku: 'LAMP-1', attributes: {}, price: { amount: 3499, currency: 'USD' as const } }],
  };

  it('no schema has a bare `nullable` (validators refuse it without a type), and every $ref resolves', () => {
    for (const doc of [local, prod]) {
      const problems: string[] = [];
      const walk = (node: unknown, at: string): void => {
        if (typeof node !== 'object' || node === null) return;
        const schema = node as Record<string, unknown>;
        if (schema.nullable === true && !('type' in schema) && !('$ref' in schema)) problems.push(at);
        if (typeof schema.$ref === 'string') {
          const name = schema.$ref.replace('#/components/schemas/', '');
          if (!(name in doc.components.schemas)) problems.push(`${at}: ${schema.$ref}`);
        }
        for (const [key, value] of Object.entries(schema)) walk(value, `${at}/${key}`);
      };
      walk(doc.paths, '#/paths');
      walk(doc.components, '#/components');
      expect(problems).toEqual([]);
    }
  });

  it('a product, and a page of them with its cursor', async () => {
    const product = await createProduct(
      { products: { create: async () => undefined } as never },
      productInput,
    );
    expectValid(local, 'POST /admin/products', '201', product);
    expectValid(local, 'GET /products/{productId}', '200', product);
    const page = await listProducts(
      { products: { list: async () => ({ items: [product], nextCursor: 'eyJ9' }) } as never },
      {},
    );
    expectValid(local, 'GET /products', '200', page);
    expect(check(local, 'GET /products/{productId}', '200', { ...product, version: 3 }).valid).toBe(false);
  });

  it('a search result with facets and a cursor, and the empty one', () => {
    const query = SearchQuerySchema.parse({ q: 'lamp', limit: '1' });
    const id = newProductId();
    const result = toSearchResult(query, {
      hits: {
        total: { value: 2 },
        hits: [
          {
            _source: {
              productId: id,
              name: 'Lamp',
              brand: 'Lumen',
              category: 'home',
              minPrice: 3499,
              currency: 'USD',
              rating: { average: 4.5, count: 2 },
              image: 'https://images.example.com/l.jpg',
            },
            sort: [1.5, 1_700_000_000_000, id],
          },
          { _source: { productId: newProductId(), name: 'Other' }, sort: [1, 1, id] },
        ],
      },
      aggregations: {
        category: { buckets: [{ key: 'home', doc_count: 2 }] },
        brand: { buckets: [{ key: 'Lumen', doc_count: 2 }] },
        price: {
          buckets: [
            { to: 1000, doc_count: 0 },
            { from: 1000, to: 2500, doc_count: 1 },
            { from: 50000, doc_count: 1 },
          ],
        },
        rating: { buckets: [{ from: 4, doc_count: 1 }] },
      },
    });
    expect(result.nextCursor).toBeDefined();
    expectValid(local, 'GET /search', '200', result);
    expectValid(local, 'GET /search', '200', emptySearchResult());
    expectValid(local, 'GET /search/suggest', '200', { suggestions: [{ text: 'Lamp', productId: id }] });
  });

  it('carts: guest and user, stored and re-priced, with every flag', () => {
    const usd = (amount: number) => ({ amount, currency: 'USD' as const });
    const lines = [
      {
        sku: 'A',
        productId: 'p-A',
        name: 'A',
        quantity: 2,
        unitPrice: usd(1000),
        addedAt: '2026-01-01T00:00:00.000Z',
      },
      {
        sku: 'B',
        productId: 'p-B',
        name: 'B',
        quantity: 1,
        unitPrice: usd(500),
        addedAt: '2026-01-02T00:00:00.000Z',
      },
    ];
    const guest: Cart = {
      cartId: 'g-AAAAAAAAAAAAAAAAAAAAAA',
      lines,
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      expiresAt: Date.parse('2026-01-09T00:00:00.000Z') / 1000,
      clearedOrders: ['ord_1'],
    };
    const user: Cart = {
      cartId: 'u-x',
      ownerId: 'alice',
      lines,
      version: 2,
      createdAt: guest.createdAt,
      updatedAt: guest.updatedAt,
    };
    const current = new Map([['A', { sku: 'A', productId: 'p-A', name: 'A2', price: usd(1200) }]]);
    for (const view of [
      viewCart(guest),
      viewCart(user),
      viewCart(guest, current),
      viewCart(user, new Map()),
    ]) {
      expectValid(local, 'GET /carts/{cartId}', '200', view);
      expectValid(local, 'POST /carts/{cartId}/items', '200', view);
    }
    expect(JSON.stringify(viewCart(guest, current))).toContain('priceChanged');
    expect(JSON.stringify(viewCart(guest, current))).toContain('unavailable');
  });

  it('stock counts', () => {
    const stock = { sku: 'LAMP-1', available: 3, reserved: 1, sold: 2, version: 4 };
    expectValid(local, 'GET /admin/inventory/{sku}', '200', stock);
  });

  it('the health report: the probed parts with their latency; locally the cloud adds its own parts', () => {
    const report = summarize({
      dynamodb: { status: 'ok', latencyMs: 3 },
      search: { status: 'down', latencyMs: 1500 },
    });
    for (const doc of [local, prod]) {
      expectValid(doc, 'GET /health', '200', report);
      expectValid(doc, 'GET /health', '503', report);
    }
    const decorated = {
      ...report,
      parts: {
        ...report.parts,
        moto: { status: 'ok', url: 'http://127.0.0.1:1' },
        lambda: { status: 'ok', functions: 3, invocations: { a: 1 } },
        eventRules: { status: 'degraded', rules: {} },
      },
    };
    expectValid(local, 'GET /health', '200', decorated);
    expect(check(prod, 'GET /health', '200', decorated).valid).toBe(false);
    expect(
      check(local, 'GET /health', '200', { ...report, parts: { ...report.parts, search: { status: 'ok' } } })
        .valid,
    ).toBe(false);
  });

  it('this document', () => {
    expectValid(local, 'GET /openapi.json', '200', local);
  });

  it("problems: the handlers' (with field errors) and the gateway's (with its request id)", () => {
    const invalid = toProblem(
      new ValidationError('The query is invalid.', [{ path: 'cursor', message: 'x' }]),
    );
    expectValid(local, 'GET /search', '400', invalid.problem, 'application/problem+json');
    for (const [, status, title, detail] of GATEWAY_RESPONSES) {
      const body = JSON.parse(
        problemTemplate(status, title, detail)
          .replace('$context.error.messageString', '"Too Many Requests"')
          .replace('$context.requestId', 'req-1'),
      );
      if (status === 413 || status === 429) {
        expectValid(prod, 'GET /search', String(status), body, 'application/problem+json');
      }
      if (status === 401 || status === 403) {
        expectValid(prod, 'POST /admin/products', String(status), body, 'application/problem+json');
      }
    }
  });
});

describe('headers a route sets are documented', () => {
  // The create handlers answer 201 with a Location (create-cart.handler.ts, create-product.handler.ts).
  it.each(['POST /carts', 'POST /admin/products'])('%s 201 lists Location', (route) => {
    const created = operation(local, route).responses['201'] as { headers?: Record<string, unknown> };
    expect(Object.keys(created.headers ?? {})).toEqual(expect.arrayContaining(['location', 'x-request-id']));
  });
});
