/** POST /admin/warehouses/{warehouseId}/allocations (admin): adds units of a SKU the warehouse can ship; 404 for an unknown warehouse. */
import { deps } from '../adapters/wiring.ts';
import { addAllocationRoute } from './routes.ts';

export const handler = addAllocationRoute(deps);
