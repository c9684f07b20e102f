import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OrdersStack, orders } from '../../lib/services/orders/orders-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  grantsByResource,
  routesOf,
  STUB_PLATFORM_IDS,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('orders stack alone, stage %s', (stage) => {
  let s: AloneStack<OrdersStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new OrdersStack(app, 'Orders', {
        config,
        platform,
        ordersTable: stateful.ordersTable,
        checkoutIdempotencyTable: stateful.checkoutIdempotencyTable,
        cartsTable: stateful.cartsTable,
        productsTable: stateful.productsTable,
        shipmentsTable: stateful.shipmentsTable,
        bus: stateful.bus,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  const TABLES = [
    'CheckoutIdempotencyTable',
    'OrdersTable',
    'CartsTable',
    'ProductsTable',
    'ShipmentsTable',
  ] as const;

  const grants = (id: string) => grantsByResource(s.json, id, TABLES, ['states', 'events', 'sqs']);
  const d = (...a: string[]) => a.map((x) => `dynamodb:${x}`).sort();
  const idempotency = d('PutItem', 'GetItem', 'UpdateItem', 'DeleteItem');

  it('grants each function exactly the item actions it issues', () => {
    expect(grants('PlaceOrder')).toEqual({
      OrdersTable: d('GetItem', 'PutItem'),
      CartsTable: d('GetItem'),
      ProductsTable: d('BatchGetItem', 'GetItem'),
      CheckoutIdempotencyTable: idempotency,
      states: ['states:StartExecution'],
    });
    expect(grants('GetOrder')).toEqual({ OrdersTable: d('GetItem') });
    expect(grants('ListOrders')).toEqual({ 'OrdersTable/byUser': d('Query') });
    expect(grants('ValidateCart')).toEqual({ OrdersTable: d('GetItem') });
    expect(grants('ConfirmOrder')).toEqual({ OrdersTable: d('GetItem', 'UpdateItem') });
    expect(grants('MarkFailed')).toEqual({ OrdersTable: d('GetItem', 'UpdateItem') });
    expect(grants('MarkForAttention')).toEqual({ OrdersTable: d('UpdateItem') });
    expect(grants('CancelOrder')).toEqual({
      OrdersTable: d('GetItem', 'PutItem'),
      ShipmentsTable: d('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'),
      events: ['events:PutEvents'],
    });
    // The event source mapping's own: receive and delete on its queue (asserted below).
    expect(grants('OrderEvents')).toEqual({
      OrdersTable: d('GetItem', 'PutItem'),
      sqs: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
    });
    expect(grants('ResumePendingOrders')).toEqual({
      'OrdersTable/pending': d('Query'),
      states: ['states:StartExecution'],
    });
  });

  it('starts only the checkout state machine, named by the stage', () => {
    for (const id of ['PlaceOrder', 'ResumePendingOrders']) {
      const start = statementsOf(s.json, id).find((st) => st.Action === 'states:StartExecution');
      expect(JSON.stringify(start?.Resource)).toContain(`stateMachine:store-${stage}-checkout`);
      expect(JSON.stringify(envOf(functionsById(s.json).get(id)).CHECKOUT_STATE_MACHINE_ARN)).toContain(
        `stateMachine:store-${stage}-checkout`,
      );
    }
  });

  it('routes the four signed-in routes through the JWT authorizer', () => {
    const routes = routesOf(s.json);
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS')).sort()).toEqual([
      'GET /orders',
      'GET /orders/{orderId}',
      'POST /checkout',
      'POST /orders/{orderId}/cancel',
    ]);
    for (const route of orders.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      expect(method?.AuthorizationType).toBe('CUSTOM');
      expect(method?.AuthorizerId).toBe(STUB_PLATFORM_IDS.tokenAuthorizerId);
    }
  });

  it("takes fulfillment's shipment events and payments' refunds from its own queue, with a DLQ and its alarm", () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-orders-order-events`,
      EventPattern: {
        source: ['store.fulfillment', 'store.payment'],
        'detail-type': ['ShipmentCreated', 'ShipmentShipped', 'ShipmentDelivered', 'PaymentRefunded'],
      },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-orders-order-events`,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^OrderEvents') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-orders-order-events-dlq-not-empty`,
    });
  });

  it('sweeps PENDING orders every 5 minutes', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 } }),
      ],
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
