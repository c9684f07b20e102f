/**
 * On OrderCancelled: the order's sold units go back on sale (sold -> available), once per order,
 * then StockReturned is published (again on a repeat: its consumers are idempotent).
 */
import { eventConsumer } from '#events/consumer.ts';
import { busPublisher } from '#events/publisher.ts';
import { deps } from '../adapters/wiring.ts';
import { returnStock } from '../domain/use-cases.ts';

const events = busPublisher();

export const handler = eventConsumer({
  OrderCancelled: async (detail) => {
    const returned = await returnStock(deps, detail.orderId);
    if (returned.outcome === 'nothing-sold') return;
    await events.publish('StockReturned', {
      version: 1,
      orderId: detail.orderId,
      lines: returned.lines,
      returnedAt: new Date().toISOString(),
    });
  },
});
