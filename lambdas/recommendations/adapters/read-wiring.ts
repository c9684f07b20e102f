/** Composition root of GetRecommendations: this table's partners and counts, the catalog's products. */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { RecommendDeps } from '../domain/recommend.ts';
import { DynamoDbRecommendationReads } from './dynamodb-recommendation-reads.ts';

const env = loadEnv(z.object({ RECOMMENDATIONS_TABLE: required(), PRODUCTS_TABLE: required() }));

export const deps: RecommendDeps = {
  reads: new DynamoDbRecommendationReads(documentClient(), env.RECOMMENDATIONS_TABLE, env.PRODUCTS_TABLE),
};
