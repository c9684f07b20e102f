import type { Reservation, Shortage, Stock } from './stock.ts';

/** Another transaction held one of the items at the same moment: nothing was written, try again. */
export type Contended = { kind: 'contended' };

export type ReceiveResult = { kind: 'received'; stock: Stock } | { kind: 'full' } | Contended;

export type HoldResult =
  | { kind: 'held'; reservation: Reservation }
  /** The order has a reservation already (whatever its lines and status); nothing was written. */
  | { kind: 'exists'; reservation: Reservation }
  /** Some SKUs lacked the units; nothing was written. */
  | { kind: 'short'; shortages: Shortage[] }
  | Contended;

export type SettleResult =
  | { kind: 'settled'; reservation: Reservation }
  /** The reservation is no longer HELD (or, for the reaper, not yet expired): read it and decide. */
  | { kind: 'changed' }
  | Contended;

/**
 * What inventory needs from storage; the DynamoDB adapter implements it. Every write is atomic
 * and conditional: it applies whole, under the conditions stated, or not at all.
 */
export interface InventoryStore {
  getStock(sku: string): Promise<Stock | undefined>;
  /** Adds received units (creating the SKU's record), unless the SKU would pass MAX_STOCK. */
  receive(sku: string, quantity: number, now: Date): Promise<ReceiveResult>;
  /** Strongly consistent. */
  getReservation(orderId: string): Promise<Reservation | undefined>;
  /**
   * Stores the HELD reservation and moves each line's units from available to reserved, all or
   * nothing: only if the order has no reservation yet and every SKU has the units available.
   */
  hold(reservation: Reservation): Promise<HoldResult>;
  /**
   * Finishes a HELD reservation: RELEASED returns its units to available, COMMITTED moves them to
   * sold. Only if it is still HELD and, with `expiredBy`, its expiry is not after that instant.
   */
  settle(
    reservation: Reservation,
    to: 'RELEASED' | 'COMMITTED',
    now: Date,
    expiredBy?: Date,
  ): Promise<SettleResult>;
  /**
   * A cancelled order's sold units back to available: COMMITTED -> RETURNED, sold -> available,
   * all or nothing, only while the reservation is still COMMITTED.
   */
  returnSold(reservation: Reservation, now: Date): Promise<SettleResult>;
  /** Order ids of HELD reservations whose expiry is not after `now`, at most `limit` of them. */
  expiredHolds(now: Date, limit: number): Promise<string[]>;
}
