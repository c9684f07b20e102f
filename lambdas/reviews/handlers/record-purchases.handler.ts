/** RecordPurchases (SQS: OrderPlaced, OrderCancelled): who bought what, for the buyer check. */
import { eventConsumer } from '#events/consumer.ts';
import { deps } from '../adapters/wiring.ts';
import { recordCancelled, recordPlaced } from '../domain/purchases.ts';

export const handler = eventConsumer({
  OrderPlaced: (detail) => recordPlaced(deps, detail),
  OrderCancelled: (detail) => recordCancelled(deps, detail),
});
