/**
 * The inventory steps of the checkout saga on any deps: each handler binds one to the wiring,
 * the unit tests to the in-memory store.
 */
import * as z from 'zod';
import { loadEnv } from '#shared/config.ts';
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import { HoldSecondsSchema, OrderStepInputSchema, ReserveStepInputSchema } from '../domain/requests.ts';
import type { Reservation } from '../domain/stock.ts';
import { commit, type InventoryDeps, release, reserve } from '../domain/use-cases.ts';
import { inventoryStep } from './inventory-step.ts';

/** Long enough to pay, short enough that an abandoned checkout gives its units back soon. */
export const DEFAULT_RESERVATION_TTL_SECONDS = 900;

/** ReserveInventory's configuration, validated at cold start. */
export function reservationTtlSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return loadEnv(
    z.object({
      RESERVATION_TTL_SECONDS: z.coerce
        .number()
        .pipe(HoldSecondsSchema)
        .default(DEFAULT_RESERVATION_TTL_SECONDS),
    }),
    env,
  ).RESERVATION_TTL_SECONDS;
}

export type ReserveInventoryOutput = Pick<Reservation, 'orderId' | 'status' | 'expiresAt' | 'lines'>;

/**
 * `{ orderId, lines: [{ sku, quantity, ... }] }` -> the reservation. A repeat for the order answers
 * the same reservation (never a second hold), with its status as it is now.
 */
export function reserveInventoryStep(deps: InventoryDeps, ttlSeconds: number) {
  return inventoryStep({
    step: 'ReserveInventory',
    schema: ReserveStepInputSchema,
    run: async ({ orderId, lines }): Promise<ReserveInventoryOutput> => {
      const reservation = await reserve(deps, { orderId, lines, ttlSeconds });
      return {
        orderId: reservation.orderId,
        status: reservation.status,
        expiresAt: reservation.expiresAt,
        lines: reservation.lines,
      };
    },
  });
}

/** `{ orderId }` -> `{ orderId, outcome: 'committed' | 'already-committed' }`: the saga's pivot. */
export function commitReservationStep(deps: InventoryDeps) {
  return inventoryStep({
    step: 'CommitReservation',
    schema: OrderStepInputSchema,
    run: ({ orderId }) => commit(deps, orderId),
  });
}

/**
 * `{ orderId }` -> `{ orderId, outcome: 'released' | 'already-released' | 'nothing-held' }`: a
 * compensation, counted (CompensationsRun) when this run released the hold.
 */
export function releaseInventoryStep(deps: InventoryDeps, metrics?: BusinessMetrics) {
  return inventoryStep({
    step: 'ReleaseInventory',
    schema: OrderStepInputSchema,
    run: async ({ orderId }) => {
      const released = await release(deps, orderId);
      if (released.outcome === 'released') metrics?.record('CompensationsRun', 1, 'ReleaseInventory');
      return released;
    },
  });
}
