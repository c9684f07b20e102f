/** CountCoPurchases (SQS: OrderPlaced, OrderCancelled): an order into the co-purchase counts, or back out. */
import { eventConsumer } from '#events/consumer.ts';
import { deps } from '../adapters/count-wiring.ts';
import { countOrder, uncountOrder } from '../domain/counting.ts';

export const handler = eventConsumer({
  OrderPlaced: async (detail) => void (await countOrder(deps, detail)),
  OrderCancelled: async (detail) => void (await uncountOrder(deps, detail)),
});
