/**
 * Stock per SKU and reservations per order, and the rules both keep. Per SKU, every write keeps
 * `available + reserved + sold = received` (all units ever received) and `available >= 0`. A
 * reservation is a short hold: it moves units from `available` to `reserved` for one order until
 * the order commits them (reserved -> sold) or releases them (reserved -> available), by itself or
 * through the reaper once `expiresAt` has passed. Pure: no AWS, no HTTP.
 */
import { createHash } from 'node:crypto';

/** Most units one receive may add: a pallet count, not a typo's worth of zeros. */
export const MAX_RECEIVE_QUANTITY = 1_000_000;
/** Most units a SKU may ever have received: far below 2^53, so every count stays an exact number. */
export const MAX_STOCK = 1_000_000_000;
/** A reservation holds at most this many SKUs: a cart's line limit, inside one TransactWriteItems. */
export const MAX_RESERVATION_LINES = 50;
/** Longest hold: a checkout that has not paid in a day has been abandoned. */
export const MAX_HOLD_SECONDS = 24 * 60 * 60;
/**
 * Held reservations are indexed under one of these partitions (by a hash of the order id), so
 * the index that finds expired holds has no single hot key at a checkout peak.
 */
export const HELD_SHARDS = 8;
/** Finished reservations stay readable this long, so a late retry of the saga still sees them. */
export const FINISHED_RETENTION_SECONDS = 30 * 24 * 60 * 60;

export interface Stock {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  /** Every unit ever received: available + reserved + sold. */
  received: number;
  /** +1 per write. */
  version: number;
  updatedAt: string;
}

/** What GET /admin/inventory/{sku} answers. */
export interface StockView {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  version: number;
}

/** RETURNED: a committed (sold) reservation whose order was cancelled; its units are back on sale. */
export type ReservationStatus = 'HELD' | 'RELEASED' | 'COMMITTED' | 'RETURNED';

export interface ReservationLine {
  sku: string;
  quantity: number;
}

export interface Reservation {
  orderId: string;
  /** One line per SKU, sorted by SKU. */
  lines: ReservationLine[];
  status: ReservationStatus;
  /** Epoch seconds: a HELD reservation past this is the reaper's to release. */
  expiresAt: number;
  createdAt: string;
  updatedAt: string;
}

export interface Shortage {
  sku: string;
  requested: number;
  /** What the SKU had available when the reservation was refused (0 for a SKU never received). */
  available: number;
}

export const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function viewStock(stock: Stock): StockView {
  const { sku, available, reserved, sold, version } = stock;
  return { sku, available, reserved, sold, version };
}

/** The same SKU twice is one line of the summed quantity (one transaction cannot touch an item twice). */
export function normaliseLines(lines: readonly ReservationLine[]): ReservationLine[] {
  const bySku = new Map<string, number>();
  for (const line of lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** Whether two reservations hold the same quantities of the same SKUs. */
export function sameLines(a: readonly ReservationLine[], b: readonly ReservationLine[]): boolean {
  const x = normaliseLines(a);
  const y = normaliseLines(b);
  return (
    x.length === y.length && x.every((line, i) => line.sku === y[i]?.sku && line.quantity === y[i]?.quantity)
  );
}

export function isExpired(reservation: Pick<Reservation, 'expiresAt'>, now: Date): boolean {
  return reservation.expiresAt <= epochSeconds(now);
}

/** The index partition a held reservation is listed under. */
export function heldShardOf(orderId: string): string {
  const shard = (createHash('sha256').update(orderId).digest()[0] ?? 0) % HELD_SHARDS;
  return `HELD#${shard}`;
}

export const allHeldShards = (): string[] => Array.from({ length: HELD_SHARDS }, (_, i) => `HELD#${i}`);

/**
 * The idempotency token of one operation on one order (DynamoDB's ClientRequestToken: at most 36
 * characters). A request the SDK retries after a lost answer carries the same token, and DynamoDB
 * applies it once.
 */
export function requestToken(
  orderId: string,
  operation: 'reserve' | 'release' | 'commit' | 'return',
): string {
  return createHash('sha256').update(`${operation}:${orderId}`).digest('hex').slice(0, 36);
}
