/**
 * CommitReservation (saga step, the pivot): moves the order's held units to sold.
 * `ReservationReleased` (the hold expired or was compensated) means compensate, never oversell.
 */
import { deps } from '../adapters/wiring.ts';
import { commitReservationStep } from './saga-steps.ts';

export const handler = commitReservationStep(deps);
