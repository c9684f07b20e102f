import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { SOURCES } from '../../../lambdas/events/catalog.ts';
import {
  claimRefusal,
  fromLedgerItem,
} from '../../../lambdas/notifications/adapters/dynamodb-notifications-store.ts';
import { sendKey } from '../../../lambdas/notifications/adapters/table-layout.ts';
import { recipientsOf } from '../../../lambdas/notifications/domain/addresses.ts';
import { DeliveryFailedError, LeaseHeldError } from '../../../lambdas/notifications/domain/errors.ts';
import { LEASE_MS, mayClaim, type SendKey } from '../../../lambdas/notifications/domain/ledger.ts';
import { defaultPreferences } from '../../../lambdas/notifications/domain/preferences.ts';
import { type Delivery, type NotifyDeps, notify } from '../../../lambdas/notifications/domain/use-cases.ts';
import { notifyConsumer } from '../../../lambdas/notifications/handlers/notify-consumer.ts';
import { lambdaContext } from '../support.ts';
import { FakeSender, InMemoryNotifications } from './memory.ts';

let store: InMemoryNotifications;
let sender: FakeSender;
let now: Date;
let deps: NotifyDeps;
let tokens: number;

beforeEach(() => {
  store = new InMemoryNotifications();
  sender = new FakeSender();
  now = new Date('2030-01-01T00:00:00.000Z');
  tokens = 0;
  deps = {
    preferences: store,
    owners: store,
    ledger: store,
    sender,
    now: () => now,
    newToken: () => `t-${++tokens}`,
  };
});

const contact = { email: 'ana@example.com', phone: '+15550100123' };
const placed = (orderId = 'ord-1', userId = 'u-1') => ({
  version: 2,
  orderId,
  userId,
  lines: [{ sku: 'SKU-1', productId: 'p-1', quantity: 2, unitPrice: 1250 }],
  total: { amount: 2500, currency: 'USD' },
  shipTo: { country: 'US', region: 'IL' },
  contact,
  placedAt: '2030-01-01T00:00:00.000Z',
});
/** The same order as OrderPlaced v1 (the full address), as queues and archive replays still hold. */
const placedV1 = (orderId = 'ord-1', userId = 'u-1') => {
  const { shipTo: _s, ...common } = placed(orderId, userId);
  return {
    ...common,
    version: 1,
    shippingAddress: {
      name: 'Ana',
      line1: '1 Main St',
      city: 'Springfield',
      postalCode: '12345',
      country: 'US',
    },
  };
};
const shipped = (orderId = 'ord-1', shipmentId = 'shp-1') => ({
  version: 1,
  shipmentId,
  orderId,
  trackingNumber: '1Z999',
  contact,
  shippedAt: '2030-01-02T00:00:00.000Z',
});

let seq = 0;
const record = (type: string, detail: unknown, source: string, id = `evt-${++seq}`): SQSRecord =>
  ({
    messageId: `msg-${++seq}`,
    body: JSON.stringify({ id, source, 'detail-type': type, time: '2030-01-01T00:00:00Z', detail }),
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q',
    awsRegion: 'us-east-1',
    receiptHandle: 'rh',
  }) as SQSRecord;
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const run = (...records: SQSRecord[]) => notifyConsumer(deps)(batch(...records), lambdaContext);

describe('send ledger rule', () => {
  it('lets a claim through with no record or an expired PENDING lease only', () => {
    const t = now.getTime();
    expect(mayClaim(undefined, now)).toBe(true);
    expect(mayClaim({ status: 'PENDING', until: t - 1, token: 'a' }, now)).toBe(true);
    expect(mayClaim({ status: 'PENDING', until: t, token: 'a' }, now)).toBe(true);
    expect(mayClaim({ status: 'PENDING', until: t + 1, token: 'a' }, now)).toBe(false);
    expect(mayClaim({ status: 'SENT', until: 0, token: 'a' }, now)).toBe(false);
  });

  it('keys on the fact and the channel, never the event id', () => {
    expect(sendKey({ kind: 'orderConfirmed', orderId: 'o-1', channel: 'email' })).toEqual({
      pk: 'SEND#orderConfirmed#o-1',
      sk: 'email',
    });
    expect(sendKey({ kind: 'orderShipped', orderId: 'o-1', shipmentId: 's-2', channel: 'sms' })).toEqual({
      pk: 'SEND#orderShipped#o-1#s-2',
      sk: 'sms',
    });
  });

  it('reads a refused claim from the record DynamoDB returns with the failure', () => {
    const failure = (item?: Record<string, unknown>) =>
      Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        ...(item ? { Item: marshall(item) } : {}),
      });
    expect(claimRefusal(failure({ status: 'SENT', token: 't' }))).toEqual({ kind: 'sent' });
    expect(claimRefusal(failure({ status: 'PENDING', until: 5, token: 't' }))).toEqual({
      kind: 'held',
      until: 5,
    });
    // No record returned, or another error: not a refusal to interpret.
    expect(claimRefusal(failure())).toBeUndefined();
    expect(claimRefusal(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBeUndefined();
    expect(fromLedgerItem({ status: 'PENDING', until: 7, token: 'k' })).toEqual({
      status: 'PENDING',
      until: 7,
      token: 'k',
    });
  });
});

describe('recipients', () => {
  it('maps email to email and phone to SMS, and flags addresses no provider takes', () => {
    expect(recipientsOf({ email: ' ana@example.com ', phone: '+1 (555) 010-0123' })).toEqual([
      { kind: 'ok', recipient: { channel: 'email', to: 'ana@example.com' } },
      { kind: 'ok', recipient: { channel: 'sms', to: '+15550100123' } },
    ]);
    expect(recipientsOf({ email: 'not an address', phone: '5550100' })).toEqual([
      { kind: 'invalid', channel: 'email' },
      { kind: 'invalid', channel: 'sms' },
    ]);
    expect(recipientsOf({})).toEqual([]);
  });
});

describe('notify use case', () => {
  const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
    notice: { kind: 'orderCancelled', orderId: 'ord-9', refund: { amount: 1999, currency: 'USD' } },
    contact,
    userId: 'u-9',
    eventId: 'evt-a',
    ...overrides,
  });
  const key = (channel: 'email' | 'sms'): SendKey => ({ kind: 'orderCancelled', orderId: 'ord-9', channel });

  it('sends once per channel the preferences allow, and marks each SENT', async () => {
    await store.putPreferences('u-9', {
      ...defaultPreferences(),
      orderCancelled: { email: true, sms: true },
    });
    expect(await notify(deps, delivery())).toEqual([
      { channel: 'email', result: 'sent' },
      { channel: 'sms', result: 'sent' },
    ]);
    expect(sender.sent.map((m) => [m.channel, m.to, m.kind, m.orderId, m.eventId])).toEqual([
      ['email', 'ana@example.com', 'orderCancelled', 'ord-9', 'evt-a'],
      ['sms', '+15550100123', 'orderCancelled', 'ord-9', 'evt-a'],
    ]);
    expect(store.entry(key('email'))?.status).toBe('SENT');
    // The same fact under another event id (a producer's retried publish): nothing more is sent.
    expect(await notify(deps, delivery({ eventId: 'evt-b' }))).toEqual([
      { channel: 'email', result: 'already-sent' },
      { channel: 'sms', result: 'already-sent' },
    ]);
    expect(sender.sent).toHaveLength(2);
  });

  it('sends nothing and records nothing on a channel turned off', async () => {
    expect(await notify(deps, delivery())).toEqual([
      { channel: 'email', result: 'sent' },
      { channel: 'sms', result: 'opted-out' },
    ]);
    expect(store.entry(key('sms'))).toBeUndefined();
    // Turned on later: a repeat of the event now sends the SMS (it never counted as sent).
    await store.putPreferences('u-9', {
      ...defaultPreferences(),
      orderCancelled: { email: true, sms: true },
    });
    await notify(deps, delivery());
    expect(sender.sent.map((m) => m.channel)).toEqual(['email', 'sms']);
  });

  it('skips an address no provider takes, without failing the others', async () => {
    const outcomes = await notify(deps, delivery({ contact: { email: 'nope', phone: '+15550100123' } }));
    expect(outcomes).toEqual([
      { channel: 'email', result: 'invalid-address' },
      { channel: 'sms', result: 'opted-out' },
    ]);
    expect(sender.sent).toEqual([]);
  });

  it('releases the lease of a failed send, so the retry sends at once and only the failed channel', async () => {
    await store.putPreferences('u-9', {
      ...defaultPreferences(),
      orderCancelled: { email: true, sms: true },
    });
    sender.failNext.sms = 1;
    const error = await notify(deps, delivery()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(store.entry(key('sms'))).toMatchObject({ status: 'PENDING', until: 0 });
    expect(sender.sent.map((m) => m.channel)).toEqual(['email']);
    expect(await notify(deps, delivery())).toEqual([
      { channel: 'email', result: 'already-sent' },
      { channel: 'sms', result: 'sent' },
    ]);
    expect(sender.sent.map((m) => m.channel)).toEqual(['email', 'sms']);
  });

  it('fails (for a later retry) while another attempt holds an unexpired lease, and takes over once it expires', async () => {
    // An attempt that crashed after claiming: its lease is still running.
    await store.claim(key('email'), 'crashed', now, new Date(now.getTime() + LEASE_MS));
    const error = await notify(deps, delivery()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect(sender.sent).toEqual([]);
    now = new Date(now.getTime() + LEASE_MS - 1);
    await expect(notify(deps, delivery())).rejects.toBeInstanceOf(LeaseHeldError);
    now = new Date(now.getTime() + 1);
    expect(await notify(deps, delivery())).toEqual([
      { channel: 'email', result: 'sent' },
      { channel: 'sms', result: 'opted-out' },
    ]);
    expect(store.entry(key('email'))).toMatchObject({ status: 'SENT', token: 't-3' });
    expect(sender.sent).toHaveLength(1);
  });

  it('does not fail the record when only the SENT mark fails: the lease keeps repeats out', async () => {
    store.failMarkSent = 1;
    // The SENT mark fails after the provider took the message: not a failure of the record
    // (a retry would send a certain duplicate), and the lease keeps repeats out until it expires.
    expect(await notify(deps, delivery())).toEqual([
      { channel: 'email', result: 'sent-unrecorded' },
      { channel: 'sms', result: 'opted-out' },
    ]);
    expect(store.entry(key('email'))).toEqual({
      status: 'PENDING',
      until: now.getTime() + LEASE_MS,
      token: 't-1',
    });
    await expect(notify(deps, delivery())).rejects.toBeInstanceOf(LeaseHeldError);
    expect(sender.sent).toHaveLength(1);
  });
});

describe('Notify consumer', () => {
  // The two copies in one batch run one after another (records of a fact are serialized), so the
  // copy finds the SENT marks rather than a held lease, and neither record fails.
  it('sends OrderPlaced once per channel although the event comes twice (same id, then a new id)', async () => {
    await store.putPreferences('u-1', {
      ...defaultPreferences(),
      orderConfirmed: { email: true, sms: true },
    });
    const first = record('OrderPlaced', placed(), SOURCES.orders, 'evt-1');
    expect(await run(first, record('OrderPlaced', placed(), SOURCES.orders, 'evt-1'))).toEqual({
      batchItemFailures: [],
    });
    expect(await run(record('OrderPlaced', placed(), SOURCES.orders, 'evt-2'))).toEqual({
      batchItemFailures: [],
    });
    expect(sender.sent.map((m) => [m.channel, m.kind, m.eventId])).toEqual([
      ['email', 'orderConfirmed', 'evt-1'],
      ['sms', 'orderConfirmed', 'evt-1'],
    ]);
    expect(sender.sent[0]?.subject).toBe('Your order ord-1 is confirmed');
    expect(sender.sent[0]?.body).toContain('2 items, $25.00 charged');
  });

  it('confirms an order once per channel from OrderPlaced v1 and v2 alike (the rollout, a replay)', async () => {
    await store.putPreferences('u-1', {
      ...defaultPreferences(),
      orderConfirmed: { email: true, sms: true },
    });
    expect(
      await run(
        record('OrderPlaced', placedV1('ord-1'), SOURCES.orders, 'evt-v1'),
        record('OrderPlaced', placed('ord-2'), SOURCES.orders, 'evt-v2'),
      ),
    ).toEqual({ batchItemFailures: [] });
    // The v2 of an order confirmed from its v1 is the same fact: nothing more is sent.
    expect(await run(record('OrderPlaced', placed('ord-1'), SOURCES.orders, 'evt-v2-again'))).toEqual({
      batchItemFailures: [],
    });
    // The records of a batch run side by side: the order of sends across orders is not fixed.
    expect(sender.sent.map((m) => [m.orderId, m.channel, m.to]).sort()).toEqual([
      ['ord-1', 'email', contact.email],
      ['ord-1', 'sms', contact.phone],
      ['ord-2', 'email', contact.email],
      ['ord-2', 'sms', contact.phone],
    ]);
    expect(sender.sent.every((m) => !m.body.includes('Main St'))).toBe(true);
  });

  it('honours the owner of the order on shipment events, which carry no user id', async () => {
    await store.putPreferences('u-1', {
      ...defaultPreferences(),
      orderShipped: { email: false, sms: true },
      orderDelivered: { email: false, sms: false },
    });
    await run(record('OrderPlaced', placed(), SOURCES.orders));
    await run(
      record('ShipmentShipped', shipped(), SOURCES.fulfillment),
      record(
        'ShipmentDelivered',
        {
          version: 1,
          shipmentId: 'shp-1',
          orderId: 'ord-1',
          contact,
          deliveredAt: '2030-01-03T00:00:00.000Z',
        },
        SOURCES.fulfillment,
      ),
    );
    expect(sender.sent.map((m) => [m.kind, m.channel])).toEqual([
      ['orderConfirmed', 'email'],
      ['orderShipped', 'sms'],
    ]);
    expect(sender.sent[1]?.body).toContain('Tracking number 1Z999');
  });

  it('uses the defaults for a shipment event that arrives before OrderPlaced', async () => {
    await store.putPreferences('u-1', { ...defaultPreferences(), orderShipped: { email: false, sms: true } });
    await run(record('ShipmentShipped', shipped(), SOURCES.fulfillment));
    expect(sender.sent.map((m) => [m.kind, m.channel])).toEqual([['orderShipped', 'email']]);
  });

  it('sends one message per shipment of a split order', async () => {
    await run(
      record('ShipmentShipped', shipped('ord-1', 'shp-1'), SOURCES.fulfillment),
      record('ShipmentShipped', shipped('ord-1', 'shp-2'), SOURCES.fulfillment),
      record('ShipmentShipped', shipped('ord-1', 'shp-2'), SOURCES.fulfillment),
    );
    expect(sender.sent).toHaveLength(2);
  });

  it('records the owner on OrderCancelled and refunds in dollars', async () => {
    await run(
      record(
        'OrderCancelled',
        {
          version: 1,
          orderId: 'ord-7',
          userId: 'u-7',
          lines: [{ sku: 'SKU-1', quantity: 1 }],
          refund: { amount: 1250, currency: 'USD' },
          contact: { email: 'bo@example.com' },
          cancelledAt: '2030-01-01T00:00:00.000Z',
        },
        SOURCES.orders,
      ),
    );
    expect(store.owners.get('ord-7')).toBe('u-7');
    expect(sender.sent.map((m) => [m.to, m.subject])).toEqual([
      ['bo@example.com', 'Your order ord-7 is cancelled'],
    ]);
    expect(sender.sent[0]?.body).toContain('$12.50');
  });

  it('fails a poison record alone: the rest of the batch is sent', async () => {
    const poison = record(
      'OrderPlaced',
      { ...placed('ord-2'), total: { amount: -1, currency: 'EUR' } },
      SOURCES.orders,
    );
    const wrongSource = record('ShipmentShipped', shipped('ord-3'), SOURCES.orders);
    const notJson = { ...record('OrderPlaced', placed('ord-4'), SOURCES.orders), body: '{' } as SQSRecord;
    const good = record('OrderPlaced', placed('ord-5'), SOURCES.orders);
    const result = await run(poison, wrongSource, notJson, good);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [poison.messageId, wrongSource.messageId, notJson.messageId].sort(),
    );
    expect(sender.sent.map((m) => m.orderId)).toEqual(['ord-5']);
  });

  it('fails a record whose send failed, and its retry sends it', async () => {
    sender.failNext.email = 1;
    const first = record('OrderPlaced', placed('ord-6'), SOURCES.orders);
    const other = record('OrderPlaced', placed('ord-8'), SOURCES.orders);
    expect((await run(first, other)).batchItemFailures).toEqual([{ itemIdentifier: first.messageId }]);
    expect(await run(first)).toEqual({ batchItemFailures: [] });
    expect(sender.sent.map((m) => m.orderId)).toEqual(['ord-8', 'ord-6']);
  });
});
