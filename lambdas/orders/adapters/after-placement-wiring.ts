/**
 * Composition root of the functions that change an order after placement (the cancel route and
 * the consumer of fulfillment's and payments' events): the orders table, fulfillment's cancel call
 * (its published module, which needs its own tables' names and grants) and the bus.
 */
import * as z from 'zod';
import { busPublisher } from '#events/publisher.ts';
import { cancelShipments } from '#fulfillment/client.ts';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { AfterPlacementDeps } from '../domain/after-placement.ts';
import { DynamoDbOrderRepository } from './dynamodb-order-repository.ts';

const env = loadEnv(z.object({ ORDERS_TABLE: required() }));

export const deps: AfterPlacementDeps = {
  orders: new DynamoDbOrderRepository(documentClient(), env.ORDERS_TABLE),
  fulfillment: { cancelShipments: async (orderId) => (await cancelShipments(orderId)).outcome },
  events: busPublisher(),
};
