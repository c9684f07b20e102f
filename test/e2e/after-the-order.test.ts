/**
 * After the order, end to end on the local cloud: OrderPlaced routes the order to warehouses
 * (fulfillment), carrier callbacks ship and deliver it, the buyer or an admin cancels it before it
 * ships (refund and stock return through events), and notifications go out once per event and
 * channel as the buyer's preferences say, to the local outbox. Poison messages land in their
 * consumer's DLQ while their neighbours are processed.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, REGION } from '../../local/template.ts';
import { ADDRESS, buyer, checkout, ensureWarehouses, orderWhen, product } from './support/commerce.ts';
import { expectDocumented } from './support/contract.ts';
import { adminToken, client, eventually } from './support/fixtures.ts';

interface Shipment {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  status: string;
  trackingNumber?: string;
  items: { sku: string; quantity: number }[];
}
interface Message {
  to: string;
  channel: string;
  kind: string;
  orderId: string;
  subject?: string;
  body: string;
}
interface Stock {
  available: number;
  reserved: number;
  sold: number;
}
interface Charge {
  capturedAmount: number;
  refundedAmount: number;
  status: string;
}

const aws = { endpoint: inject('awsEndpoint'), region: REGION, credentials: LOCAL_CREDENTIALS };
let admin: string;

beforeAll(async () => {
  admin = await adminToken();
  await ensureWarehouses(admin);
});

const carrier = (shipmentId: string, body: unknown) =>
  client.request<Shipment>('POST', `/admin/shipments/${shipmentId}/events`, { token: admin, body });

async function outbox(to: string): Promise<Message[]> {
  const res = await client.request<{ items: Message[] }>('GET', `/dev/outbox?to=${encodeURIComponent(to)}`, {
    token: admin,
  });
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The outbox once it holds at least `count` messages for `to` (and a moment more for strays). */
async function outboxOf(to: string, count: number): Promise<Message[]> {
  await eventually(async () => (await outbox(to)).length >= count, 30_000, 200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return outbox(to);
}

async function stockOf(sku: string): Promise<Stock> {
  return (await client.request<Stock>('GET', `/admin/inventory/${sku}`, { token: admin })).body;
}

const statuses = (o: { timeline: { status: string }[] }) => o.timeline.map((t) => t.status);

describe('fulfillment: routing, carrier events and the order that follows', () => {
  it('takes an order from CONFIRMED to DELIVERED through routing and carrier events, with the full timeline', async () => {
    const p = await product(admin, 1500, { 'us-east': 5, 'us-west': 5 });
    const b = await buyer([[p.sku, 2]]);
    const orderId = await checkout(b);
    // A buyer in NJ: the nearest warehouse holding both units ships them all.
    const routed = await orderWhen(b.token, orderId, (o) => o.status === 'FULFILLING');
    expect(routed.shipments).toHaveLength(1);
    const [shipment] = routed.shipments as [Order['shipments'][number]];
    expect(shipment).toMatchObject({
      warehouseId: 'us-east',
      status: 'CREATED',
      items: [{ sku: p.sku, quantity: 2 }],
    });

    const read = await client.request<Shipment>('GET', `/admin/shipments/${shipment.shipmentId}`, {
      token: admin,
    });
    expect(read.body).toMatchObject({ orderId, status: 'CREATED' });
    await expectDocumented('GET /admin/shipments/{shipmentId}', read);

    const shipped = await carrier(shipment.shipmentId, { status: 'SHIPPED', trackingNumber: 'TRK-1001' });
    expect(shipped.status).toBe(200);
    await expectDocumented('POST /admin/shipments/{shipmentId}/events', shipped);
    const inTransit = await orderWhen(b.token, orderId, (o) => o.status === 'SHIPPED');
    expect(inTransit.shipments[0]).toMatchObject({ status: 'SHIPPED', trackingNumber: 'TRK-1001' });
    // The same callback again changes nothing; DELIVERED then closes it.
    expect(
      (await carrier(shipment.shipmentId, { status: 'SHIPPED', trackingNumber: 'TRK-1001' })).status,
    ).toBe(200);
    expect((await carrier(shipment.shipmentId, { status: 'DELIVERED' })).status).toBe(200);
    const delivered = await orderWhen(b.token, orderId, (o) => o.status === 'DELIVERED');
    expect(statuses(delivered)).toEqual(['PENDING', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED']);
    expect(delivered.timeline.slice(2).map((t) => [t.shipmentId, t.shipmentStatus])).toEqual([
      [shipment.shipmentId, 'CREATED'],
      [shipment.shipmentId, 'SHIPPED'],
      [shipment.shipmentId, 'DELIVERED'],
    ]);
    const res = await client.request('GET', `/orders/${orderId}`, { token: b.token });
    await expectDocumented('GET /orders/{orderId}', res);

    // One email per kind (defaults: email on, SMS off), each once.
    const mail = await outboxOf(b.email, 3);
    expect(mail.map((m) => m.kind).sort()).toEqual(['orderConfirmed', 'orderDelivered', 'orderShipped']);
    expect(mail.every((m) => m.channel === 'email' && m.orderId === orderId)).toBe(true);
    expect(mail.find((m) => m.kind === 'orderShipped')?.body).toContain('TRK-1001');
  });

  it('splits an order no warehouse can ship alone over the fewest warehouses, and follows each shipment', async () => {
    const west = await product(admin, 1000, { 'us-west': 3 });
    const east = await product(admin, 1000, { 'us-east': 3 });
    const b = await buyer([
      [west.sku, 1],
      [east.sku, 1],
    ]);
    const orderId = await checkout(b);
    const routed = await orderWhen(
      b.token,
      orderId,
      (o) => o.status === 'FULFILLING' && o.shipments.length === 2,
    );
    const byWarehouse = Object.fromEntries(routed.shipments.map((s) => [s.warehouseId, s]));
    expect(byWarehouse['us-west']?.items).toEqual([{ sku: west.sku, quantity: 1 }]);
    expect(byWarehouse['us-east']?.items).toEqual([{ sku: east.sku, quantity: 1 }]);
    const [first, second] = routed.shipments as [Order['shipments'][number], Order['shipments'][number]];

    expect((await carrier(first.shipmentId, { status: 'SHIPPED', trackingNumber: 'TRK-2001' })).status).toBe(
      200,
    );
    const half = await orderWhen(b.token, orderId, (o) => o.shipments.some((s) => s.status === 'SHIPPED'));
    expect(half.status).toBe('FULFILLING');
    expect((await carrier(second.shipmentId, { status: 'SHIPPED', trackingNumber: 'TRK-2002' })).status).toBe(
      200,
    );
    await orderWhen(b.token, orderId, (o) => o.status === 'SHIPPED');
    for (const s of [first, second])
      expect((await carrier(s.shipmentId, { status: 'DELIVERED' })).status).toBe(200);
    const done = await orderWhen(b.token, orderId, (o) => o.status === 'DELIVERED');
    expect(
      done.timeline
        .filter((t) => t.shipmentId)
        .map((t) => t.shipmentStatus)
        .sort(),
    ).toEqual(['CREATED', 'CREATED', 'DELIVERED', 'DELIVERED', 'SHIPPED', 'SHIPPED'].sort());
  });

  it('refuses bad carrier callbacks: 400 malformed, 404 unknown, 409 out of order, changing nothing', async () => {
    const p = await product(admin, 1000, { 'us-east': 2 });
    const b = await buyer([[p.sku, 1]]);
    const orderId = await checkout(b);
    const routed = await orderWhen(b.token, orderId, (o) => o.status === 'FULFILLING');
    const id = routed.shipments[0]?.shipmentId as string;
    const cases: [unknown, number][] = [
      [{ status: 'LOST' }, 400],
      [{ status: 'SHIPPED' }, 400],
      [{ status: 'SHIPPED', trackingNumber: 'has space' }, 400],
      [{ status: 'SHIPPED', trackingNumber: 'TRK-1', extra: true }, 400],
      [{ status: 'DELIVERED' }, 409],
    ];
    for (const [body, status] of cases) {
      const res = await carrier(id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      await expectDocumented('POST /admin/shipments/{shipmentId}/events', res);
    }
    const unknown = await carrier('shp_000000000000000000000000', {
      status: 'SHIPPED',
      trackingNumber: 'TRK-9',
    });
    expect(unknown.status).toBe(404);
    expect((await carrier(id, { status: 'SHIPPED', trackingNumber: 'TRK-3001' })).status).toBe(200);
    // Another tracking number for a shipped shipment is a conflict, not a silent change.
    expect((await carrier(id, { status: 'SHIPPED', trackingNumber: 'TRK-3002' })).status).toBe(409);
    const shopper = await client.request('POST', `/admin/shipments/${id}/events`, {
      token: b.token,
      body: { status: 'DELIVERED' },
    });
    expect(shopper.status).toBe(403);
    const after = await client.request<Shipment>('GET', `/admin/shipments/${id}`, { token: admin });
    expect(after.body).toMatchObject({ status: 'SHIPPED', trackingNumber: 'TRK-3001' });
  });
});

describe('cancellation', () => {
  it('before shipping: CANCELLED, the capture refunded, the stock back on sale, the shipments cancelled; a repeat is harmless', async () => {
    const p = await product(admin, 2500, { 'us-east': 4 });
    const b = await buyer([[p.sku, 2]]);
    const orderId = await checkout(b);
    const routed = await orderWhen(b.token, orderId, (o) => o.status === 'FULFILLING');
    expect(await stockOf(p.sku)).toMatchObject({ available: 2, sold: 2 });

    const cancelled = await client.request('POST', `/orders/${orderId}/cancel`, { token: b.token });
    expect(cancelled.status).toBe(202);
    await expectDocumented('POST /orders/{orderId}/cancel', cancelled);
    const refunded = await orderWhen(b.token, orderId, (o) => o.payment.status === 'REFUNDED');
    expect(refunded.status).toBe('CANCELLED');
    expect(statuses(refunded).slice(-1)).toEqual(['CANCELLED']);
    const charges = (
      await client.request<{ items: Charge[] }>('GET', `/dev/psp/charges?orderId=${orderId}`, {
        token: admin,
      })
    ).body.items;
    expect(charges).toHaveLength(1);
    expect(charges[0]?.refundedAmount).toBe(charges[0]?.capturedAmount);
    await eventually(async () => (await stockOf(p.sku)).sold === 0, 15_000);
    const stock = await stockOf(p.sku);
    expect(stock).toMatchObject({ available: 4, reserved: 0, sold: 0 });
    const shipment = await client.request<Shipment>(
      'GET',
      `/admin/shipments/${routed.shipments[0]?.shipmentId}`,
      { token: admin },
    );
    expect(shipment.body.status).toBe('CANCELLED');
    // A carrier cannot ship what was cancelled; a second cancel changes nothing.
    expect(
      (await carrier(shipment.body.shipmentId, { status: 'SHIPPED', trackingNumber: 'TRK-4001' })).status,
    ).toBe(409);
    expect((await client.request('POST', `/orders/${orderId}/cancel`, { token: b.token })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stockOf(p.sku)).toMatchObject({ available: 4, reserved: 0, sold: 0 });
    const again = (
      await client.request<{ items: Charge[] }>('GET', `/dev/psp/charges?orderId=${orderId}`, {
        token: admin,
      })
    ).body.items;
    expect(again[0]?.refundedAmount).toBe(again[0]?.capturedAmount);
    const mail = await outboxOf(b.email, 2);
    expect(mail.filter((m) => m.kind === 'orderCancelled')).toHaveLength(1);
  });

  it("after shipping: 409 and nothing changes; someone else's order: 404; an admin may cancel", async () => {
    const p = await product(admin, 1000, { 'us-east': 4 });
    const b = await buyer([[p.sku, 1]]);
    const shippedOrder = await checkout(b);
    const routed = await orderWhen(b.token, shippedOrder, (o) => o.status === 'FULFILLING');
    await carrier(routed.shipments[0]?.shipmentId as string, {
      status: 'SHIPPED',
      trackingNumber: 'TRK-5001',
    });
    await orderWhen(b.token, shippedOrder, (o) => o.status === 'SHIPPED');
    const late = await client.request('POST', `/orders/${shippedOrder}/cancel`, { token: b.token });
    expect(late.status).toBe(409);
    await expectDocumented('POST /orders/{orderId}/cancel', late);
    expect(await stockOf(p.sku)).toMatchObject({ sold: 1 });

    await client.request('POST', `/carts/${b.cartId}/items`, {
      token: b.token,
      body: { sku: p.sku, quantity: 1 },
    });
    const other = await checkout(b);
    await orderWhen(b.token, other, (o) => o.status === 'FULFILLING');
    const stranger = await buyer();
    const theirs = await client.request('POST', `/orders/${other}/cancel`, { token: stranger.token });
    expect(theirs.status).toBe(404);
    const malformed = await client.request('POST', '/orders/nope/cancel', { token: b.token });
    expect(malformed.status).toBe(400);
    const byAdmin = await client.request('POST', `/orders/${other}/cancel`, { token: admin });
    expect(byAdmin.status).toBe(202);
    await orderWhen(b.token, other, (o) => o.status === 'CANCELLED' && o.payment.status === 'REFUNDED');
    await eventually(async () => (await stockOf(p.sku)).sold === 1, 15_000);
    expect(await stockOf(p.sku)).toMatchObject({ available: 3, reserved: 0, sold: 1 });
  });
});

describe('notifications', () => {
  it('honours preferences: SMS on and email off for confirmations, the others by default', async () => {
    const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const b = await buyer([], { phone });
    const defaults = await client.request<Record<string, { email: boolean; sms: boolean }>>(
      'GET',
      '/me/notification-preferences',
      { token: b.token },
    );
    expect(defaults.status).toBe(200);
    await expectDocumented('GET /me/notification-preferences', defaults);
    expect(defaults.body.orderConfirmed).toEqual({ email: true, sms: false });
    const chosen = {
      orderConfirmed: { email: false, sms: true },
      orderShipped: { email: true, sms: false },
      orderDelivered: { email: true, sms: false },
      orderCancelled: { email: true, sms: false },
    };
    const put = await client.request('PUT', '/me/notification-preferences', { token: b.token, body: chosen });
    expect(put.status).toBe(200);
    await expectDocumented('PUT /me/notification-preferences', put);
    for (const bad of [
      { ...chosen, orderConfirmed: { email: 'yes', sms: true } },
      { orderConfirmed: chosen.orderConfirmed },
    ]) {
      const res = await client.request('PUT', '/me/notification-preferences', { token: b.token, body: bad });
      expect(res.status).toBe(400);
    }
    const p = await product(admin, 1000, { 'us-east': 2 });
    await client.request('POST', `/carts/${b.cartId}/items`, {
      token: b.token,
      body: { sku: p.sku, quantity: 1 },
    });
    const orderId = await checkout(b);
    await orderWhen(b.token, orderId, (o) => o.status === 'FULFILLING');
    const sms = await outboxOf(phone, 1);
    expect(sms).toEqual([expect.objectContaining({ channel: 'sms', kind: 'orderConfirmed', orderId })]);
    expect((sms[0]?.body ?? '').length).toBeLessThanOrEqual(160);
    expect((await outbox(b.email)).filter((m) => m.kind === 'orderConfirmed')).toEqual([]);
  });

  it('sends one message per kind and channel when the same OrderPlaced is delivered twice, and routes the order once', async () => {
    const p = await product(admin, 1000, { 'us-east': 5 });
    const b = await buyer([[p.sku, 1]]);
    const orderId = await checkout(b);
    const routed = await orderWhen(b.token, orderId, (o) => o.status === 'FULFILLING');
    await outboxOf(b.email, 1);
    // The same fact published again, as a producer retry would (a new event id).
    const events = new EventBridgeClient(aws);
    const detail = {
      version: 2,
      orderId,
      userId: b.sub,
      lines: [{ sku: p.sku, productId: p.productId, quantity: 1, unitPrice: 1000 }],
      total: routed.total,
      shipTo: { country: ADDRESS.country, region: ADDRESS.region },
      contact: { email: b.email },
      placedAt: routed.timeline[1]?.at,
    };
    for (let i = 0; i < 2; i++) {
      const out = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'store-local-bus',
              Source: 'store.orders',
              DetailType: 'OrderPlaced',
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
      expect(out.FailedEntryCount ?? 0).toBe(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect((await outbox(b.email)).filter((m) => m.kind === 'orderConfirmed')).toHaveLength(1);
    const after = await orderWhen(b.token, orderId, () => true);
    expect(after.shipments).toHaveLength(1);
    expect(after.timeline.filter((t) => t.shipmentStatus === 'CREATED')).toHaveLength(1);
    expect(await stockOf(p.sku)).toMatchObject({ sold: 1 });
  });
});

describe('poison messages', () => {
  it("land in their consumer's DLQ after their retries while the rest of the batch is processed", async () => {
    const sqs = new SQSClient(aws);
    const { QueueUrl: queue } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: 'store-local-notifications-notify' }),
    );
    const { QueueUrl: dlq } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: 'store-local-notifications-notify-dlq' }),
    );
    const depth = async (url: string | undefined) =>
      Number(
        (
          await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          )
        ).Attributes?.ApproximateNumberOfMessages ?? 0,
      );
    const before = await depth(dlq);
    const tag = Math.random().toString(36).slice(2, 8);
    const good = (n: number) => ({
      version: 'ignored',
      id: `evt-${tag}-${n}`,
      source: 'store.orders',
      'detail-type': 'OrderCancelled',
      time: new Date().toISOString(),
      detail: {
        version: 1,
        orderId: `ord_poison${tag}${n}`,
        userId: `u-${tag}`,
        lines: [{ sku: 'SKU-1', quantity: 1 }],
        refund: { amount: 1000, currency: 'USD' },
        contact: { email: `poison-${tag}-${n}@example.com` },
        cancelledAt: new Date().toISOString(),
      },
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queue,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify(good(1)) },
          {
            Id: 'poison',
            MessageBody: '{"detail-type":"OrderCancelled","source":"store.orders","detail":{"orderId":42}}',
          },
          { Id: 'b', MessageBody: JSON.stringify(good(2)) },
        ],
      }),
    );
    // The neighbours are processed at once.
    for (const n of [1, 2]) expect(await outboxOf(`poison-${tag}-${n}@example.com`, 1)).toHaveLength(1);
    // The poison one, after its receives, is in the DLQ.
    await eventually(async () => (await depth(dlq)) > before, 120_000, 1000);
    expect(await depth(dlq)).toBe(before + 1);
  }, 150_000);
});

type Order = Awaited<ReturnType<typeof orderWhen>>;
