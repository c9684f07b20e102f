/**
 * The reviews routes of the OpenAPI document (API.md, "Reviews and recommendations"), registered
 * by `lambdas/ops/openapi.ts` from the same schemas the handlers validate with. Only the OpenApi
 * function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import {
  ListReviewsQuerySchema,
  ProductIdSchema,
  ReviewIdSchema,
  ReviewPageSchema,
  ReviewSchema,
  ReviewWriteSchema,
} from './domain/review.ts';

export interface ReviewsDocOptions {
  /** The bearer security scheme's name. */
  bearer: string;
  /** A problem+json response with the given description. */
  problem: (description: string) => ResponseConfig;
}

const header = (description: string) => ({ description, schema: { type: 'string' as const } });

export function registerReviewsPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: ReviewsDocOptions,
): void {
  const signedIn = [{ [bearer]: [] }];
  const json = (
    schema: z.ZodType,
    description: string,
    extra: Record<string, ReturnType<typeof header>> = {},
  ) => ({
    description,
    headers: { 'x-request-id': header('Correlates the response with logs.'), ...extra },
    content: { 'application/json': { schema } },
  });
  const noContent = (description: string) => ({
    description,
    headers: { 'x-request-id': header('Correlates the response with logs.') },
  });
  const unauthorized = problem('No or invalid bearer token.');
  const body = { required: true, content: { 'application/json': { schema: ReviewWriteSchema } } };
  const productParams = z.object({ productId: ProductIdSchema });
  const reviewParams = z.object({ productId: ProductIdSchema, reviewId: ReviewIdSchema });
  const invalid = problem(
    'Invalid body (rating not a whole number 1..5, title 1..120 or body 1..4000 characters after trimming, an unknown field) or path; `errors` lists each field.',
  );

  registry.registerPath({
    method: 'get',
    path: '/products/{productId}/reviews',
    tags: ['reviews'],
    summary: "A product's visible reviews and their summary",
    description:
      'Newest first, or by rating (highest first, newest first within). The summary counts visible reviews only: hidden ones are out of both.',
    request: { params: productParams, query: ListReviewsQuerySchema },
    responses: {
      200: json(ReviewPageSchema, 'A page of reviews, and the summary'),
      400: problem('Invalid sort, limit or cursor (a cursor is bound to the product and sort).'),
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
    request: { params: productParams, body },
    responses: {
      201: json(ReviewSchema, 'The review', { location: header('/products/{productId}/reviews/{reviewId}') }),
      400: invalid,
      401: unauthorized,
      403: problem('You have not bought this product (or its order was cancelled).'),
      404: problem('No such product.'),
      409: problem('You already reviewed this product; edit that review instead.'),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/products/{productId}/reviews/{reviewId}',
    tags: ['reviews'],
    summary: 'Edit your review',
    security: signedIn,
    request: { params: reviewParams, body },
    responses: {
      200: json(ReviewSchema, 'The review as edited'),
      400: invalid,
      401: unauthorized,
      403: problem("Someone else's review."),
      404: problem('No such review of this product.'),
      409: problem('The product’s reviews are changing too fast right now; retry.'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/products/{productId}/reviews/{reviewId}',
    tags: ['reviews'],
    summary: 'Delete your review (you may then review the product again)',
    security: signedIn,
    request: { params: reviewParams },
    responses: {
      204: noContent('Deleted'),
      400: problem('Not a product or review id.'),
      401: unauthorized,
      403: problem("Someone else's review."),
      404: problem('No such review of this product.'),
      409: problem('The product’s reviews are changing too fast right now; retry.'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/admin/reviews/{reviewId}',
    tags: ['reviews', 'admin'],
    summary: 'Hide a review (admin): out of the list and the summary',
    description: 'Hiding a hidden review answers 204 again. The author can still delete it.',
    security: signedIn,
    request: { params: z.object({ reviewId: ReviewIdSchema }) },
    responses: {
      204: noContent('Hidden'),
      400: problem('Not a review id.'),
      401: unauthorized,
      403: problem('Not an administrator.'),
      404: problem('No such review.'),
      409: problem('The product’s reviews are changing too fast right now; retry.'),
    },
  });
}
