/**
 * The published OpenAPI document (GET /openapi.json) is the contract web and mobile clients are
 * generated from. For every operation it lists, property-based: valid requests drawn from its
 * schemas get a status the operation lists, never a 400 or a 5xx; requests broken in exactly one
 * way the schemas forbid get a 400 problem (a 415 for a body not sent as JSON); and every answer's
 * body matches the documented schema for its status and content type, objects closed (a field the
 * document does not name fails).
 *
 * Real ids (a product, carts, an order with its shipment, a review) are mixed into parameters and
 * body fields of the same name, so requests reach their 200s, not only their 404s. Cursors are only
 * ever ones the API issued: valid requests omit them or follow one; broken ones send an issued
 * cursor altered. What the random writes leave behind stays out of the other files' way: real ids
 * are this file's own (its warehouse holds nothing another file orders), and an armed fault is
 * cleared at once and again after the file.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiUrl } from '../../local/seed/store-client.ts';
import { buyer, checkout, ensureWarehouses, orderWhen, product } from './support/commerce.ts';
import { adminToken, api, eventually, ok } from './support/fixtures.ts';
import {
  type Auth,
  type BrokenRequest,
  isCursor,
  OpenApiArbitraries,
  type WireRequest,
} from './support/openapi-arbitraries.ts';
import { type OpenApiDocument, type OperationRef, operationsOf } from './support/openapi-schemas.ts';

const SEED = 20_260_101;
/** Runs per kind (valid, broken) per operation. */
const RUNS = 12;

const baseUrl = inject('baseUrl');
const doc = (await (await fetch(apiUrl(baseUrl, '/openapi.json'))).json()) as OpenApiDocument;
/** Reads first, removals last, so the real ids stay real for as long as possible. */
const EFFECT: Record<string, number> = { get: 0, head: 0, post: 1, patch: 1, put: 2, delete: 3 };
const operations = operationsOf(doc).sort((a, b) => (EFFECT[a.method] ?? 1) - (EFFECT[b.method] ?? 1));

/** The document's generators without real ids: what its shape alone decides. */
const probe = new OpenApiArbitraries(doc, {});
let arbitraries: OpenApiArbitraries;
const tokens: Record<Exclude<Auth, 'none'>, string> = { admin: '', shopper: '' };
/** Cursors the API issued, per route, with the query that issued them. */
const issued = new Map<string, { query: [string, string][]; cursor: string }[]>();
/** Statuses seen, per route and kind, for the summary. */
const seen = new Map<string, { valid: number[]; broken: number[] }>();

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
  text: string;
}
interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

beforeAll(async () => {
  const admin = await adminToken();
  await ensureWarehouses(admin);
  ok(await api(admin).DELETE('/dev/faults'), 204);
  const run = Math.random().toString(36).slice(2, 8);
  // A warehouse of this file's own: PUTs and allocations with real ids land there, never on the
  // demo warehouses routing uses.
  const warehouseId = `contract-${run}`;
  ok(
    await api(admin).PUT('/admin/warehouses/{warehouseId}', {
      params: { path: { warehouseId } },
      body: { name: 'Contract test', country: 'AQ', region: 'South Pole', lat: -89.9, lon: 0 },
    }),
    200,
  );
  const p = await product(admin, 1999, { 'us-east': 50 });
  const b = await buyer([[p.sku, 1]]);
  const orderId = await checkout(b);
  const routed = await orderWhen(b.token, orderId, (o) => o.shipments.length > 0);
  const shipmentId = routed.shipments[0]?.shipmentId as string;
  // The purchase reaches reviews through the order's events.
  let reviewId = '';
  await eventually(
    async () => {
      const posted = await api(b.token).POST('/products/{productId}/reviews', {
        params: { path: { productId: p.productId } },
        body: { rating: 4, title: 'Does the job', body: 'Bought for the contract test.' },
      });
      reviewId = posted.data?.reviewId ?? '';
      return posted.response.status === 201;
    },
    30_000,
    250,
  );
  ok(
    await api(b.token).POST('/carts/{cartId}/items', {
      params: { path: { cartId: b.cartId } },
      body: { sku: p.sku, quantity: 1 },
    }),
  );
  const guest = ok(await api().POST('/carts'), 201).cartId;
  ok(
    await api().POST('/carts/{cartId}/items', {
      params: { path: { cartId: guest } },
      body: { sku: p.sku, quantity: 2 },
    }),
  );
  tokens.admin = admin;
  tokens.shopper = b.token;
  // By name, for parameters and body fields alike (checkout and merge real carts, add a real SKU).
  arbitraries = new OpenApiArbitraries(doc, {
    productId: [p.productId],
    sku: [p.sku],
    cartId: [guest, b.cartId],
    orderId: [orderId],
    shipmentId: [shipmentId],
    reviewId: [reviewId],
    warehouseId: [warehouseId],
    to: [b.email],
    category: ['testing'],
  });
}, 180_000);

afterAll(async () => {
  // A random but valid POST /dev/faults may have armed a fault: nothing armed outlives this file.
  if (tokens.admin) await api(tokens.admin).DELETE('/dev/faults');
  const lines = [...seen].map(
    ([route, s]) => `${route.padEnd(52)} valid ${summary(s.valid)} | broken ${summary(s.broken)}`,
  );
  console.log(`contract: statuses per operation\n${lines.join('\n')}`);
});

function summary(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return (
    [...counts]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(' ') || '-'
  );
}

function tamper(cursor: string, how: NonNullable<WireRequest['tamperCursor']>): string {
  if (how === 'append') return `${cursor}A`;
  if (how === 'truncate') return cursor.length > 1 ? cursor.slice(0, -1) : `${cursor}=`;
  return Buffer.from(JSON.stringify({ contract: cursor.length }), 'utf8').toString('base64url');
}

async function send(ref: OperationRef, request: WireRequest): Promise<{ sent: Sent; answer: Answer }> {
  let query = request.query;
  const pages = issued.get(ref.route) ?? [];
  if (request.tamperCursor) {
    const page = pages.length > 0 ? pages[(request.follow ?? 0) % pages.length] : undefined;
    const base = page?.cursor ?? Buffer.from('{"made":"up"}', 'utf8').toString('base64url');
    query = [...(page?.query ?? query), ['cursor', tamper(base, request.tamperCursor)]];
  } else if (request.follow !== undefined && pages.length > 0) {
    const page = pages[request.follow % pages.length] as { query: [string, string][]; cursor: string };
    query = [...page.query, ['cursor', page.cursor]];
  }
  const path = ref.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(request.path[name] ?? ''),
  );
  const search = new URLSearchParams(query).toString();
  const headers: Record<string, string> = { ...request.headers };
  if (request.auth !== 'none') headers.authorization = `Bearer ${tokens[request.auth]}`;
  let body: string | undefined;
  if (request.body && 'json' in request.body) {
    body = JSON.stringify(request.body.json);
    headers['content-type'] = 'application/json';
  } else if (request.body) {
    body = request.body.raw;
    headers['content-type'] = request.body.contentType;
  }
  const sent: Sent = {
    method: ref.method.toUpperCase(),
    url: `${path}${search ? `?${search}` : ''}`,
    headers,
    ...(body === undefined ? {} : { body }),
  };
  const res = await fetchOnce(apiUrl(baseUrl, sent.url), { method: sent.method, headers, body }).catch(
    (error: Error & { cause?: Error }) => {
      const { authorization: _token, ...shown } = headers;
      throw new Error(
        `${ref.route}: no answer (${error.cause?.message ?? error.message})\n  request: ${sent.method} ${sent.url}\n  headers: ${JSON.stringify(shown)}`,
      );
    },
  );
  const text = await res.text();
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  let parsed: unknown = text;
  if (text.length > 0 && /[/+]json$/.test(contentType)) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const answer = { status: res.status, contentType, body: parsed, text };
  if (res.status === 200 && isCursorPage(parsed) && ref.parameters.some(isCursor)) {
    const page = { query: query.filter(([name]) => name !== 'cursor'), cursor: parsed.nextCursor };
    issued.set(ref.route, [...pages, page].slice(-20));
  }
  // A fault armed by a valid request is cleared at once, so no later request meets it.
  if (ref.route === 'POST /dev/faults' && res.status === 201) await api(tokens.admin).DELETE('/dev/faults');
  return { sent, answer };
}

/**
 * fetch, tried again once when a kept-alive connection was closed under it: the server drops idle
 * connections after 5 s, and a request written onto one as it closes never reached the API.
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const closed =
      cause?.code === 'UND_ERR_SOCKET' ||
      cause?.code === 'ECONNRESET' ||
      /other side closed/.test(cause?.message ?? '');
    if (!closed) throw error;
    return fetch(url, init);
  }
}

const isCursorPage = (body: unknown): body is { nextCursor: string } =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { nextCursor?: unknown }).nextCursor === 'string';

function record(route: string, kind: 'valid' | 'broken', status: number): void {
  const entry = seen.get(route) ?? { valid: [], broken: [] };
  entry[kind].push(status);
  seen.set(route, entry);
}

/** The counterexample, as a person would want it: what was sent, what came back, what is wrong. */
function report(ref: OperationRef, sent: Sent, answer: Answer, problems: string[], broken?: string): string {
  const { authorization, ...headers } = sent.headers;
  return [
    `${ref.route}: ${problems.join('; ')}`,
    ...(broken ? [`  broken: ${broken}`] : []),
    `  request: ${sent.method} ${sent.url}${authorization ? ' (with a bearer token)' : ''}`,
    `  headers: ${JSON.stringify(headers)}`,
    ...(sent.body === undefined ? [] : [`  body: ${sent.body.slice(0, 2000)}`]),
    `  answer: ${answer.status} ${answer.contentType || '(no content type)'}`,
    `  ${answer.text.slice(0, 2000)}`,
  ].join('\n');
}

/** How long a failure may spend shrinking its counterexample (each step is a request). */
const SHRINK_MS = 5_000;

/**
 * Runs the property; a counterexample fails with the report its predicate threw. Runs stop at the
 * first failure, which is then replayed and shrunk for a few seconds towards a smaller request
 * (every step is a real request; if the API no longer fails it, the first report stands).
 */
async function holds<T>(property: fc.IAsyncPropertyWithHooks<T>): Promise<void> {
  const found = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
  if (!found.failed) return;
  const shrunk = await fc.check(property, {
    seed: SEED,
    numRuns: RUNS,
    ...(found.counterexamplePath ? { path: found.counterexamplePath } : {}),
    interruptAfterTimeLimit: SHRINK_MS,
  });
  const details = shrunk.failed ? shrunk : found;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : undefined;
  const steps = shrunk.failed ? ` (shrunk ${shrunk.numShrinks} times)` : '';
  throw new Error(`${cause ?? fc.defaultReportMessage(details) ?? 'the property failed'}${steps}`);
}

describe('the contract test itself', () => {
  it('reads every operation of the document, and its generators agree with the schemas they come from', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const ref of operations) {
      const bodySchema = ref.operation.requestBody?.content['application/json']?.schema;
      for (const request of fc.sample(probe.validRequest(ref), { numRuns: 25, seed: SEED })) {
        for (const p of ref.parameters.filter((q) => !isCursor(q))) {
          const one =
            p.in === 'path' ? request.path[p.name] : p.in === 'header' ? request.headers[p.name] : undefined;
          const raws =
            p.in === 'query'
              ? request.query.filter(([name]) => name === p.name).map(([, v]) => v)
              : one === undefined
                ? undefined
                : [one];
          expect(probe.paramAccepts(p, raws), `${ref.route} ${p.in}.${p.name}=${JSON.stringify(raws)}`).toBe(
            true,
          );
        }
        if (bodySchema && request.body && 'json' in request.body) {
          expect(probe.validators.accepts(bodySchema, request.body.json), `${ref.route} body`).toBe(true);
        }
      }
    }
  });

  it('fails loudly on a schema construct it does not understand', () => {
    expect(() => probe.valid({ type: 'string', not: { enum: ['x'] } }, 'test')).toThrow(/keyword 'not'/);
    expect(() => probe.valid({ type: 'string', format: 'ipv4' }, 'test')).toThrow(/format 'ipv4'/);
    expect(() => probe.valid({ type: 'string', pattern: '^(?!a)b$' }, 'test')).toThrow(/cannot be generated/);
    expect(() => probe.valid({ $ref: '#/components/schemas/Nope' }, 'test')).toThrow(/unresolvable/);
  });
});

describe.each(operations.map((ref) => [ref.route, ref] as const))('%s', (route, ref) => {
  it('answers valid requests with a listed status (never 400 or 5xx) and a documented body', async () => {
    await holds(
      fc.asyncProperty(arbitraries.validRequest(ref), async (request) => {
        const { sent, answer } = await send(ref, request);
        record(route, 'valid', answer.status);
        const problems: string[] = [];
        if (answer.status === 400) problems.push('a valid request was refused with 400');
        if (answer.status >= 500) problems.push(`a valid request failed with ${answer.status}`);
        const mismatch = arbitraries.validators.responseMismatch(ref.operation, answer);
        if (mismatch) problems.push(mismatch);
        if (problems.length > 0) throw new Error(report(ref, sent, answer, problems));
      }),
    );
  });

  if (!probe.canBreak(ref)) {
    // No parameter the document constrains and no body: nothing to break. A query parameter it
    // does not name must not change the answer's contract either.
    it('takes no input to break; a query parameter it does not name is ignored', async () => {
      await holds(
        fc.asyncProperty(arbitraries.unnamedQuery(ref), async ({ request, name }) => {
          const { sent, answer } = await send(ref, request);
          record(route, 'broken', answer.status);
          const problems: string[] = [];
          if (answer.status === 400 || answer.status >= 500) problems.push(`answered ${answer.status}`);
          const mismatch = arbitraries.validators.responseMismatch(ref.operation, answer);
          if (mismatch) problems.push(mismatch);
          if (problems.length > 0)
            throw new Error(report(ref, sent, answer, problems, `query.${name}: not named`));
        }),
      );
    });
    return;
  }

  it('answers requests broken in one way with a documented 400 problem (415 for a non-JSON body)', async () => {
    await holds(
      fc.asyncProperty(arbitraries.brokenRequest(ref), async (broken: BrokenRequest) => {
        fc.pre(broken.invalid);
        const { sent, answer } = await send(ref, broken.request);
        record(route, 'broken', answer.status);
        const problems: string[] = [];
        if (answer.status !== broken.expect) problems.push(`expected ${broken.expect}, got ${answer.status}`);
        if (answer.contentType !== 'application/problem+json') {
          problems.push(`content type '${answer.contentType}', not application/problem+json`);
        }
        const mismatch = arbitraries.validators.responseMismatch(ref.operation, answer);
        if (mismatch) problems.push(mismatch);
        if (problems.length > 0) throw new Error(report(ref, sent, answer, problems, broken.broken));
      }),
    );
  });
});
