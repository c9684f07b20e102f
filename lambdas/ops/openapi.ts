/**
 * The OpenAPI 3 document, generated from the very zod schemas the handlers validate with. Only the
 * OpenApi function imports this module (zod-to-openapi stays out of every other bundle).
 */
import { OpenAPIRegistry, OpenApiGeneratorV3, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { registerCartPaths } from '#cart/openapi.ts';
import {
  ListProductsQuerySchema,
  ProductPageSchema,
  ProductPathSchema,
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
import type { ServiceDocOptions } from '#shared/openapi-doc.ts';
import { ArmedFaultSchema, FaultRequestSchema } from '../dev/faults.ts';
import { PspChargesQuerySchema, PspChargesSchema } from '../dev/psp-charges.ts';
import { DevTokenRequestSchema, DevTokenResponseSchema } from '../dev/token-signer.ts';
import { registerRecommendationsPaths } from '../recommendations/openapi.ts';
import { registerReviewsPaths } from '../reviews/openapi.ts';
import { HealthReportSchema, LocalHealthReportSchema } from './health.ts';

export const ProblemSchema = z
  .strictObject({
    type: z
      .string()
      .meta({ description: 'A URI naming the kind of problem; `about:blank` from the gateway.' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z
      .array(
        z.strictObject({
          path: z.string().meta({
            description: 'The field, dot-joined (`variants.0.price.amount`, `cursor`, `If-Match`).',
            example: 'variants.0.price.amount',
          }),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'On a 400 from validation: one entry per invalid field.' }),
    requestId: z.string().optional().meta({
      description: "On the gateway's own answers (authorizer, throttling, size, WAF): its request id.",
    }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

/**
 * Answers API Gateway itself can give on any operation (lib/stacks/platform-stack.ts
 * GATEWAY_RESPONSES), before a function runs.
 */
const GATEWAY_ANSWERS = {
  413: 'The request is larger than API Gateway takes (10 MB). A JSON body over 64 KB is a 400 from the route.',
  429: 'Throttled: the stage or account request rate was exceeded. Retry after a pause, with backoff.',
  waf: 'Deployed stages: the request was filtered by the web application firewall (a managed rule or the per-address rate limit).',
} as const;

// `additionalProperties: true` stated outright: zod-to-openapi writes `{ nullable: true }` for a
// loose object, which JSON Schema validators refuse without a type.
const openObject = { additionalProperties: true };
/** This document: its top-level fields; every OpenAPI field may appear. */
const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }).meta(openObject),
    paths: z.record(z.string(), z.looseObject({}).meta(openObject)),
  })
  .meta({ description: 'An OpenAPI 3.0 document.', ...openObject });

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
  const local = (options.stage ?? 'local') === 'local';
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const admin = [{ [bearer.name]: [] }];
  const productIdParams = ProductPathSchema;
  const docProblem = (description: string) => withRequestId(problem(description));
  const badRequest = docProblem('Invalid input; `errors` lists each field.');
  const badProductId = docProblem('The product id is longer than 128 characters.');
  const unauthorized = docProblem('No or invalid bearer token.');
  const forbidden = docProblem('Not an administrator.');
  const notFound = docProblem('No such product (an id that is not a UUIDv7 is no product).');

  registry.registerPath({
    method: 'post',
    path: '/admin/products',
    tags: ['catalog'],
    summary: 'Create a product (admin)',
    security: admin,
    request: { body: { required: true, content: { 'application/json': { schema: ProductWriteSchema } } } },
    responses: {
      201: {
        ...json(ProductSchema, 'Created'),
        headers: {
          ...requestId,
          location: {
            description: 'The product: `/products/{productId}`.',
            schema: { type: 'string' as const },
          },
        },
      },
      400: badRequest,
      401: unauthorized,
      403: forbidden,
      409: docProblem('A SKU belongs to another product, or a concurrent write.'),
      422: docProblem('Two variants share a SKU.'),
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
      400: docProblem('Invalid body (`errors` lists each field), or a product id past 128 characters.'),
      401: unauthorized,
      403: forbidden,
      404: notFound,
      409: withRequestId(problem('A SKU belongs to another product, or a concurrent write.')),
      422: withRequestId(problem('Too many SKU changes in one write, or two variants share a SKU.')),
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
      400: badProductId,
      401: unauthorized,
      403: forbidden,
      404: notFound,
      409: docProblem('The product changed between the read and the delete; retry.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/products/{productId}',
    tags: ['catalog'],
    summary: 'Read a product',
    request: { params: productIdParams },
    responses: {
      200: withRequestId(json(ProductSchema, 'The product')),
      400: badProductId,
      404: notFound,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/products',
    tags: ['catalog'],
    summary: 'List products, newest first, optionally within a category',
    request: { query: ListProductsQuerySchema },
    responses: {
      200: withRequestId(json(ProductPageSchema, 'A page of products')),
      400: docProblem('Invalid parameters, or a cursor not issued for this category; `errors` names each.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/search',
    tags: ['search'],
    summary: 'Full-text search with filters, facets, sorts and cursor pages',
    request: { query: SearchQuerySchema },
    responses: {
      200: withRequestId(json(SearchResultSchema, 'Results and facets')),
      400: docProblem(
        'Invalid parameters, or a cursor not issued for this very search (text, filters and sort); `errors` names each.',
      ),
      422: docProblem('minPrice is above maxPrice: no price is in that range.'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/search/suggest',
    tags: ['search'],
    summary: 'Prefix autocomplete (at most 10)',
    request: { query: SuggestQuerySchema },
    responses: { 200: withRequestId(json(SuggestResultSchema, 'Suggestions')), 400: badRequest },
  });
  const health = local ? LocalHealthReportSchema : HealthReportSchema;
  registry.registerPath({
    method: 'get',
    path: '/health',
    tags: ['operations'],
    summary: 'Health of every part',
    responses: {
      200: withRequestId(json(health, 'Every probed part is ok')),
      503: withRequestId(json(health, 'Some probed part is down')),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags: ['operations'],
    summary: 'This document',
    responses: {
      200: withRequestId(json(OpenApiDocumentSchema, 'OpenAPI 3 document')),
    },
  });
  // What every service's paths are registered with: the security scheme and its problem responses.
  const services: ServiceDocOptions = {
    bearer: bearer.name,
    problem: (description) => withRequestId(problem(description)),
  };
  registerCartPaths(registry, services);
  registerInventoryPaths(registry, services);
  registerOrdersPaths(registry, services);
  registerFulfillmentPaths(registry, services);
  registerNotificationsPaths(registry, services);
  registerReviewsPaths(registry, services);
  registerRecommendationsPaths(registry, services);
  // The local issuer exists only in the local stage, and so does its route.
  if (local) {
    registerOutboxPath(registry, services);
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
        404: docProblem(
          'No saga step or function of that name; or fault injection is not served here (a LocalStack deploy).',
        ),
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
        404: docProblem('Fault injection is served by the local cloud only (not by a LocalStack deploy).'),
      },
    });
  }

  withGatewayAnswers(registry, { deployed: !local, problem: docProblem });
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

/**
 * The gateway's own answers on every operation, this helper's and every service's: 413 and 429,
 * and in deployed stages the WAF's 403 (folded into an operation's own 403 where it has one).
 */
function withGatewayAnswers(
  registry: OpenAPIRegistry,
  { deployed, problem }: { deployed: boolean; problem: (description: string) => ResponseConfig },
): void {
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const responses = definition.route.responses;
    responses[413] ??= problem(GATEWAY_ANSWERS[413]);
    responses[429] ??= problem(GATEWAY_ANSWERS[429]);
    if (!deployed) continue;
    const own = responses[403];
    responses[403] =
      own && 'description' in own
        ? { ...own, description: `${own.description} ${GATEWAY_ANSWERS.waf}` }
        : problem(GATEWAY_ANSWERS.waf);
  }
}
