/** GET /admin/shipments/{shipmentId} (admin): the shipment; 404 for an unknown one. One GetItem. */
import { deps } from '../adapters/wiring.ts';
import { getShipmentRoute } from './routes.ts';

export const handler = getShipmentRoute(deps);
