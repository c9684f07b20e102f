/**
 * In-memory ports of the notifications service, with the DynamoDB adapter's semantics: the
 * ledger's claim applies the same rule as its condition expression (domain/ledger.ts mayClaim).
 */

import { sendKey } from '../../../lambdas/notifications/adapters/table-layout.ts';
import {
  type ClaimResult,
  type LedgerEntry,
  mayClaim,
  refusal,
  type SendKey,
} from '../../../lambdas/notifications/domain/ledger.ts';
import type {
  OutgoingMessage,
  OwnerDirectory,
  PreferencesStore,
  Sender,
  SendLedger,
} from '../../../lambdas/notifications/domain/ports.ts';
import type { Preferences } from '../../../lambdas/notifications/domain/preferences.ts';

const keyOf = (key: SendKey) => {
  const { pk, sk } = sendKey(key);
  return `${pk}|${sk}`;
};

export class InMemoryNotifications implements PreferencesStore, OwnerDirectory, SendLedger {
  readonly preferences = new Map<string, unknown>();
  readonly owners = new Map<string, string>();
  readonly ledger = new Map<string, LedgerEntry>();
  /** Make the next markSent calls fail. */
  failMarkSent = 0;

  async getPreferences(userId: string): Promise<unknown | undefined> {
    return structuredClone(this.preferences.get(userId));
  }

  async putPreferences(userId: string, preferences: Preferences): Promise<void> {
    this.preferences.set(userId, structuredClone(preferences));
  }

  async recordOwner(orderId: string, userId: string): Promise<void> {
    this.owners.set(orderId, userId);
  }

  async ownerOf(orderId: string): Promise<string | undefined> {
    return this.owners.get(orderId);
  }

  async claim(key: SendKey, token: string, now: Date, leaseUntil: Date): Promise<ClaimResult> {
    const existing = this.ledger.get(keyOf(key));
    if (!mayClaim(existing, now)) return refusal(existing as LedgerEntry);
    this.ledger.set(keyOf(key), { status: 'PENDING', until: leaseUntil.getTime(), token });
    return { kind: 'claimed' };
  }

  async markSent(key: SendKey, token: string): Promise<void> {
    if (this.failMarkSent > 0) {
      this.failMarkSent--;
      throw new Error('DynamoDB is unavailable');
    }
    this.ledger.set(keyOf(key), { status: 'SENT', until: 0, token });
  }

  async release(key: SendKey, token: string): Promise<void> {
    const existing = this.ledger.get(keyOf(key));
    if (existing?.status === 'PENDING' && existing.token === token)
      this.ledger.set(keyOf(key), { ...existing, until: 0 });
  }

  entry(key: SendKey): LedgerEntry | undefined {
    return this.ledger.get(keyOf(key));
  }
}

/** Records what was sent; `failNext` makes the next sends on a channel throw. */
export class FakeSender implements Sender {
  readonly sent: OutgoingMessage[] = [];
  readonly failNext: Record<string, number> = {};

  async send(message: OutgoingMessage): Promise<void> {
    const failures = this.failNext[message.channel] ?? 0;
    if (failures > 0) {
      this.failNext[message.channel] = failures - 1;
      throw new Error(`${message.channel} provider refused`);
    }
    this.sent.push(message);
  }
}
