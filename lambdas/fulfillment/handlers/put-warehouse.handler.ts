/** PUT /admin/warehouses/{warehouseId} (admin): creates or replaces the warehouse. One PutItem. */
import { deps } from '../adapters/wiring.ts';
import { putWarehouseRoute } from './routes.ts';

export const handler = putWarehouseRoute(deps);
