/**
 * The reviews routes of the OpenAPI document (API.md, "Reviews and recommendations"), registered
 * by `lambdas/ops/openapi.ts` from the same schemas the handlers validate with (path, query and
 * body), listing every status each handler answers. Only the OpenApi function imports this.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import { type ServiceDocOptions, stringHeader } from '#shared/openapi-doc.ts';
import {
  AdminReviewPathSchema,
  ListReviewsQuerySchema,
  ProductReviewsPathSchema,
  ReviewPageSchema,
  ReviewPathSchema,
  ReviewSchema,
  ReviewWriteSchema,
} from './domain/review.ts';

export function registerReviewsPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: ServiceDocOptions,
): void {
  const signedIn = [{ [bearer]: [] }];
  const json = (
    schema: z.ZodType,
    description: string,
    extra: Record<string, ReturnType<typeof stringHeader>> = {},
  ) => ({
    description,
    headers: { 'x-request-id': stringHeader('Correlates the response with logs.'), ...extra },
    content: { 'application/json': { schema } },
  });
  const noContent = (description: string) => ({
    description,
    headers: { 'x-request-id': stringHeader('Correlates the response with logs.') },
  });
  const unauthorized = problem('No bearer token, or one that is not valid (expired, wrong issuer).');
  const body = { required: true, content: { 'application/json': { schema: ReviewWriteSchema } } };
  const invalid = (path: string) =>
    problem(
      `${path}, no body or one that is not JSON, or a body the ReviewWrite schema refuses (rating not a whole number 1..5, title over 120 or body over 4000 characters or all white space, an unknown field); \`errors\` lists each field.`,
    );
  const contention = 'the product’s reviews are changing too fast right now (retry)';

  registry.registerPath({
    method: 'get',
    path: '/products/{productId}/reviews',
    tags: ['reviews'],
    summary: "A product's visible reviews and their summary",
    description:
      'Newest first, or by rating (highest first, newest first within). The summary counts visible reviews only: hidden ones are out of both.',
    request: { params: ProductReviewsPathSchema, query: ListReviewsQuerySchema },
    responses: {
      200: json(ReviewPageSchema, 'A page of reviews, and the summary'),
      400: problem(
        'A product id no product can have (see `productId`), a sort other than `newest` or `rating`, a limit that is not a whole number from 1 to 100, a cursor this listing did not issue for this product and sort (altered, or from another product or sort), or a query parameter other than `sort`, `limit` and `cursor`; `errors` names it.',
      ),
      404: problem('No such product.'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/products/{productId}/reviews',
    tags: ['reviews'],
    summary: 'Review a product you bought',
    description:
      'A buyer is a caller with a confirmed, not cancelled order holding one of the product’s SKUs. One review per buyer and product: edit it with PUT.',
    security: signedIn,
    request: { params: ProductReviewsPathSchema, body },
    responses: {
      201: json(ReviewSchema, 'The review', {
        location: stringHeader('The review: `/products/{productId}/reviews/{reviewId}`.'),
      }),
      400: invalid('A product id no product can have'),
      401: unauthorized,
      403: problem('You have not bought this product (or its order was cancelled).'),
      404: problem('No such product.'),
      409: problem(`You already reviewed this product (edit that review instead), or ${contention}.`),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/products/{productId}/reviews/{reviewId}',
    tags: ['reviews'],
    summary: 'Edit your review',
    security: signedIn,
    request: { params: ReviewPathSchema, body },
    responses: {
      200: json(ReviewSchema, 'The review as edited'),
      400: invalid('A product id no product can have or a review id not of the form POST issues'),
      401: unauthorized,
      403: problem("Someone else's review."),
      404: problem('No such review of this product (none with this id, or it reviews another product).'),
      409: problem(`Conflict: ${contention}.`),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/products/{productId}/reviews/{reviewId}',
    tags: ['reviews'],
    summary: 'Delete your review (you may then review the product again)',
    security: signedIn,
    request: { params: ReviewPathSchema },
    responses: {
      204: noContent('Deleted'),
      400: problem(
        'A product id no product can have or a review id not of the form POST issues; `errors` names it.',
      ),
      401: unauthorized,
      403: problem("Someone else's review."),
      404: problem('No such review of this product (none with this id, or it reviews another product).'),
      409: problem(`Conflict: ${contention}.`),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/admin/reviews/{reviewId}',
    tags: ['reviews', 'admin'],
    summary: 'Hide a review (admin): out of the list and the summary',
    description: 'Hiding a hidden review answers 204 again. The author can still delete it.',
    security: signedIn,
    request: { params: AdminReviewPathSchema },
    responses: {
      204: noContent('Hidden (now, or already)'),
      400: problem('A review id not of the form POST issues; `errors` names `reviewId`.'),
      401: unauthorized,
      403: problem('Not an administrator.'),
      404: problem('No such review.'),
      409: problem(`Conflict: ${contention}.`),
    },
  });
}
