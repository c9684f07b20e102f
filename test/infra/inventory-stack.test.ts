import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InventoryStack, inventory } from '../../lib/services/inventory/inventory-stack.ts';
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

describe.each(['staging', 'prod'] as const)('inventory stack alone, stage %s', (stage) => {
  let s: AloneStack<InventoryStack>;
  let stateful: StatefulStack;
  beforeAll(() => {
    s = synthAlone(stage, (inputs) => {
      stateful = inputs.stateful;
      return new InventoryStack(inputs.app, 'Inventory', {
        config: inputs.config,
        platform: inputs.platform,
        inventoryTable: inputs.stateful.inventoryTable,
        reservationsTable: inputs.stateful.reservationsTable,
        bus: inputs.stateful.bus,
        alarmAction: inputs.stateful.alarmAction,
      });
    });
  });

  /** dynamodb actions of a function, by what they are granted on: a table or the held index. */
  const grants = (id: string) => {
    const on: Record<'inventory' | 'reservations' | 'heldIndex', string[]> = {
      inventory: [],
      reservations: [],
      heldIndex: [],
    };
    for (const st of statementsOf(s.json, id)) {
      const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).filter((a) =>
        a.startsWith('dynamodb:'),
      );
      if (actions.length === 0) continue;
      const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      for (const resource of resources.map((r) => JSON.stringify(r))) {
        const target = resource.includes('/index/held-by-expiry')
          ? 'heldIndex'
          : resource.includes('/index/')
            ? undefined
            : resource.includes('InventoryTable')
              ? 'inventory'
              : resource.includes('ReservationsTable')
                ? 'reservations'
                : undefined;
        if (!target) throw new Error(`${id}: dynamodb grant on ${resource}`);
        on[target].push(...actions);
      }
    }
    return {
      inventory: on.inventory.sort(),
      reservations: on.reservations.sort(),
      heldIndex: on.heldIndex.sort(),
    };
  };

  it('grants each function exactly the item actions it issues, on exactly its tables and index', () => {
    expect(grants('GetStock')).toEqual({ inventory: ['dynamodb:GetItem'], reservations: [], heldIndex: [] });
    expect(grants('ReceiveStock')).toEqual({
      inventory: ['dynamodb:UpdateItem'],
      reservations: [],
      heldIndex: [],
    });
    expect(grants('ReapReservations')).toEqual({
      inventory: ['dynamodb:UpdateItem'],
      reservations: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      heldIndex: ['dynamodb:Query'],
    });
    // The saga's steps: TransactWriteItems is authorized per item, so no transaction action.
    expect(grants('ReserveInventory')).toEqual({
      inventory: ['dynamodb:UpdateItem'],
      reservations: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      heldIndex: [],
    });
    for (const id of ['CommitReservation', 'ReleaseInventory', 'ReturnStock']) {
      expect(grants(id), id).toEqual({
        inventory: ['dynamodb:UpdateItem'],
        reservations: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        heldIndex: [],
      });
    }
    // Never a scan, a delete, or a batch write, anywhere; a put only where a reservation is made.
    const others = Object.keys(inventory.functions).filter((id) => id !== 'ReserveInventory');
    const all = JSON.stringify(Object.keys(inventory.functions).map((id) => statementsOf(s.json, id)));
    for (const action of ['Scan', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem', '*']) {
      expect(all).not.toContain(`"dynamodb:${action}"`);
    }
    expect(JSON.stringify(others.map((id) => statementsOf(s.json, id)))).not.toContain('"dynamodb:PutItem"');
  });

  it('deploys the saga steps with both table names, the hold length on the reserve step only, 10 s each', () => {
    const fns = functionsById(s.json);
    for (const id of ['ReserveInventory', 'CommitReservation', 'ReleaseInventory']) {
      expect(fns.get(id), id).toMatchObject({ Timeout: 10 });
      expect(envOf(fns.get(id)), id).toMatchObject({
        INVENTORY_TABLE: expect.anything(),
        RESERVATIONS_TABLE: expect.anything(),
        POWERTOOLS_SERVICE_NAME: 'inventory',
      });
    }
    expect(fns.get('ReserveInventory')?.FunctionName).toBe(`store-${stage}-reserve-inventory`);
    expect(fns.get('CommitReservation')?.FunctionName).toBe(`store-${stage}-commit-reservation`);
    expect(fns.get('ReleaseInventory')?.FunctionName).toBe(`store-${stage}-release-inventory`);
    expect(envOf(fns.get('ReserveInventory')).RESERVATION_TTL_SECONDS).toBe('900');
    for (const id of ['CommitReservation', 'ReleaseInventory', 'ReapReservations']) {
      expect(Object.keys(envOf(fns.get(id))), id).not.toContain('RESERVATION_TTL_SECONDS');
    }
  });

  it('names each function its tables in the environment, and the reaper only both', () => {
    const fns = functionsById(s.json);
    expect(Object.keys(envOf(fns.get('GetStock')))).toContain('INVENTORY_TABLE');
    expect(Object.keys(envOf(fns.get('GetStock')))).not.toContain('RESERVATIONS_TABLE');
    expect(Object.keys(envOf(fns.get('ReceiveStock')))).not.toContain('RESERVATIONS_TABLE');
    expect(envOf(fns.get('ReapReservations'))).toMatchObject({
      INVENTORY_TABLE: expect.anything(),
      RESERVATIONS_TABLE: expect.anything(),
      POWERTOOLS_SERVICE_NAME: 'inventory',
    });
    expect(fns.get('ReapReservations')).toMatchObject({ Timeout: 60 });
  });

  it('puts both routes behind the JWT authorizer, each on its function', () => {
    const routes = routesOf(s.json);
    for (const route of inventory.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      expect(method, route.path).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: STUB_PLATFORM_IDS.tokenAuthorizerId,
        Integration: { Type: 'AWS_PROXY' },
        RequestParameters: { 'method.request.path.sku': true },
      });
      expect(
        JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri),
        route.path,
      ).toContain(`"${route.fn}`);
    }
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort()).toEqual([
      'GET /admin/inventory/{sku}',
      'POST /admin/inventory/{sku}/receive',
    ]);
  });

  it('returns the stock of cancelled orders from its own queue, fed by OrderCancelled, with a DLQ and its alarm', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-inventory-return-stock`,
      EventPattern: { source: ['store.orders'], 'detail-type': ['OrderCancelled'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReturnStockSubscriptionQueue'), 'Arn'] },
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-inventory-return-stock`,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      SqsManagedSseEnabled: true,
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ReturnStock') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-inventory-return-stock-dlq-not-empty`,
      Threshold: 0,
      AlarmActions: [Match.anyValue()],
    });
    const publish = statementsOf(s.json, 'ReturnStock').filter((st) =>
      JSON.stringify(st.Action).includes('events:'),
    );
    expect(publish.map((st) => st.Action)).toEqual(['events:PutEvents']);
  });

  it('runs the reaper every minute', () => {
    const rules = resourcesOf(s.json, 'AWS::Events::Rule').filter(
      ([, r]) => r.Properties?.ScheduleExpression,
    );
    expect(rules).toHaveLength(1);
    const [[, rule] = []] = rules;
    expect(rule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^ReapReservations/), 'Arn'] } }],
    });
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });

  it('declares the tables: keys, the sparse held index, TTL on purgeAt only, PITR', () => {
    const t = Template.fromStack(stateful);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-inventory`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: stage === 'prod',
    });
    const [[, reservations] = []] = resourcesOf(t.toJSON() as never, 'AWS::DynamoDB::Table').filter(
      ([, table]) => table.Properties.TableName === `store-${stage}-reservations`,
    );
    expect(reservations?.Properties).toMatchObject({
      TimeToLiveSpecification: { AttributeName: 'purgeAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'held-by-expiry',
          KeySchema: [
            { AttributeName: 'heldShard', KeyType: 'HASH' },
            { AttributeName: 'expiresAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['orderId'] },
        },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
