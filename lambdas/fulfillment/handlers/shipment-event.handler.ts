/** POST /admin/shipments/{shipmentId}/events (admin): a carrier's SHIPPED or DELIVERED; publishes ShipmentShipped or ShipmentDelivered on a real transition. */
import { deps } from '../adapters/wiring.ts';
import { shipmentEventRoute } from './routes.ts';

export const handler = shipmentEventRoute(deps);
