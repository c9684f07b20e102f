/**
 * Composition root for the cart functions: config validated and clients made once per container.
 * Names and prices come from the catalog's read module; it reads PRODUCTS_TABLE when first used,
 * so functions that never price a line need no products table.
 */
import * as z from 'zod';
import { getSkus } from '#catalog/client.ts';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { CartDeps } from '../domain/use-cases.ts';
import { DynamoDbCartRepository } from './dynamodb-cart-repository.ts';

const env = loadEnv(z.object({ CARTS_TABLE: required() }));

export const deps: CartDeps = {
  carts: new DynamoDbCartRepository(documentClient(), env.CARTS_TABLE),
  catalog: { getSkus },
};
