import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { requireAdmin } from '#shared/auth.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, UnprocessableError } from '#shared/errors.ts';
import { httpHandler, jsonBody, queryParams } from '#shared/http.ts';
import { toProblem } from '#shared/problem.ts';
import { validate } from '#shared/validation.ts';
import { apiEvent, lambdaContext } from '../support.ts';

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
      apiEvent({ body: '{"name":"x"}', headers: { 'X-Request-Id': 'abc-1' }, requestContext: noGatewayId }),
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
    expect(jsonBody({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })).toEqual({
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

describe('requireAdmin', () => {
  const withAuthorizer = (authorizer: Record<string, string> | null) =>
    apiEvent({ requestContext: { requestId: 'r', authorizer } as never });

  it('401 without an authorizer context', async () => {
    const res = await httpHandler(async (event) => {
      requireAdmin(event);
      return { status: 200 };
    })(withAuthorizer(null), lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it('403 for a caller outside the admin group', () => {
    expect(() => requireAdmin(withAuthorizer({ sub: 'u1', groups: 'shoppers', email: '' }))).toThrow(
      /administrators/,
    );
  });

  it('accepts admin among comma-joined groups', () => {
    expect(requireAdmin(withAuthorizer({ sub: 'u1', groups: 'staff, admin', email: 'a@b.c' }))).toEqual({
      sub: 'u1',
      groups: ['staff', 'admin'],
      email: 'a@b.c',
    });
  });
});
