import { describe, expect, it } from 'vitest';
import {
  type GatewayResponse,
  HEADERS_TOO_LARGE,
  MAX_REQUEST_HEAD_BYTES,
  matchRoute,
  parseRequestTarget,
  type RequestTarget,
  type Route,
  renderGatewayResponse,
  requestHeadBytes,
} from '../../../local/runtime/api-gateway.ts';

const lambda = { type: 'lambda', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' } as const;

/** The shape of the store's API: static parts, `{param}`s at several depths, and one greedy tail. */
const routes: Route[] = [
  { method: 'GET', resourcePath: '/products', integration: lambda },
  { method: 'GET', resourcePath: '/products/{productId}', integration: lambda },
  { method: 'POST', resourcePath: '/admin/products', integration: lambda },
  { method: 'PUT', resourcePath: '/admin/products/{productId}', integration: lambda },
  { method: 'GET', resourcePath: '/carts/{cartId}', integration: lambda },
  { method: 'POST', resourcePath: '/carts/{cartId}/items', integration: lambda },
  { method: 'PATCH', resourcePath: '/carts/{cartId}/items/{sku}', integration: lambda },
  { method: 'GET', resourcePath: '/files/{path+}', integration: lambda },
  { method: 'ANY', resourcePath: '/files/{path+}', integration: lambda },
];

function target(requestTarget: string): RequestTarget {
  const parsed = parseRequestTarget(requestTarget);
  if (!parsed.ok) throw new Error(`${requestTarget}: ${parsed.reason}`);
  return parsed.target;
}

/** The resource a request reaches, or undefined for "no route matches". */
function routeOf(method: string, requestTarget: string): string | undefined {
  return matchRoute(routes, method, target(requestTarget).segments)?.route.resourcePath;
}

function paramsOf(method: string, requestTarget: string): Record<string, string> | undefined {
  return matchRoute(routes, method, target(requestTarget).segments)?.pathParameters;
}

describe('request target parsing', () => {
  it.each([
    '/products/%E0%A4%A',
    '/products/%',
    '/carts/%C0%AE%C0%AE',
    '/products/%E0%A4',
    '/products/%ZZ',
    '/products/abc%2',
    '/products/%ED%A0%80',
    '/products/%F4%90%80%80',
    '/products/%FF',
    '/admin/products/%C0%AF/x',
    '/carts/c1/items/%E2%82',
    '/%',
    '//%',
  ])('refuses the path %s, whose percent-encoding does not decode to UTF-8', (path) => {
    const parsed = parseRequestTarget(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/path/);
  });

  it.each([
    '/search?q=%E0%A4%A',
    '/search?q=%',
    '/search?%C0%AE=x',
    '/products?brand=ok&cursor=%zz',
    '/products/p1?x=%ED%A0%80',
    '/search?q=caf%C3',
  ])('refuses the query string of %s, whose percent-encoding does not decode', (requestTarget) => {
    const parsed = parseRequestTarget(requestTarget);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/query string/);
  });

  it('keeps well-formed escapes in the path and decodes the query string, + as a space', () => {
    expect(target('/products/caf%C3%A9?q=caf%C3%A9+noir&q=x%2By&empty=&flag')).toEqual({
      rawPath: '/products/caf%C3%A9',
      path: '/products/caf%C3%A9',
      segments: ['products', 'caf%C3%A9'],
      query: [
        ['q', 'café noir'],
        ['q', 'x+y'],
        ['empty', ''],
        ['flag', ''],
      ],
    });
    expect(target('/search?q=%25').query).toEqual([['q', '%']]);
    expect(target('/products/%E2%82%AC%F0%9F%98%80').segments).toEqual(['products', '%E2%82%AC%F0%9F%98%80']);
  });

  it('collapses leading slashes as API Gateway does, keeping the raw path for requestContext.path', () => {
    expect(target('//admin/products')).toMatchObject({
      rawPath: '//admin/products',
      path: '/admin/products',
      segments: ['admin', 'products'],
    });
    expect(target('///products/p1').segments).toEqual(['products', 'p1']);
    expect(target('//').segments).toEqual([]);
    expect(target('/').segments).toEqual([]);
  });

  it('ignores one trailing slash and keeps every other empty segment', () => {
    expect(target('/products/').segments).toEqual(['products']);
    expect(target('/products/').path).toBe('/products/');
    expect(target('/products//').segments).toEqual(['products', '']);
    expect(target('/products//x').segments).toEqual(['products', '', 'x']);
    expect(target('/admin//products').segments).toEqual(['admin', '', 'products']);
  });

  it('never resolves dot segments or backslashes the way a URL parser would', () => {
    expect(target('/products/../admin/products').segments).toEqual(['products', '..', 'admin', 'products']);
    expect(target('/products/%2e%2e/admin').segments).toEqual(['products', '%2e%2e', 'admin']);
    expect(target('/\\admin/products').segments).toEqual(['\\admin', 'products']);
  });

  it('reads the absolute form and drops a fragment', () => {
    expect(target('http://127.0.0.1:3000/products?x=1')).toMatchObject({
      path: '/products',
      query: [['x', '1']],
    });
    expect(target('http://127.0.0.1:3000').path).toBe('/');
    expect(target('/products#%').path).toBe('/products');
  });

  it('refuses a target that is not a path', () => {
    expect(parseRequestTarget('*').ok).toBe(false);
    expect(parseRequestTarget('products').ok).toBe(false);
  });
});

describe('route matching', () => {
  it('routes //admin/products to /admin/products itself, never to /products', () => {
    expect(routeOf('POST', '//admin/products')).toBe('/admin/products');
    expect(routeOf('GET', '//admin/products')).toBeUndefined();
    expect(routeOf('GET', '//products')).toBe('/products');
  });

  it.each([
    ['POST', '/admin//products'],
    ['GET', '/products//x'],
    ['POST', '/carts//items'],
    ['PATCH', '/carts/c1/items//'],
    ['POST', '/admin/products//'],
    ['GET', '/products//'],
    ['GET', '/products/p1//'],
    ['PUT', '/admin//products/p1'],
  ])('matches nothing for %s %s, which has an empty segment', (method, path) => {
    expect(routeOf(method, path)).toBeUndefined();
  });

  it.each([
    ['POST', '/./admin/products'],
    ['POST', '/products/../admin/products'],
    ['POST', '/products/%2e%2e/admin/products'],
    ['POST', '/products/%2E%2E/admin/products'],
    ['POST', '/products/.%2e/admin/products'],
    ['POST', '/admin/./products'],
    ['POST', '/admin/%2e/products'],
    ['GET', '/products/..'],
    ['GET', '/products/%2e%2e'],
    ['GET', '/products/.'],
    ['GET', '/products/%2E'],
    ['PUT', '/admin/products/..'],
    ['GET', '/carts/%2e%2e'],
    ['GET', '/files/a/../b'],
    ['GET', '/files/a/%2e%2e/b'],
  ])('matches nothing for %s %s, which has a dot segment', (method, path) => {
    expect(routeOf(method, path)).toBeUndefined();
  });

  it('still routes a trailing slash to the same resource', () => {
    expect(routeOf('GET', '/products/')).toBe('/products');
    expect(routeOf('GET', '/products/p1/')).toBe('/products/{productId}');
    expect(paramsOf('GET', '/products/p1/')).toEqual({ productId: 'p1' });
    expect(routeOf('POST', '/carts/c1/items/')).toBe('/carts/{cartId}/items');
  });

  it('takes segments that only contain dots as ordinary values', () => {
    expect(paramsOf('GET', '/products/p.1')).toEqual({ productId: 'p.1' });
    expect(paramsOf('GET', '/products/...')).toEqual({ productId: '...' });
  });

  it('passes path parameters decoded, as before', () => {
    expect(paramsOf('GET', '/products/caf%C3%A9')).toEqual({ productId: 'café' });
    expect(paramsOf('PATCH', '/carts/c%201/items/SKU%2F1')).toEqual({ cartId: 'c 1', sku: 'SKU/1' });
  });

  it('keeps empty segments inside a greedy tail, as API Gateway keeps them in {proxy+}', () => {
    expect(paramsOf('GET', '/files/a//b')).toEqual({ path: 'a//b' });
    expect(paramsOf('GET', '/files/a/b/')).toEqual({ path: 'a/b' });
    expect(paramsOf('GET', '/files/a%2Fb/c')).toEqual({ path: 'a/b/c' });
    expect(routeOf('GET', '/files/')).toBeUndefined();
    expect(routeOf('GET', '/files//')).toBeUndefined();
  });

  it('prefers static parts, then parameters, then greedy tails, and an exact method over ANY', () => {
    expect(matchRoute(routes, 'GET', ['files', 'x'])?.route.method).toBe('GET');
    expect(matchRoute(routes, 'DELETE', ['files', 'x'])?.route.method).toBe('ANY');
    expect(matchRoute(routes, 'GET', ['products'])?.route.resourcePath).toBe('/products');
    expect(matchRoute(routes, 'GET', [])).toBeUndefined();
  });

  it('matches nothing for a segment that does not decode, even when called directly', () => {
    expect(matchRoute(routes, 'GET', ['products', '%'])).toBeUndefined();
    expect(matchRoute(routes, 'GET', ['products', '%C0%AE'])).toBeUndefined();
  });
});

describe('request head size', () => {
  it('counts the request line and header values, not header names', () => {
    expect(requestHeadBytes('GET / HTTP/1.1', ['Host', 'a', 'X-Long-Header-Name', 'bbb'])).toBe(14 + 1 + 3);
    expect(requestHeadBytes('GET / HTTP/1.1', [])).toBe(14);
  });

  it('counts a byte per character of the latin1 head Node hands over', () => {
    expect(requestHeadBytes('GET / HTTP/1.1', ['X', '\u00e9\u00e9'])).toBe(16);
  });

  it('is API Gateway REST quota of 10,240 bytes', () => {
    expect(MAX_REQUEST_HEAD_BYTES).toBe(10_240);
  });
});

describe('gateway responses for rejected input', () => {
  const problem = (status: number, title: string) =>
    `{"type":"about:blank","title":"${title}","status":${status},"detail":$context.error.messageString,"requestId":"$context.requestId"}`;
  const headers = {
    'content-type': 'application/problem+json',
    'access-control-allow-origin': '*',
    'x-request-id': '$context.requestId',
  };
  /** As the template maps them: every type its own status, DEFAULT_4XX/5XX for the rest. */
  const responses: Record<string, GatewayResponse> = {
    MISSING_AUTHENTICATION_TOKEN: { statusCode: 404, headers, template: problem(404, 'Not Found') },
    DEFAULT_4XX: { statusCode: 400, headers, template: problem(400, 'Bad Request') },
    DEFAULT_5XX: { statusCode: 500, headers, template: problem(500, 'Internal Server Error') },
  };

  it('answers undecodable input with DEFAULT_4XX: 400 problem+json carrying the request id', () => {
    const rendered = renderGatewayResponse(responses, 'DEFAULT_4XX', 'req-1', 'bad path');
    expect(rendered.statusCode).toBe(400);
    expect(rendered.headers['content-type']).toBe('application/problem+json');
    expect(rendered.headers['x-request-id']).toBe('req-1');
    expect(JSON.parse(rendered.body)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'bad path',
      requestId: 'req-1',
    });
  });

  it('answers an oversized head with 431 and a body that says 431, on DEFAULT_4XX headers', () => {
    const rendered = renderGatewayResponse(responses, HEADERS_TOO_LARGE, 'req-2');
    expect(rendered.statusCode).toBe(431);
    expect(rendered.headers['content-type']).toBe('application/problem+json');
    expect(rendered.headers['x-request-id']).toBe('req-2');
    expect(rendered.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(rendered.body)).toEqual({
      type: 'about:blank',
      title: 'Request Header Fields Too Large',
      status: 431,
      detail: 'The request line and headers exceed 10240 bytes.',
      requestId: 'req-2',
    });
  });

  it('leaves the body of a type the template lists as the template has it', () => {
    const rendered = renderGatewayResponse(responses, 'MISSING_AUTHENTICATION_TOKEN', 'req-3');
    expect(rendered.statusCode).toBe(404);
    expect(JSON.parse(rendered.body)).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('falls back to a JSON message when the API maps no gateway responses', () => {
    const rendered = renderGatewayResponse({}, HEADERS_TOO_LARGE, 'req-4');
    expect(rendered.statusCode).toBe(431);
    expect(rendered.headers['content-type']).toBe('application/json');
    expect(JSON.parse(rendered.body)).toEqual({
      message: 'The request line and headers exceed 10240 bytes.',
    });
  });
});
