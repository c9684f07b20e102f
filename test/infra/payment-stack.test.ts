import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PaymentStack, payment } from '../../lib/services/payment/payment-stack.ts';
import type { StatefulStack } from '../../lib/stacks/stateful-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  routesOf,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('payment stack alone, stage %s', (stage) => {
  let s: AloneStack<PaymentStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new PaymentStack(app, 'Payment', {
        config,
        platform,
        paymentsTable: stateful.paymentsTable,
        paymentIdempotencyTable: stateful.paymentIdempotencyTable,
        bus: stateful.bus,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  /** dynamodb actions of a function, by the table they are granted on (and nothing else). */
  const grants = (id: string) => {
    const byTable: Record<'ledger' | 'records', string[]> = { ledger: [], records: [] };
    for (const st of statementsOf(s.json, id)) {
      const resource = JSON.stringify(st.Resource);
      const actions = (Array.isArray(st.Action) ? st.Action : [st.Action]).filter((a) =>
        a.startsWith('dynamodb:'),
      );
      if (actions.length === 0) continue;
      const table = resource.includes('PaymentIdempotencyTable')
        ? 'records'
        : resource.includes('PaymentsTable')
          ? 'ledger'
          : undefined;
      if (!table) throw new Error(`${id}: dynamodb grant on ${resource}`);
      byTable[table].push(...actions);
      expect(resource, id).not.toContain('/index/');
      expect(resource, id).not.toContain('*');
    }
    return { ledger: byTable.ledger.sort(), records: byTable.records.sort() };
  };

  const records = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

  it('grants each step exactly its item actions on the ledger and on the idempotency records', () => {
    expect(grants('AuthorizePayment')).toEqual({ ledger: ['dynamodb:PutItem'], records });
    expect(grants('RefundCancelledOrder')).toEqual({
      ledger: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      records: [],
    });
    // ReversePayment finds the order's authorization by its charge id: no Query on the by-order index.
    for (const id of ['CapturePayment', 'VoidPayment', 'RefundPayment', 'ReversePayment']) {
      expect(grants(id), id).toEqual({ ledger: ['dynamodb:GetItem', 'dynamodb:PutItem'], records });
    }
  });

  it('deploys the five steps as functions with both table names, 10 s each, and no route', () => {
    const fns = functionsById(s.json);
    expect([...fns.keys()].sort()).toEqual(Object.keys(payment.functions).sort());
    expect([...fns.keys()]).toContain('ReversePayment');
    expect(fns.get('ReversePayment')?.FunctionName).toBe(`store-${stage}-reverse-payment`);
    for (const [id, fn] of fns) {
      expect(fn, id).toMatchObject({ Timeout: 10 });
      expect(envOf(fn), id).toMatchObject({
        PAYMENTS_TABLE: expect.anything(),
        POWERTOOLS_SERVICE_NAME: 'payment',
      });
      // The saga's steps keep idempotency records; the refund consumer relies on the provider's keys.
      if (id === 'RefundCancelledOrder') expect(envOf(fn)).not.toHaveProperty('PAYMENT_IDEMPOTENCY_TABLE');
      else expect(envOf(fn), id).toHaveProperty('PAYMENT_IDEMPOTENCY_TABLE');
    }
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-payment-refund-cancelled`,
      EventPattern: { source: ['store.orders'], 'detail-type': ['OrderCancelled'] },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-payment-refund-cancelled`,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    expect([...routesOf(s.json).keys()]).toEqual([]);
  });

  it('keeps the ledger (indexed by order) and the idempotency records (with a TTL) in their own tables', () => {
    const stateful = Template.fromStack(s.stack.node.root.node.findChild('Inputs') as StatefulStack);
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-payments`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byOrder',
          KeySchema: [
            { AttributeName: 'orderId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
        }),
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-payment-idempotency`,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
