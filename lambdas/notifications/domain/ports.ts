import type { ClaimResult, SendKey } from './ledger.ts';
import type { Channel, NotificationKind, Preferences } from './preferences.ts';

/** Users' choices; the DynamoDB adapter implements it. */
export interface PreferencesStore {
  /** Undefined for a user who never saved any. */
  getPreferences(userId: string): Promise<unknown | undefined>;
  putPreferences(userId: string, preferences: Preferences, now: Date): Promise<void>;
}

/**
 * Whose order it is: shipment events carry no user id, so the consumer records the owner when
 * OrderPlaced (or OrderCancelled) passes by and looks it up for the shipment events.
 */
export interface OwnerDirectory {
  recordOwner(orderId: string, userId: string, now: Date): Promise<void>;
  ownerOf(orderId: string): Promise<string | undefined>;
}

/** The send ledger (ledger.ts): conditional writes only. */
export interface SendLedger {
  /** Claims the key for `token` until `leaseUntil`, unless it was sent or its lease is held. */
  claim(key: SendKey, token: string, now: Date, leaseUntil: Date): Promise<ClaimResult>;
  markSent(key: SendKey, token: string, now: Date): Promise<void>;
  /** Ends the lease at once (the send failed), if `token` still holds it. */
  release(key: SendKey, token: string): Promise<void>;
}

export interface OutgoingMessage {
  channel: Channel;
  to: string;
  kind: NotificationKind;
  /** Email only. */
  subject?: string;
  body: string;
  orderId: string;
  /** The event that caused it, for tracing a message back. */
  eventId: string;
}

/** A provider (SES, SNS) or, in the local cloud, the outbox. Throws when the message was not taken. */
export interface Sender {
  send(message: OutgoingMessage): Promise<void>;
}
