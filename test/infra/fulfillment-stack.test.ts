import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FulfillmentTables,
  fulfillmentTables,
} from '../../lib/services/fulfillment/fulfillment-data.ts';
import { FulfillmentStack, fulfillment } from '../../lib/services/fulfillment/fulfillment-stack.ts';
import type { StatefulStack } from '../../lib/stacks/stateful-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  routesOf,
  STUB_PLATFORM_IDS,
  statementsOf,
  synthAlone,
} from './support/alone.ts';
import { resourcesOf } from './support/stage.ts';

describe.each(['staging', 'prod'] as const)('fulfillment stack alone, stage %s', (stage) => {
  let s: AloneStack<FulfillmentStack>;
  let stateful: StatefulStack;
  beforeAll(() => {
    s = synthAlone(stage, (inputs) => {
      stateful = inputs.stateful;
      // The stateful stack declares the tables once it is wired; until then they are made here.
      const declared = inputs.stateful as unknown as Partial<FulfillmentTables>;
      const tables =
        declared.warehousesTable && declared.shipmentsTable
          ? (declared as FulfillmentTables)
          : fulfillmentTables(inputs.stateful, inputs.config);
      return new FulfillmentStack(inputs.app, 'Fulfillment', {
        config: inputs.config,
        platform: inputs.platform,
        bus: inputs.stateful.bus,
        alarmAction: inputs.stateful.alarmAction,
        warehousesTable: tables.warehousesTable,
        shipmentsTable: tables.shipmentsTable,
      });
    });
  });

  type Target = 'warehouses' | 'shipments' | 'events' | 'sqs';
  /** A function's grants by what they are on: a table, the bus, its queue; nothing else allowed. */
  const grants = (id: string) => {
    const on: Record<Target, string[]> = { warehouses: [], shipments: [], events: [], sqs: [] };
    for (const st of statementsOf(s.json, id)) {
      const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
      // Tracing (X-Ray) has no resource-level permissions and every function writes its own logs.
      if (actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))) continue;
      const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      for (const text of resources.map((r) => JSON.stringify(r))) {
        expect(text, id).not.toMatch(/\/index\/|"\*"/);
        const target: Target | undefined = text.includes('WarehousesTable')
          ? 'warehouses'
          : text.includes('ShipmentsTable')
            ? 'shipments'
            : actions.every((a) => a.startsWith('events:'))
              ? 'events'
              : actions.every((a) => a.startsWith('sqs:'))
                ? 'sqs'
                : undefined;
        if (!target) throw new Error(`${id}: grant of ${actions.join(',')} on ${text}`);
        on[target].push(...actions);
      }
    }
    return Object.fromEntries(Object.entries(on).map(([k, v]) => [k, [...new Set(v)].sort()]));
  };
  const ddb = (...actions: string[]) => actions.map((a) => `dynamodb:${a}`).sort();
  const CONSUMER_SQS = [
    'sqs:ChangeMessageVisibility',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ReceiveMessage',
  ];

  it('grants each function exactly the item actions it issues, on exactly its tables', () => {
    expect(grants('RouteOrder')).toEqual({
      warehouses: ddb('Query', 'UpdateItem'),
      shipments: ddb('GetItem', 'PutItem'),
      events: ['events:PutEvents'],
      sqs: CONSUMER_SQS,
    });
    expect(grants('ReleaseShipments')).toEqual({
      warehouses: ddb('UpdateItem'),
      shipments: ddb('BatchGetItem', 'GetItem', 'UpdateItem'),
      events: [],
      sqs: CONSUMER_SQS,
    });
    expect(grants('ShipmentEvent')).toEqual({
      warehouses: [],
      shipments: ddb('GetItem', 'UpdateItem'),
      events: ['events:PutEvents'],
      sqs: [],
    });
    expect(grants('GetShipment')).toEqual({ warehouses: [], shipments: ddb('GetItem'), events: [], sqs: [] });
    expect(grants('PutWarehouse')).toEqual({
      warehouses: ddb('PutItem'),
      shipments: [],
      events: [],
      sqs: [],
    });
    expect(grants('AddAllocation')).toEqual({
      warehouses: ddb('GetItem', 'UpdateItem'),
      shipments: [],
      events: [],
      sqs: [],
    });
    // Never a scan, a delete, a batch write or a wildcard, anywhere.
    const all = JSON.stringify(Object.keys(fulfillment.functions).map((id) => statementsOf(s.json, id)));
    for (const action of ['Scan', 'DeleteItem', 'BatchWriteItem', 'DescribeTable', '*']) {
      expect(all).not.toContain(`"dynamodb:${action}"`);
    }
  });

  it('gives each consumer its own queue and each publisher the one bus', () => {
    const queueOf = (id: string) =>
      statementsOf(s.json, id)
        .filter((st) =>
          (Array.isArray(st.Action) ? st.Action : [st.Action]).some((a) => a.startsWith('sqs:')),
        )
        .map((st) => JSON.stringify(st.Resource));
    expect(queueOf('RouteOrder').join()).toMatch(/RouteOrderSubscriptionQueue/);
    expect(queueOf('RouteOrder').join()).not.toMatch(/ReleaseShipments/);
    expect(queueOf('ReleaseShipments').join()).toMatch(/ReleaseShipmentsSubscriptionQueue/);
    const busOf = (id: string) =>
      statementsOf(s.json, id)
        .filter((st) => st.Action === 'events:PutEvents')
        .map((st) => JSON.stringify(st.Resource));
    for (const id of ['RouteOrder', 'ShipmentEvent']) expect(busOf(id).join(), id).toContain('Bus');
  });

  it('names each function its tables and, for the publishers only, the bus', () => {
    const fns = functionsById(s.json);
    const env = (id: string) =>
      Object.keys(envOf(fns.get(id)))
        .filter((k) => /TABLE|BUS/.test(k))
        .sort();
    expect(env('RouteOrder')).toEqual([
      'EVENT_BUS_NAME',
      'FULFILLMENT_SHIPMENTS_TABLE',
      'FULFILLMENT_WAREHOUSES_TABLE',
    ]);
    expect(env('ReleaseShipments')).toEqual(['FULFILLMENT_SHIPMENTS_TABLE', 'FULFILLMENT_WAREHOUSES_TABLE']);
    expect(env('ShipmentEvent')).toEqual(['EVENT_BUS_NAME', 'FULFILLMENT_SHIPMENTS_TABLE']);
    expect(env('GetShipment')).toEqual(['FULFILLMENT_SHIPMENTS_TABLE']);
    expect(env('PutWarehouse')).toEqual(['FULFILLMENT_WAREHOUSES_TABLE']);
    expect(env('AddAllocation')).toEqual(['FULFILLMENT_WAREHOUSES_TABLE']);
    for (const [id, spec] of Object.entries(fulfillment.functions)) {
      expect(fns.get(id)?.FunctionName, id).toBe(`store-${stage}-${spec.name}`);
      expect(envOf(fns.get(id)).POWERTOOLS_SERVICE_NAME, id).toBe('fulfillment');
    }
    expect(fns.get('RouteOrder')).toMatchObject({ Timeout: 30 });
    expect(fns.get('ReleaseShipments')).toMatchObject({ Timeout: 30 });
  });

  it('puts every route behind the JWT authorizer, each on its function', () => {
    const routes = routesOf(s.json);
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort()).toEqual([
      'GET /admin/shipments/{shipmentId}',
      'POST /admin/shipments/{shipmentId}/events',
      'POST /admin/warehouses/{warehouseId}/allocations',
      'PUT /admin/warehouses/{warehouseId}',
    ]);
    for (const route of fulfillment.routes) {
      expect(route.access).toEqual({ admin: true });
      const method = routes.get(`${route.method} ${route.path}`);
      const param = route.path.includes('{shipmentId}') ? 'shipmentId' : 'warehouseId';
      expect(method, route.path).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: STUB_PLATFORM_IDS.tokenAuthorizerId,
        Integration: { Type: 'AWS_PROXY' },
        RequestParameters: { [`method.request.path.${param}`]: true },
      });
      expect(
        JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri),
        route.path,
      ).toContain(`"${route.fn}`);
    }
  });

  it('subscribes each consumer through its own rule, queue, DLQ (5 receives) and alarm', () => {
    const rules = resourcesOf(s.json, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toHaveLength(2);
    const queues = new Map(
      resourcesOf(s.json, 'AWS::SQS::Queue').map(([id, q]) => [
        String(q.Properties.QueueName),
        { id, ...q.Properties },
      ]),
    );
    // The stack's other alarms (its functions' errors and throttles): test/infra/observability.test.ts.
    const alarms = resourcesOf(s.json, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => String(a.AlarmName).endsWith('-dlq-not-empty'));
    const mappings = resourcesOf(s.json, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    for (const [name, event, source, fn] of [
      ['fulfillment-route-order', 'OrderPlaced', 'store.orders', 'RouteOrder'],
      ['fulfillment-release-shipments', 'OrderCancelled', 'store.orders', 'ReleaseShipments'],
    ] as const) {
      const full = `store-${stage}-${name}`;
      const queue = queues.get(full);
      const dlq = queues.get(`${full}-dlq`);
      expect(queue, full).toBeDefined();
      expect(dlq, full).toBeDefined();
      const rule = rules.find((r) => r.Name === full);
      expect(rule, full).toMatchObject({
        EventPattern: { source: [source], 'detail-type': [event] },
        EventBusName: expect.anything(),
        Targets: [{ Arn: { 'Fn::GetAtt': [queue?.id, 'Arn'] } }],
      });
      expect(queue).toMatchObject({
        RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [dlq?.id, 'Arn'] } },
        // Six times the consumer's 30 s timeout.
        VisibilityTimeout: 180,
        SqsManagedSseEnabled: true,
      });
      expect(dlq).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(
        mappings.find((m) => JSON.stringify(m.EventSourceArn).includes(String(queue?.id))),
        full,
      ).toMatchObject({
        FunctionName: { Ref: expect.stringMatching(new RegExp(`^${fn}`)) },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      const alarm = alarms.find((a) => a.AlarmName === `${full}-dlq-not-empty`);
      expect(alarm, full).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq?.id, 'QueueName'] } }],
        AlarmActions: [expect.anything()],
      });
    }
    expect(mappings).toHaveLength(2);
    expect(alarms).toHaveLength(2);
  });

  it('declares both tables: pk/sk string keys, on demand, PITR, no index', () => {
    const t = Template.fromStack(stateful);
    for (const name of ['warehouses', 'shipments']) {
      const [[, table] = []] = resourcesOf(t.toJSON() as never, 'AWS::DynamoDB::Table').filter(
        ([, r]) => r.Properties.TableName === `store-${stage}-${name}`,
      );
      expect(table?.Properties, name).toMatchObject({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: stage === 'prod',
      });
      expect(table?.Properties, name).not.toHaveProperty('GlobalSecondaryIndexes');
    }
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
