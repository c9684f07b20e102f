/**
 * The send ledger: exactly one message per (fact, channel) although events arrive at least once.
 *
 * The key is the fact, not the delivery: (kind, orderId[, shipmentId], channel). EventBridge's
 * event id is not enough, since a producer that retries a publish puts a second event, with a new
 * id, for the same fact. Before sending, an attempt claims the key with one conditional write: a
 * PENDING record with a lease (`until`), only if there is no record or the one there is a PENDING
 * whose lease has expired. Only the winner sends; it then marks the record SENT, or, when the
 * send fails, releases the lease so the retry does not wait for it to run out.
 *
 * The window that remains: an attempt that crashes (or times out) after the provider accepted
 * the message but before SENT leaves a PENDING lease; once it expires, a retry takes it over and
 * sends again. So at most one duplicate per crash, never sooner than the lease (longer than the
 * function's timeout, so a live sender is never overtaken). Providers offer no idempotency key
 * for SES SendEmail or SNS SMS Publish that would close it.
 */
import type { Channel, NotificationKind } from './preferences.ts';

export interface SendKey {
  kind: NotificationKind;
  orderId: string;
  /** Shipment events: one message per shipment of a split order. */
  shipmentId?: string;
  channel: Channel;
}

export type LedgerStatus = 'PENDING' | 'SENT';

export interface LedgerEntry {
  status: LedgerStatus;
  /** Epoch milliseconds the PENDING lease lasts until. */
  until: number;
  /** Who holds the lease: only its holder marks or releases it. */
  token: string;
}

export type ClaimResult =
  /** This attempt holds the lease: send, then mark SENT (or release). */
  | { kind: 'claimed' }
  /** Sent before: nothing to do. */
  | { kind: 'sent' }
  /** Another attempt holds an unexpired lease: it may be sending right now; retry later. */
  | { kind: 'held'; until: number };

/** Longer than the Notify function's timeout (15 s), so a running attempt keeps its lease. */
export const LEASE_MS = 60_000;

/** What the conditional write allows: no record, or a PENDING one whose lease has run out. */
export function mayClaim(existing: LedgerEntry | undefined, now: Date): boolean {
  return existing === undefined || (existing.status === 'PENDING' && existing.until <= now.getTime());
}

/** Why a claim was refused, from the record the conditional write found. */
export function refusal(existing: LedgerEntry): ClaimResult {
  return existing.status === 'SENT' ? { kind: 'sent' } : { kind: 'held', until: existing.until };
}
