/**
 * Composition root for the reviews functions: config validated and clients made once per
 * container. Products are checked through the catalog's read module (GetItem on the products
 * table); ratings are published on the bus. Variables a function does not need are optional here
 * and checked where used, so each function gets only the grants it uses.
 */
import * as z from 'zod';
import { getProduct } from '#catalog/client.ts';
import { busPublisher } from '#events/publisher.ts';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { ReviewsDeps } from '../domain/use-cases.ts';
import { DynamoDbReviewStore } from './dynamodb-review-store.ts';
import { REVIEWS_TABLE_ENV } from './table-layout.ts';

const env = loadEnv(z.object({ [REVIEWS_TABLE_ENV]: required() }));

export const deps: ReviewsDeps = {
  reviews: new DynamoDbReviewStore(documentClient(), env[REVIEWS_TABLE_ENV] as string),
  catalog: { getProduct },
  events: busPublisher(),
  onPublishFailure: async (productId, error) => {
    // Logged, not thrown: the review is saved; the marker stays and the sweeper republishes.
    const { logger } = await import('#shared/logger.ts');
    logger.warn('ProductRatingChanged not published; the sweeper retries', {
      productId,
      error: error as Error,
    });
  },
};
