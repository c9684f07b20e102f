/**
 * The DynamoDB adapter against a recording client: the requests it makes (keys, conditions, which
 * items share a transaction) and what a cancelled transaction's reasons mean.
 */
import { describe, expect, it } from 'vitest';
import {
  applyRouteOutcome,
  conditionalOutcome,
  DynamoDbFulfillmentStore,
} from '../../../lambdas/fulfillment/adapters/dynamodb-fulfillment-store.ts';
import type { RoutingRecord, Shipment } from '../../../lambdas/fulfillment/domain/shipment.ts';
import type { DynamoDBDocumentClient } from '../../../lambdas/shared/dynamodb.ts';

type Input = Record<string, unknown>;

function recording(...answers: (Record<string, unknown> | Error)[]) {
  const sent: { command: string; input: Input }[] = [];
  const db = {
    send: async (command: { constructor: { name: string }; input: Input }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      const answer = answers.shift() ?? {};
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  return {
    sent,
    store: new DynamoDbFulfillmentStore(db, { warehousesTable: 'wh', shipmentsTable: 'sh' }),
  };
}

const cancelledTx = (...codes: string[]) =>
  Object.assign(new Error('cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const at = '2030-01-01T00:00:00.000Z';
const shipment: Shipment = {
  shipmentId: 'shp_000000000000000000000001',
  orderId: 'o-1',
  warehouseId: 'us-east',
  items: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
  status: 'CREATED',
  contact: {},
  createdAt: at,
  updatedAt: at,
  history: [{ status: 'CREATED', at }],
};
const routing: RoutingRecord = {
  orderId: 'o-1',
  status: 'routed',
  shipments: [{ shipmentId: shipment.shipmentId, warehouseId: 'us-east', items: shipment.items }],
  createdAt: at,
  updatedAt: at,
};

describe('fulfillment adapter: routing transaction', () => {
  it('writes the record (only if absent), the shipments and one guarded decrement per item, in one transaction', async () => {
    const { sent, store } = recording({});
    expect(await store.applyRoute(routing, [shipment])).toEqual({ kind: 'applied' });
    expect(sent).toHaveLength(1);
    const [{ command, input } = { command: '', input: {} }] = sent;
    expect(command).toBe('TransactWriteCommand');
    const items = input.TransactItems as Record<string, Record<string, unknown>>[];
    expect(items).toHaveLength(4);
    expect(items[0]?.Put).toMatchObject({
      TableName: 'sh',
      Item: { pk: 'ORDER#o-1', sk: 'ROUTING', status: 'routed' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]?.Put).toMatchObject({
      TableName: 'sh',
      Item: { pk: `SHIPMENT#${shipment.shipmentId}`, sk: 'SHIPMENT', status: 'CREATED' },
    });
    expect(items.slice(2).map((i) => i.Update)).toEqual([
      expect.objectContaining({
        TableName: 'wh',
        Key: { pk: 'SKU#A', sk: 'WH#us-east' },
        ConditionExpression: '#available >= :q',
        ExpressionAttributeValues: { ':q': 2 },
      }),
      expect.objectContaining({
        Key: { pk: 'SKU#B', sk: 'WH#us-east' },
        ExpressionAttributeValues: { ':q': 1 },
      }),
    ]);
  });

  it('reads the reasons: the record first, then allocations, then contention', async () => {
    expect(
      applyRouteOutcome([{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }]),
    ).toEqual({
      kind: 'exists',
    });
    expect(
      applyRouteOutcome([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }]),
    ).toEqual({
      kind: 'short',
    });
    expect(applyRouteOutcome([{ Code: 'None' }, { Code: 'TransactionConflict' }])).toEqual({
      kind: 'contended',
    });
    expect(applyRouteOutcome([{ Code: 'ValidationError' }])).toBeUndefined();
    expect(conditionalOutcome([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }])).toEqual({
      kind: 'changed',
    });
    expect(conditionalOutcome([{ Code: 'ThrottlingError' }])).toEqual({ kind: 'contended' });

    const exists = recording(cancelledTx('ConditionalCheckFailed', 'None', 'None', 'None'));
    expect(await exists.store.applyRoute(routing, [shipment])).toEqual({ kind: 'exists' });
    const short = recording(cancelledTx('None', 'None', 'None', 'ConditionalCheckFailed'));
    expect(await short.store.applyRoute(routing, [shipment])).toEqual({ kind: 'short' });
    const busy = recording(Object.assign(new Error('busy'), { name: 'TransactionInProgressException' }));
    expect(await busy.store.applyRoute(routing, [shipment])).toEqual({ kind: 'contended' });
    const broken = recording(new Error('network'));
    await expect(broken.store.applyRoute(routing, [shipment])).rejects.toThrow('network');
  });
});

describe('fulfillment adapter: shipments', () => {
  it('writes a transition on condition of the status it was read in, with the outbox marker', async () => {
    const { sent, store } = recording(
      {},
      Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }),
    );
    const next: Shipment = {
      ...shipment,
      status: 'SHIPPED',
      trackingNumber: 'TRK-1',
      unpublished: 'SHIPPED',
      history: [...shipment.history, { status: 'SHIPPED', at }],
    };
    expect(await store.recordTransition(next, 'CREATED')).toEqual({ kind: 'applied' });
    expect(await store.recordTransition(next, 'CREATED')).toEqual({ kind: 'changed' });
    expect(sent[0]?.input).toMatchObject({
      TableName: 'sh',
      Key: { pk: `SHIPMENT#${shipment.shipmentId}`, sk: 'SHIPMENT' },
      ConditionExpression: '#status = :from',
      ExpressionAttributeValues: {
        ':from': 'CREATED',
        ':to': 'SHIPPED',
        ':tracking': 'TRK-1',
        ':unpublished': 'SHIPPED',
      },
    });
    expect(String(sent[0]?.input.UpdateExpression)).toContain('#trackingNumber = :tracking');
  });

  it('cancels the shipments and marks the record in one transaction, each shipment only if CREATED', async () => {
    const { sent, store } = recording({}, cancelledTx('ConditionalCheckFailed', 'None'));
    const now = new Date(at);
    expect(await store.cancelShipments('o-1', [{ ...shipment, status: 'CANCELLED' }], now)).toEqual({
      kind: 'applied',
    });
    expect(await store.cancelShipments('o-1', [{ ...shipment, status: 'CANCELLED' }], now)).toEqual({
      kind: 'changed',
    });
    const items = sent[0]?.input.TransactItems as Record<string, Record<string, unknown>>[];
    expect(items.map((i) => [i.Update?.Key, i.Update?.ConditionExpression])).toEqual([
      [{ pk: `SHIPMENT#${shipment.shipmentId}`, sk: 'SHIPMENT' }, '#status = :created'],
      [{ pk: 'ORDER#o-1', sk: 'ROUTING' }, 'attribute_exists(pk)'],
    ]);
  });

  it('releases a shipment once: the flag and the units back in one transaction', async () => {
    const { sent, store } = recording({});
    await store.releaseShipment({ ...shipment, status: 'CANCELLED' }, new Date(at));
    const items = sent[0]?.input.TransactItems as Record<string, Record<string, unknown>>[];
    expect(items[0]?.Update).toMatchObject({
      ConditionExpression: '#status = :cancelled AND attribute_not_exists(#released)',
    });
    expect(
      items.slice(1).map((i) => [i.Update?.TableName, i.Update?.Key, i.Update?.UpdateExpression]),
    ).toEqual([
      ['wh', { pk: 'SKU#A', sk: 'WH#us-east' }, 'SET #warehouseId = :w, #sku = :sku ADD #available :q'],
      ['wh', { pk: 'SKU#B', sk: 'WH#us-east' }, 'SET #warehouseId = :w, #sku = :sku ADD #available :q'],
    ]);
  });

  it('reads shipments by key with consistent reads, asking again for unprocessed keys', async () => {
    const item = { pk: `SHIPMENT#${shipment.shipmentId}`, sk: 'SHIPMENT', ...shipment };
    const { sent, store } = recording(
      { Responses: { sh: [] }, UnprocessedKeys: { sh: { Keys: [{ pk: item.pk, sk: item.sk }] } } },
      { Responses: { sh: [item] } },
    );
    expect(await store.getShipments([shipment.shipmentId, shipment.shipmentId])).toEqual([shipment]);
    expect(sent.map((s) => s.command)).toEqual(['BatchGetCommand', 'BatchGetCommand']);
    expect(sent[0]?.input).toEqual({
      RequestItems: { sh: { Keys: [{ pk: item.pk, sk: item.sk }], ConsistentRead: true } },
    });
  });

  it('refuses to touch a table the function was not given', async () => {
    const db = { send: async () => ({}) } as unknown as DynamoDBDocumentClient;
    const store = new DynamoDbFulfillmentStore(db, { shipmentsTable: 'sh' });
    await expect(store.listWarehouses()).rejects.toThrow('FULFILLMENT_WAREHOUSES_TABLE');
  });
});

describe('fulfillment adapter: warehouses', () => {
  it('lists allocations with one Query per distinct SKU, and adds to known warehouses only', async () => {
    const { sent, store } = recording(
      { Items: [{ pk: 'SKU#A', sk: 'WH#us-east', warehouseId: 'us-east', sku: 'A', available: 3 }] },
      { Items: [] },
    );
    expect(await store.allocationsOf(['A', 'B', 'A'])).toEqual([
      { warehouseId: 'us-east', sku: 'A', available: 3 },
    ]);
    expect(sent.map((s) => s.input.ExpressionAttributeValues)).toEqual([
      { ':pk': 'SKU#A' },
      { ':pk': 'SKU#B' },
    ]);
    const unknown = recording({});
    expect(await unknown.store.addAllocation('nowhere', 'A', 1)).toEqual({ kind: 'no-warehouse' });
    expect(unknown.sent).toHaveLength(1);
  });
});
