/**
 * Composition root for the catalog functions: config validated and clients made once per container.
 */

import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { CatalogDeps } from '../domain/use-cases.ts';
import { DynamoDbProductRepository } from './dynamodb-product-repository.ts';

const env = loadEnv(z.object({ PRODUCTS_TABLE: required() }));

export const deps: CatalogDeps = {
  products: new DynamoDbProductRepository(documentClient(), env.PRODUCTS_TABLE),
};
