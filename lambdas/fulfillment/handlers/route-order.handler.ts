/** RouteOrder (SQS: OrderPlaced): routes the order to warehouses, then publishes ShipmentCreated per shipment. */
import { deps } from '../adapters/wiring.ts';
import { routeOrderConsumer } from './consumers.ts';

export const handler = routeOrderConsumer(deps);
