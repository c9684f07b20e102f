/**
 * Notify (SQS consumer of OrderPlaced, ShipmentShipped, ShipmentDelivered, OrderCancelled):
 * email and SMS to the buyer, once per (fact, channel), as their preferences allow. Partial
 * batch failures: a record that fails is retried alone, and a poison one ends in the DLQ.
 */
import { logger } from '#shared/logger.ts';
import { deps } from '../adapters/notify-wiring.ts';
import { notifyConsumer } from './notify-consumer.ts';

export const handler = notifyConsumer(deps, {
  onOutcome: ({ type, orderId, outcomes }) => logger.info('notified', { type, orderId, outcomes }),
});
