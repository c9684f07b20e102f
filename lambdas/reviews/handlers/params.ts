import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { validate } from '#shared/validation.ts';
import { ProductIdSchema, ReviewIdSchema } from '../domain/review.ts';

type Params = Pick<APIGatewayProxyEvent, 'pathParameters'>;

/** `{productId}`: one no product can have is a 400. */
export const productIdParam = (event: Params): string =>
  validate(z.object({ productId: ProductIdSchema }), { productId: event.pathParameters?.productId }, 'path')
    .productId;

/** `{reviewId}`: one no review can have is a 400. */
export const reviewIdParam = (event: Params): string =>
  validate(z.object({ reviewId: ReviewIdSchema }), { reviewId: event.pathParameters?.reviewId }, 'path')
    .reviewId;
