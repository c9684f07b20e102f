/** ReleaseShipments (SQS: OrderCancelled): returns the units of the order's CANCELLED shipments to their warehouses. */
import { deps } from '../adapters/wiring.ts';
import { releaseShipmentsConsumer } from './consumers.ts';

export const handler = releaseShipmentsConsumer(deps);
