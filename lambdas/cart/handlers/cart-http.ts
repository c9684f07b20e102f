/**
 * What every cart handler shares: the caller (optional), path parameters, If-Match, and the ETag
 * on answers, including the 412 for a stale If-Match (so a client can retry without a read).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf } from '#shared/auth.ts';
import { UnauthorizedError } from '#shared/errors.ts';
import { type HttpFunction, header, httpHandler, jsonBody, type Reply } from '#shared/http.ts';
import { toProblem } from '#shared/problem.ts';
import { validate } from '#shared/validation.ts';
import { CartNotFoundError, VersionMismatchError } from '../domain/errors.ts';
import { CartLinePathSchema, CartPathSchema, CartWriteHeadersSchema } from '../domain/requests.ts';
import type { Caller, WriteOptions } from '../domain/use-cases.ts';
import type { CartView } from '../domain/view.ts';

export function cartHandler(fn: HttpFunction) {
  return httpHandler(async (event, context) => {
    try {
      return await fn(event, context);
    } catch (error) {
      if (!(error instanceof VersionMismatchError)) throw error;
      const { problem } = toProblem(error);
      return {
        status: problem.status,
        body: problem,
        headers: { 'content-type': 'application/problem+json', etag: `"${error.actual}"` },
      };
    }
  });
}

/** The caller from the optional authorizer's context; undefined for an anonymous request. */
export function caller(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const found = callerOf(event);
  return found ? { sub: found.sub } : undefined;
}

/** The /me routes: 401 before anything else is looked at. */
export function signedIn(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const found = caller(event);
  if (!found) throw new UnauthorizedError('Sign in: this route needs a bearer token.');
  return found;
}

/** Any string: one that no cart can have is simply an unknown cart (404), decided by the use case. */
export function cartIdParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  const cartId = event.pathParameters?.cartId;
  if (!cartId) throw new CartNotFoundError('');
  return validate(CartPathSchema, { cartId }, 'path').cartId;
}

/** The SKU of a line route: outside the catalog format, a 400 on `sku`. */
export function skuParam(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  return validate(CartLinePathSchema.pick({ sku: true }), { sku: event.pathParameters?.sku }, 'path').sku;
}

/**
 * `If-Match: 3`, `"3"` or `W/"3"` -> 3; `*`, an empty value or no header -> no condition. Anything
 * else is a 400 on `If-Match` (CartWriteHeadersSchema states the forms).
 */
export function writeOptions(event: Pick<APIGatewayProxyEvent, 'headers'>): WriteOptions {
  const raw = header(event, 'if-match')?.trim();
  const value = validate(CartWriteHeadersSchema, { 'If-Match': raw === '' ? undefined : raw }, 'headers')[
    'If-Match'
  ];
  if (value === undefined || value === '*') return {};
  return { expectedVersion: Number(/[0-9]+/.exec(value)?.[0]) };
}

/** A body that may be absent (POST /carts); when present it is parsed like any other. */
export function optionalJsonBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>,
): unknown {
  return event.body === null || event.body === undefined || event.body === '' ? {} : jsonBody(event);
}

export function cartReply(cart: CartView, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body: cart, headers: { etag: `"${cart.version}"`, ...headers } };
}
