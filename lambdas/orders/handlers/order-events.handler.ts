/**
 * The orders service's consumer of other services' events: fulfillment's shipments move the order
 * along (FULFILLING, SHIPPED, DELIVERED), and payments' refund of a cancelled order is recorded.
 */
import { eventConsumer } from '#events/consumer.ts';
import { deps } from '../adapters/after-placement-wiring.ts';
import { applyRefund, applyShipmentEvent } from '../domain/after-placement.ts';

export const handler = eventConsumer({
  ShipmentCreated: async (detail) => void (await applyShipmentEvent(deps, { kind: 'created', detail })),
  ShipmentShipped: async (detail) => void (await applyShipmentEvent(deps, { kind: 'shipped', detail })),
  ShipmentDelivered: async (detail) => void (await applyShipmentEvent(deps, { kind: 'delivered', detail })),
  PaymentRefunded: async (detail) => void (await applyRefund(deps, detail)),
});
