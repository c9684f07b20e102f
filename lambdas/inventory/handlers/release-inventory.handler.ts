/**
 * ReleaseInventory (saga compensation): returns the order's held units to available; nothing held
 * is fine. `ReservationCommitted` refuses to put sold units back.
 */
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps } from '../adapters/wiring.ts';
import { releaseInventoryStep } from './saga-steps.ts';

export const handler = withMetrics(releaseInventoryStep(deps, businessMetrics));
