/**
 * Composition root for the inventory functions: config validated and clients made once per
 * container. The admin routes touch stock only, so RESERVATIONS_TABLE is set for the functions
 * that hold or settle reservations (the reaper and the saga steps) and absent elsewhere.
 */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { InventoryDeps } from '../domain/use-cases.ts';
import { DynamoDbInventoryStore } from './dynamodb-inventory-store.ts';

const env = loadEnv(
  z.object({ INVENTORY_TABLE: required(), RESERVATIONS_TABLE: z.string().min(1).optional() }),
);

export const deps: InventoryDeps = {
  store: new DynamoDbInventoryStore(documentClient(), env.INVENTORY_TABLE, env.RESERVATIONS_TABLE),
};
