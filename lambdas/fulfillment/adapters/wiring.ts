/**
 * Composition root for the fulfillment functions: config validated and clients made once per
 * container. Each function is given only the tables it uses (GetShipment no warehouses table, the
 * warehouse routes no shipments table), so both are optional here and checked where used.
 */
import * as z from 'zod';
import { busPublisher } from '#events/publisher.ts';
import { loadEnv } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { FulfillmentDeps } from '../domain/use-cases.ts';
import { DynamoDbFulfillmentStore } from './dynamodb-fulfillment-store.ts';

const env = loadEnv(
  z.object({
    FULFILLMENT_WAREHOUSES_TABLE: z.string().min(1).optional(),
    FULFILLMENT_SHIPMENTS_TABLE: z.string().min(1).optional(),
  }),
);

export const deps: FulfillmentDeps = {
  store: new DynamoDbFulfillmentStore(documentClient(), {
    warehousesTable: env.FULFILLMENT_WAREHOUSES_TABLE,
    shipmentsTable: env.FULFILLMENT_SHIPMENTS_TABLE,
  }),
  // EVENT_BUS_NAME is checked on the first publish: only the publishing functions have it.
  publisher: busPublisher(),
};
