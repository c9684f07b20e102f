/**
 * ReserveInventory (saga step): holds every line's units for the order in one transaction, for
 * RESERVATION_TTL_SECONDS (default 900). `OutOfStock` names the SKUs that lacked units.
 */
import { deps } from '../adapters/wiring.ts';
import { reservationTtlSeconds, reserveInventoryStep } from './saga-steps.ts';

export const handler = reserveInventoryStep(deps, reservationTtlSeconds());
