/**
 * Inventory use cases over the store port, no AWS, no HTTP. A reservation costs one
 * TransactWriteItems (every SKU and the reservation record, all or nothing); a commit or release
 * one GetItem and one TransactWriteItems; a repeat of a finished operation just the GetItem.
 */

import { DEFAULT_RETRY, type RetryPolicy, untilUncontended } from '#shared/retry.ts';
import { validate } from '#shared/validation.ts';
import {
  InventoryBusyError,
  OutOfStockError,
  ReservationCommittedError,
  ReservationConflictError,
  ReservationNotFoundError,
  ReservationReleasedError,
  StockLimitError,
  StockNotFoundError,
} from './errors.ts';
import type { InventoryStore } from './ports.ts';
import { type ReserveRequest, ReserveRequestSchema } from './requests.ts';
import {
  epochSeconds,
  normaliseLines,
  type Reservation,
  type StockView,
  sameLines,
  viewStock,
} from './stock.ts';

export interface InventoryDeps {
  store: InventoryStore;
  now?: () => Date;
  retry?: RetryPolicy;
}

const clock = (deps: InventoryDeps) => (deps.now ?? (() => new Date()))();
const policy = (deps: InventoryDeps) => deps.retry ?? DEFAULT_RETRY;

/** A commit or a release can find its reservation changed under it this many times in a row. */
const SETTLE_ROUNDS = 3;

/** GET /admin/inventory/{sku}. */
export async function getStock(deps: InventoryDeps, sku: string): Promise<StockView> {
  const stock = await deps.store.getStock(sku);
  if (!stock) throw new StockNotFoundError(sku);
  return viewStock(stock);
}

/** POST /admin/inventory/{sku}/receive: the units become available at once. */
export async function receiveStock(deps: InventoryDeps, sku: string, quantity: number): Promise<StockView> {
  const now = clock(deps);
  const result = await untilUncontended(
    policy(deps),
    () => deps.store.receive(sku, quantity, now),
    () => new InventoryBusyError(`Receiving stock for ${sku}`),
  );
  if (result.kind === 'full') throw new StockLimitError(sku);
  return viewStock(result.stock);
}

/**
 * Holds every line's units for the order, all or nothing, until `ttlSeconds` from now. A repeat
 * for the same order with the same lines answers the reservation as it is (never a second hold,
 * whatever its status now); other lines are a ReservationConflictError. Throws OutOfStockError
 * naming exactly the SKUs that lacked the units.
 */
export async function reserve(deps: InventoryDeps, request: ReserveRequest): Promise<Reservation> {
  const input = validate(ReserveRequestSchema, request, 'reservation');
  const now = clock(deps);
  const at = now.toISOString();
  const reservation: Reservation = {
    orderId: input.orderId,
    lines: normaliseLines(input.lines),
    status: 'HELD',
    expiresAt: epochSeconds(now) + input.ttlSeconds,
    createdAt: at,
    updatedAt: at,
  };
  const result = await untilUncontended(
    policy(deps),
    () => deps.store.hold(reservation),
    () => new InventoryBusyError(`Reserving for order ${input.orderId}`),
  );
  switch (result.kind) {
    case 'held':
      return result.reservation;
    case 'exists':
      if (!sameLines(result.reservation.lines, reservation.lines)) {
        throw new ReservationConflictError(input.orderId);
      }
      return result.reservation;
    case 'short':
      throw new OutOfStockError(result.shortages);
  }
}

export type ReleaseOutcome = 'released' | 'already-released' | 'nothing-held';

/**
 * Returns the order's held units to available. Idempotent, and tolerant of nothing to undo (a
 * reserve that failed, or never ran): the saga's compensation may run it any number of times.
 * Refuses only a committed reservation (sold units do not go back on the shelf this way).
 */
export async function release(
  deps: InventoryDeps,
  orderId: string,
): Promise<{ orderId: string; outcome: ReleaseOutcome }> {
  return { orderId, outcome: await settle(deps, orderId, 'RELEASED') };
}

export type CommitOutcome = 'committed' | 'already-committed';

/**
 * The checkout's pivot: moves the order's held units from reserved to sold. Only a reservation that
 * is still HELD commits (a HELD one past its expiry too: its units are still set aside for it);
 * a released one is ReservationReleasedError, so the saga compensates instead of overselling.
 * Idempotent: a repeat after success answers `already-committed`.
 */
export async function commit(
  deps: InventoryDeps,
  orderId: string,
): Promise<{ orderId: string; outcome: CommitOutcome }> {
  return { orderId, outcome: await settle(deps, orderId, 'COMMITTED') };
}

async function settle(deps: InventoryDeps, orderId: string, to: 'RELEASED'): Promise<ReleaseOutcome>;
async function settle(deps: InventoryDeps, orderId: string, to: 'COMMITTED'): Promise<CommitOutcome>;
async function settle(
  deps: InventoryDeps,
  orderId: string,
  to: 'RELEASED' | 'COMMITTED',
  expiredBy?: Date,
): Promise<ReleaseOutcome | CommitOutcome | 'not-expired'>;
async function settle(
  deps: InventoryDeps,
  orderId: string,
  to: 'RELEASED' | 'COMMITTED',
  expiredBy?: Date,
): Promise<ReleaseOutcome | CommitOutcome | 'not-expired'> {
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const current = await deps.store.getReservation(orderId);
    if (!current) {
      if (to === 'COMMITTED') throw new ReservationNotFoundError(orderId);
      return 'nothing-held';
    }
    if (current.status === 'RELEASED') {
      if (to === 'COMMITTED') throw new ReservationReleasedError(orderId);
      return 'already-released';
    }
    if (current.status === 'COMMITTED' || current.status === 'RETURNED') {
      if (to === 'RELEASED') throw new ReservationCommittedError(orderId);
      return 'already-committed';
    }
    if (expiredBy && current.expiresAt > epochSeconds(expiredBy)) return 'not-expired';
    const result = await untilUncontended(
      policy(deps),
      () => deps.store.settle(current, to, clock(deps), expiredBy),
      () => new InventoryBusyError(`Settling order ${orderId}`),
    );
    if (result.kind === 'settled') return to === 'RELEASED' ? 'released' : 'committed';
    // Changed under us (a concurrent commit, release or reaper): read it again and decide.
  }
  throw new InventoryBusyError(`Settling order ${orderId}`);
}

export type ReturnOutcome = 'returned' | 'already-returned' | 'nothing-sold';

/**
 * A cancelled order's units go back on sale: sold -> available. Idempotent per order (the
 * reservation moves COMMITTED -> RETURNED in the same transaction); an order that never sold
 * (no reservation, or one held or released) has nothing to return.
 */
export async function returnStock(
  deps: InventoryDeps,
  orderId: string,
): Promise<{ orderId: string; outcome: ReturnOutcome; lines: Reservation['lines'] }> {
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const current = await deps.store.getReservation(orderId);
    if (!current || current.status === 'HELD' || current.status === 'RELEASED') {
      return { orderId, outcome: 'nothing-sold', lines: [] };
    }
    if (current.status === 'RETURNED') return { orderId, outcome: 'already-returned', lines: current.lines };
    const result = await untilUncontended(
      policy(deps),
      () => deps.store.returnSold(current, clock(deps)),
      () => new InventoryBusyError(`Returning the stock of order ${orderId}`),
    );
    if (result.kind === 'settled') return { orderId, outcome: 'returned', lines: current.lines };
  }
  throw new InventoryBusyError(`Returning the stock of order ${orderId}`);
}

export interface ReapReport {
  found: number;
  released: number;
  /** Committed or released by someone else between the listing and the release. */
  skipped: number;
  failed: number;
}

/** Most expired holds one run releases; the next run (a minute later) takes the rest. */
export const REAP_BATCH = 500;
const REAP_CONCURRENCY = 8;

/**
 * The reaper: releases every HELD reservation whose expiry has passed. Each release is
 * conditional on the reservation still being HELD and expired, so a saga committing at the same
 * moment wins or loses cleanly, and two reapers never release twice.
 */
export async function reapExpired(deps: InventoryDeps, limit = REAP_BATCH): Promise<ReapReport> {
  const now = clock(deps);
  const orderIds = await deps.store.expiredHolds(now, limit);
  const report: ReapReport = { found: orderIds.length, released: 0, skipped: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < orderIds.length) {
      const orderId = orderIds[next++] as string;
      try {
        const outcome = await settle(deps, orderId, 'RELEASED', now);
        if (outcome === 'released') report.released++;
        else report.skipped++;
      } catch (error) {
        // Committed by its saga after the listing: not the reaper's any more.
        if (error instanceof ReservationCommittedError) report.skipped++;
        // Persistent contention: the next run retries whatever is still held.
        else report.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REAP_CONCURRENCY, orderIds.length) }, worker));
  return report;
}
