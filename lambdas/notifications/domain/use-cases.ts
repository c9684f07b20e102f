/**
 * The notifications use cases: the preference routes, and sending one notice to its recipients
 * exactly once per channel, as the user's preferences allow.
 */
import { type Contact, recipientsOf } from './addresses.ts';
import { DeliveryFailedError, LeaseHeldError } from './errors.ts';
import { LEASE_MS, type SendKey } from './ledger.ts';
import type { OwnerDirectory, PreferencesStore, Sender, SendLedger } from './ports.ts';
import { allows, type Channel, type Preferences, withDefaults } from './preferences.ts';
import { type Notice, render } from './templates.ts';

export interface PreferencesDeps {
  preferences: PreferencesStore;
  now?: () => Date;
}

export async function getPreferences(deps: PreferencesDeps, userId: string): Promise<Preferences> {
  return withDefaults(await deps.preferences.getPreferences(userId));
}

/** Full replacement; answers what is now stored. */
export async function putPreferences(
  deps: PreferencesDeps,
  userId: string,
  preferences: Preferences,
): Promise<Preferences> {
  await deps.preferences.putPreferences(userId, preferences, (deps.now ?? (() => new Date()))());
  return preferences;
}

export interface NotifyDeps {
  preferences: PreferencesStore;
  owners: OwnerDirectory;
  ledger: SendLedger;
  sender: Sender;
  now: () => Date;
  /** A fresh lease token per claim. */
  newToken: () => string;
  leaseMs?: number;
}

export interface Delivery {
  notice: Notice;
  contact: Contact;
  /** When the event names the owner (OrderPlaced, OrderCancelled); else it is looked up. */
  userId?: string;
  /** The bus event's id: recorded with the message, never the dedupe key. */
  eventId: string;
}

export type ChannelOutcome =
  | { channel: Channel; result: 'sent' }
  /** Sent, but the SENT mark failed: the lease stays, so only a repeat after it expires resends. */
  | { channel: Channel; result: 'sent-unrecorded' }
  | { channel: Channel; result: 'already-sent' }
  | { channel: Channel; result: 'opted-out' }
  | { channel: Channel; result: 'invalid-address' };

export async function notify(deps: NotifyDeps, delivery: Delivery): Promise<ChannelOutcome[]> {
  const { notice } = delivery;
  const now = deps.now();
  let userId = delivery.userId;
  if (userId) await deps.owners.recordOwner(notice.orderId, userId, now);
  else userId = await deps.owners.ownerOf(notice.orderId);
  // No owner yet (a shipment event ahead of OrderPlaced): the defaults, as for a user who never chose.
  const preferences = withDefaults(userId ? await deps.preferences.getPreferences(userId) : undefined);

  const outcomes: ChannelOutcome[] = [];
  const failures: { channel: Channel; error: unknown }[] = [];
  // Each channel on its own: one failing does not hold back (or resend) the other.
  for (const check of recipientsOf(delivery.contact)) {
    if (check.kind === 'invalid') {
      outcomes.push({ channel: check.channel, result: 'invalid-address' });
      continue;
    }
    const { channel, to } = check.recipient;
    if (!allows(preferences, notice.kind, channel)) {
      outcomes.push({ channel, result: 'opted-out' });
      continue;
    }
    try {
      outcomes.push(await sendOnce(deps, delivery, channel, to));
    } catch (error) {
      failures.push({ channel, error });
    }
  }
  if (failures.length > 0) {
    const held = failures.find((f) => f.error instanceof LeaseHeldError);
    if (held && failures.length === 1) throw held.error;
    throw new DeliveryFailedError(describe(notice), failures);
  }
  return outcomes;
}

export function sendKeyOf(notice: Notice, channel: Channel): SendKey {
  const key: SendKey = { kind: notice.kind, orderId: notice.orderId, channel };
  if ('shipmentId' in notice) key.shipmentId = notice.shipmentId;
  return key;
}

const describe = (notice: Notice) =>
  `${notice.kind} of order ${notice.orderId}${'shipmentId' in notice ? `, shipment ${notice.shipmentId}` : ''}`;

async function sendOnce(
  deps: NotifyDeps,
  delivery: Delivery,
  channel: Channel,
  to: string,
): Promise<ChannelOutcome> {
  const { notice } = delivery;
  const key = sendKeyOf(notice, channel);
  const token = deps.newToken();
  const now = deps.now();
  const claim = await deps.ledger.claim(
    key,
    token,
    now,
    new Date(now.getTime() + (deps.leaseMs ?? LEASE_MS)),
  );
  if (claim.kind === 'sent') return { channel, result: 'already-sent' };
  if (claim.kind === 'held') throw new LeaseHeldError(`${describe(notice)} by ${channel}`, claim.until);
  const message = render(notice, channel);
  try {
    await deps.sender.send({
      channel,
      to,
      kind: notice.kind,
      ...(message.subject !== undefined ? { subject: message.subject } : {}),
      body: message.body,
      orderId: notice.orderId,
      eventId: delivery.eventId,
    });
  } catch (error) {
    // Not sent: free the key for the retry now rather than when the lease runs out. A release
    // that fails too leaves the lease to expire, which delays the retry but loses nothing.
    await deps.ledger.release(key, token).catch(() => undefined);
    throw error;
  }
  try {
    await deps.ledger.markSent(key, token, deps.now());
  } catch {
    // The provider has the message: failing the record now would make its retry send a certain
    // duplicate once the lease expires; not failing it, only a repeat of the event could.
    return { channel, result: 'sent-unrecorded' };
  }
  return { channel, result: 'sent' };
}
