/**
 * Keys of the notifications tables, shared by the adapters and the tables' declaration
 * (lib/services/notifications/notifications-data.ts), so both always name the same attributes.
 *
 * Notifications table (pk, sk):
 *   USER#<userId>                           PREFERENCES  the user's choices
 *   ORDER#<orderId>                         OWNER        who placed the order (for shipment events)
 *   SEND#<kind>#<orderId>[#<shipmentId>]    <channel>    the send ledger: PENDING with a lease, or SENT
 * Outbox table (stage local only; pk, sk):
 *   TO#<address>                            <sentAt>#<channel>#<eventId>   one message
 * Order ids cannot hold `#` (the events' Id format), so the ledger's keys never collide.
 */
import type { SendKey } from '../domain/ledger.ts';

/** TTL attribute: owner and ledger records go once no redelivery or shipment can need them. */
export const PURGE_AT = 'purgeAt';
/** Past any redelivery (SQS keeps messages at most 14 days) and any shipment of the order. */
export const RETENTION_SECONDS = 365 * 24 * 3600;

export const preferencesKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'PREFERENCES' });
export const ownerKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'OWNER' });
export const sendKey = (key: SendKey) => ({
  pk: `SEND#${key.kind}#${key.orderId}${key.shipmentId ? `#${key.shipmentId}` : ''}`,
  sk: key.channel,
});

export const outboxPartition = (to: string) => `TO#${to}`;
export const outboxKey = (to: string, sentAt: string, channel: string, eventId: string) => ({
  pk: outboxPartition(to),
  sk: `${sentAt}#${channel}#${eventId}`,
});
