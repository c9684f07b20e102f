/**
 * The OpenAPI 3 document, generated from the very zod schemas the handlers validate with. Only the
 * OpenApi function imports this module (zod-to-openapi stays out of every other bundle).
 */
import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { registerCartPaths } from '#cart/openapi.ts';
import {
  ListProductsQuerySchema,
  ProductIdSchema,
  ProductPageSchema,
  ProductSchema,
  ProductWriteSchema,
} from '#catalog/domain/product.ts';
import { registerFulfillmentPaths } from '#fulfillment/openapi.ts';
import { registerInventoryPaths } from '#inventory/openapi.ts';
import { registerNotificationsPaths, registerOutboxPath } from '#notifications/openapi.ts';
import { registerOrdersPaths } from '#orders/openapi.ts';
import {
  SearchQuerySchema,
  SearchResultSchema,
  SuggestQuerySchema,
  SuggestResultSchema,
} from '#search/domain/query.ts';
import { ArmedFaultSchema, FaultRequestSchema } from '../dev/faults.ts';
import { PspChargesQuerySchema, PspChargesSchema } from '../dev/psp-charges.ts';
import { DevTokenRequestSchema, DevTokenResponseSchema } from '../dev/token-signer.ts';
import { registerRecommendationsPaths } from '../recommendations/openapi.ts';
import { registerReviewsPaths } from '../reviews/openapi.ts';
import { HealthReportSchema } from './health.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string().meta({ example: 'variants.0.price.amount' }), message: z.string() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});
const requestId = {
  'x-request-id': { description: 'Correlates the response with logs.', schema: { type: 'string' as const } },
};
const withRequestId = <T extends object>(response: T) => ({ ...response, headers: requestId });

export function buildOpenApiDocument(options: { stage?: string; serverUrl?: string } = {}) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const admin = [{ [bearer.name]: [] }];
  const productIdParams = z.object({ productId: ProductIdSchema });
  const badRequest = withRequestId(problem('Invalid input; `errors` lists each field.'));
  const unauthorized = withRequestId(problem('No or invalid bearer token.'));
  const forbidden = withRequestId(problem('Not an administrator.'));
  const notFound = withRequestId(problem('No such product.'));

  registry.registerPath({
    method: 'post',
    path: '/admin/products',
    tags: ['catalog'],
    summary: 'Create a product (admin)',
    security: admin,
    request: { body: { required: true, content: { 'application/json': { schema: ProductWriteSchema } } } },
    responses: {
      201: withRequestId(json(ProductSchema, 'Created')),
      400: badRequest,
      401: unauthorized,
      403: forbidden,
      409: withRequestId(problem('A SKU belongs to another product.')),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/admin/products/{productId}',
    tags: ['catalog'],
    summary: 'Replace a product (admin)',
    security: admin,
    request: {
      params: productIdParams,
      body: { required: true, content: { 'application/json': { schema: ProductWriteSchema } } },
    },
    responses: {
      200: withRequestId(json(ProductSchema, 'Replaced')),
      400: badRequest,
      401: unauthorized,
      403: forbidden,
      404: notFound,
      409: withRequestId(problem('A SKU belongs to another product, or a concurrent write.')),
      422: withRequestId(problem('Too many SKU changes in one write.')),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/admin/products/{productId}',
    tags: ['catalog'],
    summary: 'Delete a product (admin); it leaves search too',
    security: admin,
    request: { params: productIdParams },
    responses: {
      204: withRequestId({ description: 'Deleted' }),
      401: unauthorized,
      403: forbidden,
      404: notFound,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/products/{productId}',
    tags: ['catalog'],
    summary: 'Read a product',
    request: { params: productIdParams },
    responses: { 200: withRequestId(json(ProductSchema, 'The product')), 404: notFound },
  });
  registry.registerPath({
    method: 'get',
    path: '/products',
    tags: ['catalog'],
    summary: 'List products, newest first, optionally within a category',
    request: { query: ListProductsQuerySchema },
    responses: { 200: withRequestId(json(ProductPageSchema, 'A page of products')), 400: badRequest },
  });
  registry.registerPath({
    method: 'get',
    path: '/search',
    tags: ['search'],
    summary: 'Full-text search with filters, facets, sorts and cursor pages',
    request: { query: SearchQuerySchema },
    responses: { 200: withRequestId(json(SearchResultSchema, 'Results and facets')), 400: badRequest },
  });
  registry.registerPath({
    method: 'get',
    path: '/search/suggest',
    tags: ['search'],
    summary: 'Prefix autocomplete (at most 10)',
    request: { query: SuggestQuerySchema },
    responses: { 200: withRequestId(json(SuggestResultSchema, 'Suggestions')), 400: badRequest },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    tags: ['operations'],
    summary: 'Health of every part',
    responses: {
      200: withRequestId(json(HealthReportSchema, 'Every part is ok')),
      503: withRequestId(json(HealthReportSchema, 'Some part is down')),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags: ['operations'],
    summary: 'This document',
    responses: {
      200: { description: 'OpenAPI 3 document', content: { 'application/json': { schema: z.object({}) } } },
    },
  });
  registerCartPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerInventoryPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerOrdersPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerFulfillmentPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerNotificationsPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerReviewsPaths(registry, {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  });
  registerRecommendationsPaths(registry, { problem: (description) => withRequestId(problem(description)) });
  // The local issuer exists only in the local stage, and so does its route.
  if ((options.stage ?? 'local') === 'local') {
    registerOutboxPath(registry, {
      bearer: bearer.name,
      problem: (description) => withRequestId(problem(description)),
    });
    registry.registerPath({
      method: 'post',
      path: '/dev/token',
      tags: ['local cloud'],
      summary: 'Mint a token from the local issuer (stage local only)',
      request: {
        body: { required: true, content: { 'application/json': { schema: DevTokenRequestSchema } } },
      },
      responses: { 200: withRequestId(json(DevTokenResponseSchema, 'A signed JWT')), 400: badRequest },
    });
    registry.registerPath({
      method: 'get',
      path: '/dev/psp/charges',
      tags: ['local cloud'],
      summary: "The sandbox payment provider's ledger for an order (stage local only, admin)",
      security: admin,
      request: { query: PspChargesQuerySchema },
      responses: {
        200: withRequestId(json(PspChargesSchema, 'The charges of the order, oldest first')),
        400: badRequest,
        401: unauthorized,
        403: forbidden,
      },
    });
    registry.registerPath({
      method: 'post',
      path: '/dev/faults',
      tags: ['local cloud'],
      summary: "Arm a fault in a saga step's function (stage local only, admin)",
      description:
        'The step names a Lambda Task state of a deployed state machine, else a function. The next `count` invocations of that function fail as `mode` says.',
      security: admin,
      request: { body: { required: true, content: { 'application/json': { schema: FaultRequestSchema } } } },
      responses: {
        201: withRequestId(json(ArmedFaultSchema, 'Armed')),
        400: badRequest,
        401: unauthorized,
        403: forbidden,
        404: withRequestId(problem('No saga step or function of that name.')),
        409: withRequestId(problem('The name matches several functions.')),
      },
    });
    registry.registerPath({
      method: 'delete',
      path: '/dev/faults',
      tags: ['local cloud'],
      summary: 'Clear every armed fault (stage local only, admin)',
      security: admin,
      responses: {
        204: withRequestId({ description: 'Cleared' }),
        401: unauthorized,
        403: forbidden,
      },
    });
  }

  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Serverless Store API',
      version: '1.0.0',
      description: 'Catalog, search, carts, inventory and operations. Errors are RFC 9457 problem documents.',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
  withUnsupportedMediaType(document);
  return document;
}

/**
 * Every operation that takes a body answers 415 to one that is not JSON (the shared HTTP layer's
 * rule, lambdas/shared/http.ts jsonBody): stated once here, shaped like that operation's 400.
 */
function withUnsupportedMediaType(document: ReturnType<OpenApiGeneratorV3['generateDocument']>): void {
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation?.requestBody) continue;
      const badRequest = operation.responses['400'] as Record<string, unknown> | undefined;
      operation.responses['415'] = {
        ...badRequest,
        description: 'The body is not JSON: send it with Content-Type: application/json.',
      };
    }
  }
}
