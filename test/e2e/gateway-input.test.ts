/**
 * Input the gateway turns away before any function runs: percent-encoding that does not decode,
 * empty and dot path segments, and request heads over API Gateway's 10,240-byte quota. Requests
 * go out byte for byte as written (fetch would normalise the URLs and cap the headers).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminToken, productBody } from './support/fixtures.ts';

const base = new URL(inject('baseUrl'));
const secure = base.protocol === 'https:';
const port = Number(base.port || (secure ? 443 : 80));
/** A deployed API's stage, if the base URL has one: raw paths go after it. */
const prefix = base.pathname.replace(/\/$/, '');

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends `path` exactly as given, with no URL parsing on the way. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      {
        host: base.hostname,
        port,
        method,
        path: `${prefix}${path}`,
        // Framed explicitly: Node sends a GET or DELETE body with neither length nor chunking.
        headers:
          body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Writes `head` to a fresh connection and reads the answer until the server closes it. */
function sendRaw(head: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = secure
      ? tlsConnect({ host: base.hostname, port, servername: base.hostname })
      : netConnect({ host: base.hostname, port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers: IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = text.slice(split + 4);
      const body = headers['transfer-encoding'] === 'chunked' ? unchunk(rest) : rest;
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(head);
  });
}

function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, eol), 16);
    if (eol < 0 || !size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/**
 * A response the gateway produced itself, no function involved (API Gateway marks those with
 * x-amzn-ErrorType): problem+json with a request id, and never a 5xx.
 */
function expectGatewayProblem(res: RawResponse, status: number): void {
  expect(res.status, res.body).toBeLessThan(500);
  expect(res.status, res.body).toBe(status);
  expect(res.headers['x-amzn-errortype']).toEqual(expect.any(String));
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const requestId = res.headers['x-request-id'];
  expect(requestId).toEqual(expect.any(String));
  const problem = JSON.parse(res.body) as { status: number; requestId: string };
  expect(problem.status).toBe(status);
  expect(problem.requestId).toBe(requestId);
}

/** A response some function produced: the gateway matched the route and let the request through. */
function expectFunctionAnswer(res: RawResponse): void {
  expect(res.status, res.body).toBeLessThan(500);
  expect(res.headers['x-amzn-errortype']).toBeUndefined();
}

let token: string;
beforeAll(async () => {
  token = await adminToken();
});

describe('percent-encoding that does not decode', () => {
  // Every route with a path id, and a few routes without one.
  const paths: [string, string][] = [
    ['GET', '/products/%E0%A4%A'],
    ['GET', '/products/%'],
    ['GET', '/products/%ZZ'],
    ['GET', '/products/%ED%A0%80'],
    ['GET', '/products/%F4%90%80%80'],
    ['GET', '/carts/%C0%AE%C0%AE'],
    ['GET', '/carts/%C0%AF'],
    ['POST', '/carts/%E0%A4/items'],
    ['PATCH', '/carts/c1/items/%'],
    ['DELETE', '/carts/c1/items/SKU%E2%82'],
    ['PUT', '/admin/products/%'],
    ['DELETE', '/admin/products/%C0%AE'],
    ['POST', '/admin/products%'],
    ['GET', '/%'],
    ['GET', '//%'],
    ['GET', '/no/such/route/%FF'],
  ];

  it.each(paths)('%s %s is a 400 gateway response, not a 500', async (method, path) => {
    const res = await send(
      method,
      path,
      { authorization: `Bearer ${token}` },
      method === 'GET' ? undefined : '{}',
    );
    expectGatewayProblem(res, 400);
  });

  it.each([
    '/search?q=%E0%A4%A',
    '/search?q=%',
    '/search?%C0%AE=1',
    '/search/suggest?q=%E2%82',
    '/products?cursor=%zz',
    '/products/p1?x=%ED%A0%80',
    '/health?x=%',
  ])('GET %s, with a query string that does not decode, is a 400 gateway response', async (path) => {
    expectGatewayProblem(await send('GET', path), 400);
  });

  it('passes well-formed escapes on to the function', async () => {
    expectFunctionAnswer(await send('GET', '/search?q=caf%C3%A9+noir'));
    expectFunctionAnswer(await send('GET', '/products/caf%C3%A9'));
    expectFunctionAnswer(await send('GET', '/search?q=%25'));
  });
});

describe('empty and dot path segments', () => {
  it.each([
    ['POST', '/admin//products'],
    ['POST', '/admin/products//'],
    ['PUT', '/admin//products/p1'],
    ['GET', '/products//x'],
    ['GET', '/products//'],
    ['GET', '/products/p1//'],
    ['POST', '/carts//items'],
    ['POST', '/./admin/products'],
    ['POST', '/admin/./products'],
    ['POST', '/products/../admin/products'],
    ['POST', '/products/%2e%2e/admin/products'],
    ['POST', '/products/%2E%2E/admin/products'],
    ['POST', '/products/.%2e/admin/products'],
    ['GET', '/products/..'],
    ['GET', '/products/%2e%2e'],
    ['GET', '/products/.'],
    ['GET', '/products/%2e'],
    ['GET', '/carts/%2E'],
    ['PUT', '/admin/products/..'],
    ['GET', '/\\admin/products'],
  ])('%s %s matches no route', async (method, path) => {
    // With an admin token, so an authorizer cannot be what turns the request away.
    const res = await send(
      method,
      path,
      { authorization: `Bearer ${token}` },
      method === 'GET' ? undefined : '{}',
    );
    expectGatewayProblem(res, 404);
  });

  it('routes //admin/products to /admin/products, behind its authorizer, and nowhere else', async () => {
    // GET /products is the public catalog; /admin/products has no GET.
    expectGatewayProblem(await send('GET', '//admin/products'), 404);
    expectGatewayProblem(
      await send('POST', '//admin/products', { 'content-type': 'application/json' }, '{}'),
      401,
    );
    const created = await send(
      'POST',
      '//admin/products',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      JSON.stringify(productBody()),
    );
    expect(created.status, created.body).toBe(201);
    expect(JSON.parse(created.body)).toHaveProperty('productId');
  });

  it('keeps serving one trailing slash and extra leading slashes as the same resource', async () => {
    const list = await send('GET', '/products/');
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toHaveProperty('items');
    expect((await send('GET', '//products')).status).toBe(200);
  });
});

describe('request heads over API Gateway quota', () => {
  const quota = 10_240;
  const line = (path: string) => `GET ${prefix}${path} HTTP/1.1`;

  /** A raw GET /health whose request line and header values add up to `total` bytes. */
  function headOf(total: number): string {
    const fixed = line('/health').length + base.host.length + 'close'.length;
    const pad = 'a'.repeat(total - fixed);
    return `${line('/health')}\r\nHost: ${base.host}\r\nX-Pad: ${pad}\r\nConnection: close\r\n\r\n`;
  }

  it('lets a head of exactly 10,240 bytes through', async () => {
    expectFunctionAnswer(await sendRaw(headOf(quota)));
  });

  it('answers one byte more with a 431 gateway response', async () => {
    expectGatewayProblem(await sendRaw(headOf(quota + 1)), 431);
  });

  it.each([12 * 1024, 20 * 1024, 60 * 1024])(
    'answers a %i-byte header with a 431 gateway response',
    async (size) => {
      expectGatewayProblem(await send('GET', '/health', { 'x-pad': 'a'.repeat(size) }), 431);
    },
  );

  it('counts the request line: a long query string is over the quota too', async () => {
    expectGatewayProblem(await send('GET', `/search?q=${'a'.repeat(quota)}`), 431);
  });

  it('answers a head beyond what the HTTP server parses at all with a 431 gateway response', async () => {
    const head = `${line('/health')}\r\nHost: ${base.host}\r\nX-Pad: ${'a'.repeat(200 * 1024)}\r\n\r\n`;
    expectGatewayProblem(await sendRaw(head), 431);
  });

  it('answers a request the HTTP parser rejects with a 400 gateway response', async () => {
    const smuggled = `POST ${prefix}/carts HTTP/1.1\r\nHost: ${base.host}\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
    expectGatewayProblem(await sendRaw(smuggled), 400);
    expectGatewayProblem(await sendRaw(`${line('/health')}\r\nConnection: close\r\n\r\n`), 400);
  });
});

describe('client-chosen names that are JavaScript object members', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '%5F%5Fproto%5F%5F'];

  it.each(NAMES)('query key %s: an ordinary parameter, never a 5xx', async (name) => {
    expect((await send('GET', `/products?${name}=1`)).status).toBe(200);
    expect((await send('GET', `/search?q=lamp&${name}`)).status).toBe(200);
    // Still authenticated first: no token is a 401.
    expect((await send('POST', `/admin/products?${name}=1`, {}, '{}')).status).toBe(401);
  });

  it.each(NAMES.filter((n) => !n.includes('%')))('header name %s: an ordinary header', async (name) => {
    const res = await send('GET', '/products', { [name]: 'x' });
    expect(res.status).toBe(200);
  });
});

describe('strings that are not Unicode text', () => {
  it('a lone surrogate anywhere in a JSON body is a 400, and nothing is written', async () => {
    const token = await adminToken();
    const sku = `SURR-${Date.now().toString(36).toUpperCase()}`;
    const product = productBody({
      variants: [{ sku, attributes: {}, price: { amount: 100, currency: 'USD' } }],
    });
    for (const field of ['name', 'description', 'brand']) {
      const body = JSON.stringify({ ...product, [field]: 'x-SURROGATE' }).replace('x-SURROGATE', 'ok\\ud800');
      const res = await send(
        'POST',
        '/admin/products',
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      );
      expect(res.status, field).toBe(400);
      expect(res.headers['content-type'], field).toMatch(/problem\+json/);
    }
    const key = JSON.stringify({ ...product, attributes: { KEY: 'v' } }).replace('"KEY"', '"k\\udc00"');
    expect(
      (
        await send(
          'POST',
          '/admin/products',
          { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          key,
        )
      ).status,
    ).toBe(400);
    // The SKU was never claimed: a cart cannot add it.
    const cart = JSON.parse((await send('POST', '/carts')).body) as { cartId: string };
    const add = await send(
      'POST',
      `/carts/${cart.cartId}/items`,
      { 'content-type': 'application/json' },
      JSON.stringify({ sku, quantity: 1 }),
    );
    expect(add.status).toBe(422);
  });
});

describe('bodies the HTTP parser cannot frame', () => {
  it('a malformed chunked body is answered 400 problem+json at once, not left hanging', async () => {
    const res = await sendRaw(
      `POST ${prefix}/carts HTTP/1.1\r\nHost: ${base.host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    );
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.headers['x-request-id']).toBeTruthy();
  }, 15_000);
});
