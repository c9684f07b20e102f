/**
 * Composition root for the orders functions: config validated and clients made once per container.
 * Carts and prices are read through the cart and catalog read modules (read-only grants); the
 * saga is started through Step Functions. Variables a function does not need are optional here and
 * checked where used, so each function gets only the grants it uses.
 */
import * as z from 'zod';
import { getCart } from '#cart/client.ts';
import { getSkus } from '#catalog/client.ts';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { OrdersDeps } from '../domain/use-cases.ts';
import { DynamoDbOrderRepository } from './dynamodb-order-repository.ts';
import { SfnWorkflow } from './sfn-workflow.ts';

const env = loadEnv(
  z.object({
    ORDERS_TABLE: required(),
    CHECKOUT_STATE_MACHINE_ARN: z.string().optional(),
  }),
);

export const deps: OrdersDeps = {
  orders: new DynamoDbOrderRepository(documentClient(), env.ORDERS_TABLE),
  carts: { get: getCart },
  catalog: { getSkus },
  workflow: {
    start: (orderId) => {
      if (!env.CHECKOUT_STATE_MACHINE_ARN)
        throw new Error('Invalid environment: CHECKOUT_STATE_MACHINE_ARN: required');
      workflow ??= new SfnWorkflow(env.CHECKOUT_STATE_MACHINE_ARN);
      return workflow.start(orderId);
    },
  },
};

let workflow: SfnWorkflow | undefined;
