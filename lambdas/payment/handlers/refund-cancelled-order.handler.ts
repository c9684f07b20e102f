/**
 * On OrderCancelled: returns the order's money (a refund of what is left of the capture, or a void
 * of an authorization never captured), then publishes PaymentRefunded. A repeat of the event finds
 * the refund already on the charge (the provider key is the order's) and answers it again, never
 * a second refund.
 */
import { eventConsumer } from '#events/consumer.ts';
import { busPublisher } from '#events/publisher.ts';
import { deps } from '../adapters/wiring.ts';
import { reversePayment } from '../domain/use-cases.ts';

const events = busPublisher();

export const handler = eventConsumer({
  OrderCancelled: async (detail) => {
    const reversed = await reversePayment(deps, { orderId: detail.orderId });
    if (reversed.status === 'NOTHING_TO_REVERSE' || !reversed.chargeId) return;
    await events.publish('PaymentRefunded', {
      version: 1,
      orderId: detail.orderId,
      chargeId: reversed.chargeId,
      refunded: { amount: reversed.amount, currency: 'USD' },
      reason: 'cancellation',
      refundedAt: new Date().toISOString(),
    });
  },
});
