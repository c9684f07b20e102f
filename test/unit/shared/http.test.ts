import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { callerContext, callerOf, requireAdmin } from '#shared/auth.ts';
import { corsHeaders, corsPolicy } from '#shared/cors.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from '#shared/errors.ts';
import { httpHandler, jsonBody, queryParams } from '#shared/http.ts';
import { toProblem } from '#shared/problem.ts';
import { validate } from '#shared/validation.ts';
import { apiEvent, lambdaContext } from '../support.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

const echo = httpHandler(async (event) => {
  const body = validate(z.strictObject({ name: z.string() }), jsonBody(event));
  return { status: 201, body };
});

describe('problem mapping', () => {
  it.each([
    [new NotFoundError('x'), 404],
    [new ConflictError('x'), 409],
    [new PreconditionFailedError('x'), 412],
    [new UnprocessableError('x'), 422],
  ])('maps %s to %i', (error, status) => {
    const { problem, internal } = toProblem(error);
    expect(problem.status).toBe(status);
    expect(problem.detail).toBe('x');
    expect(internal).toBe(false);
  });

  it('hides unknown errors behind a 500 without their message', () => {
    const { problem, internal } = toProblem(new Error('password=hunter2'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(internal).toBe(true);
  });
});

describe('httpHandler', () => {
  it('answers JSON with the gateway request id', async () => {
    const res = await echo(apiEvent({ body: '{"name":"x"}' }), lambdaContext);
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['content-type']).toBe('application/json');
    expect(res.headers?.['x-request-id']).toBe('req-123');
    expect(JSON.parse(res.body)).toEqual({ name: 'x' });
  });

  it('falls back to the x-request-id header, then to a fresh id', async () => {
    const noGatewayId = { requestId: '' } as never;
    const fromHeader = await echo(
      apiEvent({
        body: '{"name":"x"}',
        headers: { 'X-Request-Id': 'abc-1', ...JSON_HEADERS },
        requestContext: noGatewayId,
      }),
      lambdaContext,
    );
    expect(fromHeader.headers?.['x-request-id']).toBe('abc-1');
    const fresh = await echo(apiEvent({ body: '{', requestContext: noGatewayId }), lambdaContext);
    expect(fresh.headers?.['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns malformed JSON into a 400 problem', async () => {
    const res = await echo(apiEvent({ body: '{"name": "x",' }), lambdaContext);
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(res.headers?.['x-request-id']).toBe('req-123');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 400,
      title: 'Bad Request',
      type: expect.any(String),
    });
  });

  it('rejects bodies over 64 KB', async () => {
    const res = await echo(
      apiEvent({ body: JSON.stringify({ name: 'x'.repeat(65 * 1024) }) }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).detail).toContain('64 KB');
  });

  it('reports field paths, including unknown keys at their own path', async () => {
    const res = await echo(apiEvent({ body: '{"name":1,"colour":"red"}' }), lambdaContext);
    const paths = JSON.parse(res.body).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'colour']));
  });

  it('answers 500 for unexpected errors, with the request id and no internals', async () => {
    const boom = httpHandler(async () => {
      throw new Error('connection string leaked');
    });
    const res = await boom(apiEvent(), lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('leaked');
    expect(res.headers?.['x-request-id']).toBe('req-123');
  });

  it('sends no body and no content type with a 204', async () => {
    const empty = httpHandler(async () => ({ status: 204 }));
    const res = await empty(apiEvent(), lambdaContext);
    expect(res).toMatchObject({ statusCode: 204, body: '' });
    expect(res.headers?.['content-type']).toBeUndefined();
  });

  it('decodes base64 bodies', () => {
    expect(
      jsonBody({
        body: Buffer.from('{"a":1}').toString('base64'),
        isBase64Encoded: true,
        headers: JSON_HEADERS,
      }),
    ).toEqual({
      a: 1,
    });
  });
});

describe('queryParams', () => {
  it('joins repeated parameters with commas', () => {
    const params = queryParams({
      queryStringParameters: { brand: 'b', q: 'lamp' },
      multiValueQueryStringParameters: { brand: ['a', 'b'], q: ['lamp'] },
    });
    expect(params).toEqual({ brand: 'a,b', q: 'lamp' });
  });
});

describe('requireAdmin: exact group names from the authorizer context', () => {
  const withAuthorizer = (authorizer: Record<string, string> | null) =>
    apiEvent({ requestContext: { requestId: 'r', authorizer } as never });
  const withGroups = (groups: string[]) => withAuthorizer(callerContext({ sub: 'u1', groups }));

  it('401 without an authorizer context', async () => {
    const res = await httpHandler(async (event) => {
      requireAdmin(event);
      return { status: 200 };
    })(withAuthorizer(null), lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it.each([
    [[]],
    [['shoppers']],
    [['admin ']],
    [[' admin']],
    [['admin\t']],
    [['\tadmin']],
    [['admin\n']],
    [['x,admin']],
    [['admin,x']],
    [['support,admin']],
    [['Admin']],
    [['ADMIN']],
    [['admin\u200b']],
    [['admín']],
    [['admins']],
    [['adm', 'in']],
    [['']],
  ])('403 for groups %j', (groups) => {
    expect(() => requireAdmin(withGroups(groups))).toThrow(ForbiddenError);
  });

  it.each([[['admin']], [['staff', 'admin']], [['admin', 'support,admin']]])('admits groups %j', (groups) => {
    expect(requireAdmin(withGroups(groups))).toEqual({ sub: 'u1', groups });
  });

  it('carries group names with commas and spaces through the context unchanged', () => {
    const groups = ['support,admin', ' padded ', 'a"quote'];
    expect(callerOf(withGroups(groups))?.groups).toEqual(groups);
  });

  it.each([
    ['a comma-joined string', 'staff,admin'],
    ['a bare name', 'admin'],
    ['a JSON object', '{"0":"admin"}'],
    ['a JSON string', '"admin"'],
    ['a list with a number', '["admin",1]'],
    ['a nested list', '[["admin"]]'],
    ['broken JSON', '["admin"'],
  ])('401, never admin and never anonymous, for groups that are %s', async (_, groups) => {
    const event = withAuthorizer({ sub: 'u1', groups, email: '' });
    expect(() => callerOf(event)).toThrow(UnauthorizedError);
    const res = await httpHandler(async (e) => {
      requireAdmin(e);
      return { status: 200 };
    })(event, lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it('no sub: no caller', () => {
    expect(callerOf(withAuthorizer({ sub: '', groups: '["admin"]' }))).toBeUndefined();
    expect(callerOf(withAuthorizer({ groups: '["admin"]' }))).toBeUndefined();
  });
});

describe('CORS on every answer', () => {
  const shop = 'https://shop.example.com';
  const configured = corsPolicy(`${shop}, https://admin.example.com:8443`);

  it('any origin locally: allow-origin * and the readable headers, Origin or not', () => {
    for (const origin of [undefined, shop, 'http://localhost:5173', 'null']) {
      expect(corsHeaders(corsPolicy('*'), origin)).toEqual({
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'etag, location, x-request-id',
      });
    }
  });

  it('configured origins: the exact origin is echoed, with Vary', () => {
    expect(corsHeaders(configured, shop)).toEqual({
      'access-control-allow-origin': shop,
      'access-control-expose-headers': 'etag, location, x-request-id',
      vary: 'origin',
    });
    expect(corsHeaders(configured, 'https://admin.example.com:8443')['access-control-allow-origin']).toBe(
      'https://admin.example.com:8443',
    );
  });

  it.each([
    undefined,
    'https://evil.example.com',
    'https://shop.example.com.evil.com',
    'https://shop.example.co',
    'http://shop.example.com',
    'https://SHOP.example.com',
    'https://shop.example.com:443',
    'https://shop.example.com/',
    'null',
    '*',
    '',
  ])('configured origins: %j gets no allow-origin', (origin) => {
    expect(corsHeaders(configured, origin)).toEqual({ vary: 'origin' });
  });

  it('unset or empty: same-origin only', () => {
    for (const value of [undefined, '', ' , '])
      expect(corsHeaders(corsPolicy(value), shop)).toEqual({ vary: 'origin' });
  });

  it.each([
    'https://*.example.com',
    'shop.example.com',
    'https://shop.example.com/path',
    'ftp://x.example.com',
    '*,https://a.example.com',
  ])('refuses %j at cold start', (value) => {
    expect(() => corsPolicy(value)).toThrow(/CORS_ALLOW_ORIGINS/);
  });

  it('success and problem answers both go through the CORS layer', async () => {
    const ok = await echo(
      apiEvent({ body: '{"name":"x"}', headers: { Origin: shop, ...JSON_HEADERS } }),
      lambdaContext,
    );
    const bad = await echo(
      apiEvent({ body: '{', headers: { Origin: shop, ...JSON_HEADERS } }),
      lambdaContext,
    );
    // Unit tests run with CORS_ALLOW_ORIGINS unset: same-origin, so only Vary.
    for (const res of [ok, bad]) {
      expect(res.headers).toMatchObject({ vary: 'origin', 'x-request-id': 'req-123' });
      expect(res.headers).not.toHaveProperty('access-control-allow-origin');
    }
    expect(bad.statusCode).toBe(400);
  });
});

describe('jsonBody: text only', () => {
  it.each([
    ['a lone high surrogate in a value', '{"name":"ok\\ud800"}'],
    ['a lone low surrogate in a value', '{"name":"\\udc00ok"}'],
    ['a lone surrogate in a key', '{"k\\ud800":1}'],
    ['a lone surrogate deep in an array', '{"a":[{"b":["x","\\udbff"]}]}'],
    ['two high surrogates', '{"name":"\\ud800\\ud800"}'],
  ])('refuses %s with a 400', (_, body) => {
    expect(() => jsonBody({ body, isBase64Encoded: false, headers: JSON_HEADERS })).toThrow(
      /not valid Unicode/,
    );
  });

  it('keeps paired surrogates (emoji) and other text as sent', () => {
    expect(
      jsonBody({ body: '{"name":"lamp \\ud83d\\udca1 ✓"}', isBase64Encoded: false, headers: JSON_HEADERS }),
    ).toEqual({
      name: 'lamp 💡 ✓',
    });
  });
});

describe('jsonBody: JSON only', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/problem+json;charset=UTF-8',
  ])('takes %s', (type) => {
    expect(jsonBody({ body: '{"a":1}', isBase64Encoded: false, headers: { 'Content-Type': type } })).toEqual({
      a: 1,
    });
  });

  it.each([
    undefined,
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'text/json',
    'application/json-seq',
    '',
  ])('answers 415 to a body sent as %j, whatever the body', async (type) => {
    const res = await echo(
      apiEvent({ body: '{"name":"x"}', headers: type === undefined ? {} : { 'content-type': type } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(415);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
  });

  it('still calls a missing body a 400, before any media type', () => {
    expect(() => jsonBody({ body: '', isBase64Encoded: false, headers: {} })).toThrow(ValidationError);
  });
});
