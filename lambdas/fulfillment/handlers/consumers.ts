/**
 * The fulfillment event consumers on any deps: each handler binds one to the wiring, the unit
 * tests to the in-memory store. A record that throws fails alone (Powertools batch): SQS retries
 * it, and after the queue's maxReceiveCount it lands in the DLQ, whose alarm fires.
 */
import { eventConsumer } from '#events/consumer.ts';
import { logger } from '#shared/logger.ts';
import { RoutingError } from '../domain/routing.ts';
import { type FulfillmentDeps, releaseShipments, routeOrder } from '../domain/use-cases.ts';

/** RouteOrder: OrderPlaced -> the order's shipments, then ShipmentCreated for each. */
export function routeOrderConsumer(deps: FulfillmentDeps) {
  return eventConsumer({
    OrderPlaced: async (order) => {
      try {
        const { outcome, shipments } = await routeOrder(deps, order);
        logger.info('order routed', { orderId: order.orderId, outcome, shipments: shipments.length });
      } catch (error) {
        // Allocations that cannot cover an order are a data problem an operator must fix; the
        // retries give a fix made meanwhile the chance to apply before the record reaches the DLQ.
        if (error instanceof RoutingError) {
          logger.error('order cannot be routed', {
            orderId: order.orderId,
            error,
            shortages: error.shortages,
          });
        }
        throw error;
      }
    },
  });
}

/** ReleaseShipments: OrderCancelled -> the units of its CANCELLED shipments back to their warehouses. */
export function releaseShipmentsConsumer(deps: FulfillmentDeps) {
  return eventConsumer({
    OrderCancelled: async ({ orderId }) => {
      const report = await releaseShipments(deps, orderId);
      if (report.released.length > 0) logger.info('shipments released', { orderId, ...report });
      if (report.notCancelled.length > 0) {
        logger.warn('cancelled order has shipments not cancelled', { orderId, ...report });
      }
    },
  });
}
