/**
 * The cart routes of the OpenAPI document (API.md, "Cart"), registered by `lambdas/ops/openapi.ts`
 * from the same schemas the handlers validate with. Only the OpenApi function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import { type ServiceDocOptions, stringHeader } from '#shared/openapi-doc.ts';
import {
  AddCartItemSchema,
  CartLinePathSchema,
  CartPathSchema,
  CartWriteHeadersSchema,
  CreateCartSchema,
  MergeCartSchema,
  SetCartItemSchema,
} from './domain/requests.ts';
import { CartSchema } from './domain/schemas.ts';

export function registerCartPaths(registry: OpenAPIRegistry, { bearer, problem }: ServiceDocOptions): void {
  // Signing in is optional on /carts: anonymous, or a bearer token (then it must be valid).
  const optional = [{}, { [bearer]: [] }];
  const signedIn = [{ [bearer]: [] }];
  const cart = (description: string): ResponseConfig => ({
    description,
    headers: {
      'x-request-id': stringHeader('Correlates the response with logs.'),
      etag: stringHeader('The cart version, quoted: send it back as If-Match.'),
    },
    content: { 'application/json': { schema: CartSchema } },
  });
  const ifMatch = CartWriteHeadersSchema;
  const cartParams = CartPathSchema;
  const lineParams = CartLinePathSchema;
  const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
  const badRequest = problem('Invalid input; `errors` lists each field.');
  const badLine = problem(
    'Invalid input: a SKU outside the catalog format (`sku`), a malformed If-Match (`If-Match`) or body; `errors` lists each field.',
  );
  const unauthorized = problem('A token was sent but is not valid; on /me, no token.');
  const notFound = problem(
    'No such cart, or not yours (a guest cart: whoever holds its id; a user cart: its owner).',
  );
  const busy = problem('Concurrent writes to the cart kept winning; retry.');
  const staleProblem = problem('If-Match names another version; the ETag header carries the current one.');
  const stale: ResponseConfig = {
    ...staleProblem,
    headers: {
      ...(staleProblem.headers as Record<string, unknown>),
      etag: stringHeader('The current cart version, quoted.'),
    } as ResponseConfig['headers'],
  };
  const rule = problem('Unknown SKU, more than 99 of a SKU, or more than 50 lines.');

  registry.registerPath({
    method: 'post',
    path: '/carts',
    tags: ['cart'],
    summary: 'Create a guest cart (its id is the key to it)',
    security: optional,
    // No body, or an empty JSON object: nothing about a new cart is the client's to choose.
    request: { body: { required: false, content: { 'application/json': { schema: CreateCartSchema } } } },
    responses: {
      201: {
        ...cart('The new cart'),
        headers: {
          ...cart('').headers,
          location: stringHeader('The cart: `/carts/{cartId}`.'),
        },
      },
      400: badRequest,
      401: unauthorized,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/carts/{cartId}',
    tags: ['cart'],
    summary: 'Read a cart, re-priced against the catalog',
    security: optional,
    request: { params: cartParams },
    responses: { 200: cart('The cart'), 401: unauthorized, 404: notFound },
  });
  registry.registerPath({
    method: 'post',
    path: '/carts/{cartId}/items',
    tags: ['cart'],
    summary: "Add to a SKU's line at the catalog's current name and price",
    security: optional,
    request: { params: cartParams, headers: ifMatch, body: body(AddCartItemSchema) },
    responses: {
      200: cart('The cart as written'),
      400: badRequest,
      401: unauthorized,
      404: notFound,
      409: busy,
      412: stale,
      422: rule,
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/carts/{cartId}/items/{sku}',
    tags: ['cart'],
    summary: "Set a line's quantity (0 removes the line)",
    security: optional,
    request: { params: lineParams, headers: ifMatch, body: body(SetCartItemSchema) },
    responses: {
      200: cart('The cart as written'),
      400: badLine,
      401: unauthorized,
      404: problem('No such cart, or no line for the SKU.'),
      409: busy,
      412: stale,
      422: problem('More than 99 of the SKU.'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/carts/{cartId}/items/{sku}',
    tags: ['cart'],
    summary: 'Remove a line (a line that is not there: the cart, unchanged)',
    security: optional,
    request: { params: lineParams, headers: ifMatch },
    responses: {
      200: cart('The cart'),
      400: problem('A SKU outside the catalog format, or a malformed If-Match; `errors` names it.'),
      401: unauthorized,
      404: notFound,
      409: busy,
      412: stale,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/me/cart',
    tags: ['cart'],
    summary: "The signed-in user's cart (created on first use), re-priced",
    security: signedIn,
    responses: {
      200: cart("The user's cart"),
      401: problem('No bearer token, or one that is not valid.'),
      409: problem('Two first reads at once could not settle who creates the cart; retry.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/me/cart/merge',
    tags: ['cart'],
    summary: "Merge a guest cart into the user's cart, then delete the guest cart",
    description:
      'Quantities of a SKU in both carts are summed, capped at 99; guest lines that would make more than 50 lines are left out. A repeat finds no guest cart and answers 404: the lines count once.',
    security: signedIn,
    request: { headers: ifMatch, body: body(MergeCartSchema) },
    responses: {
      200: cart("The user's cart"),
      400: badRequest,
      401: problem('No bearer token, or one that is not valid.'),
      404: problem('No such guest cart: already merged, expired, or never there.'),
      409: busy,
      412: stale,
    },
  });
}
