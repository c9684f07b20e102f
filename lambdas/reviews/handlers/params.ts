import type { APIGatewayProxyEvent } from 'aws-lambda';
import { validate } from '#shared/validation.ts';
import { AdminReviewPathSchema, ProductReviewsPathSchema, ReviewPathSchema } from '../domain/review.ts';

type Params = Pick<APIGatewayProxyEvent, 'pathParameters'>;

/** `/products/{productId}/reviews`: a product id no product can have is a 400. */
export const productPath = (event: Params) =>
  validate(ProductReviewsPathSchema, { productId: event.pathParameters?.productId }, 'path');

/** `/products/{productId}/reviews/{reviewId}`: either id malformed is a 400 naming it. */
export const reviewPath = (event: Params) =>
  validate(
    ReviewPathSchema,
    { productId: event.pathParameters?.productId, reviewId: event.pathParameters?.reviewId },
    'path',
  );

/** `/admin/reviews/{reviewId}`. */
export const adminReviewPath = (event: Params) =>
  validate(AdminReviewPathSchema, { reviewId: event.pathParameters?.reviewId }, 'path');
