/** Composition root of CountCoPurchases: the recommendations table only. */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { CountingDeps } from '../domain/counting.ts';
import { DynamoDbCoPurchaseStore } from './dynamodb-co-purchase-store.ts';

const env = loadEnv(z.object({ RECOMMENDATIONS_TABLE: required() }));

export const deps: CountingDeps = {
  store: new DynamoDbCoPurchaseStore(documentClient(), env.RECOMMENDATIONS_TABLE),
};
