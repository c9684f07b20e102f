/**
 * ApplyRating (SQS: ProductRatingChanged from reviews): sets the product's rating unless it holds
 * a newer one; a product that is gone is nothing to do. The products stream then reindexes it.
 */
import * as z from 'zod';
import { eventConsumer } from '#events/consumer.ts';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import { DynamoDbProductRepository } from '../adapters/dynamodb-product-repository.ts';
import { applyRating } from '../domain/rating.ts';

const env = loadEnv(z.object({ PRODUCTS_TABLE: required() }));
const products = new DynamoDbProductRepository(documentClient(), env.PRODUCTS_TABLE);

export const handler = eventConsumer({
  ProductRatingChanged: async (detail) => void (await applyRating({ products }, detail)),
});
