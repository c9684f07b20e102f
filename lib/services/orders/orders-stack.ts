/**
 * Orders: POST /checkout, the order routes, the saga's order steps and the sweeper of orders an
 * interrupted checkout left without a saga. Each function gets exactly the item actions it issues.
 * The checkout state machine's ARN is derived from its name, not referenced: the state machine
 * refers to these functions, and a reference back would make the two stacks a cycle.
 */
import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
// The layout module, not the client: synthesis loads no SDK.
import {
  CANCEL_SHIPMENTS_ACTIONS,
  SHIPMENTS_TABLE_ENV,
} from '../../../lambdas/fulfillment/adapters/table-layout.ts';
import { BY_USER_INDEX, PENDING_INDEX } from '../../../lambdas/orders/adapters/table-layout.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { IDEMPOTENCY_ACTIONS } from '../payment/payment-stack.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/orders/handlers';
const signedIn = { signedIn: true } as const;
const step = { timeout: Duration.seconds(10) };

export const orders = defineService({
  service: 'orders',
  functions: {
    PlaceOrder: { entry: `${handlers}/place-order.handler.ts`, name: 'place-order' },
    GetOrder: { entry: `${handlers}/get-order.handler.ts`, name: 'get-order' },
    ListOrders: { entry: `${handlers}/list-orders.handler.ts`, name: 'list-orders' },
    ValidateCart: { entry: `${handlers}/validate-cart.handler.ts`, name: 'validate-cart', ...step },
    ConfirmOrder: { entry: `${handlers}/confirm-order.handler.ts`, name: 'confirm-order', ...step },
    MarkFailed: { entry: `${handlers}/mark-failed.handler.ts`, name: 'mark-failed', ...step },
    MarkForAttention: {
      entry: `${handlers}/mark-for-attention.handler.ts`,
      name: 'mark-for-attention',
      ...step,
    },
    CancelOrder: { entry: `${handlers}/cancel-order.handler.ts`, name: 'cancel-order' },
    OrderEvents: {
      entry: `${handlers}/order-events.handler.ts`,
      name: 'order-events',
      description: "Moves orders along on fulfillment's shipment events and payments' refunds",
    },
    ResumePendingOrders: {
      entry: `${handlers}/resume-pending.handler.ts`,
      name: 'resume-pending-orders',
      timeout: Duration.seconds(60),
      description: 'Starts the saga of orders left PENDING without one (every 5 minutes)',
    },
  },
  routes: [
    { method: 'POST', path: '/checkout', fn: 'PlaceOrder', access: signedIn },
    { method: 'GET', path: '/orders', fn: 'ListOrders', access: signedIn },
    { method: 'GET', path: '/orders/{orderId}', fn: 'GetOrder', access: signedIn },
    { method: 'POST', path: '/orders/{orderId}/cancel', fn: 'CancelOrder', access: signedIn },
  ],
});

export interface OrdersStackProps extends ServiceStackProps {
  ordersTable: ITable;
  checkoutIdempotencyTable: ITable;
  cartsTable: ITable;
  productsTable: ITable;
  /** Fulfillment's shipments: the cancel call (its published module) writes there. */
  shipmentsTable: ITable;
  bus: events.IEventBus;
  alarmAction?: IAlarmAction;
}

/** The checkout state machine's name: the checkout stack creates it, the orders stack starts it. */
export const checkoutMachineName = (prefix: string) => `${prefix}-checkout`;

export class OrdersStack extends ServiceStack<keyof typeof orders.functions> {
  readonly sweeperRule: events.Rule;

  constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id, orders, props);
    const { ordersTable: table, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const machineArn = Arn.format(
      {
        service: 'states',
        resource: 'stateMachine',
        resourceName: checkoutMachineName(config.prefix),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    const mayStart = (fn: (typeof f)[keyof typeof f]) => {
      fn.addEnvironment('CHECKOUT_STATE_MACHINE_ARN', machineArn);
      iam.Grant.addToPrincipal({
        grantee: fn.fn,
        actions: ['states:StartExecution'],
        resourceArns: [machineArn],
      });
    };

    // Reads the order (a repeat), the cart and its prices; writes the order; starts the saga.
    f.PlaceOrder.bindTable(table, 'ORDERS_TABLE', items('GetItem', 'PutItem'))
      .bindTable(props.cartsTable, 'CARTS_TABLE', items('GetItem'))
      .bindTable(props.productsTable, 'PRODUCTS_TABLE', items('BatchGetItem', 'GetItem'))
      .bindTable(props.checkoutIdempotencyTable, 'ORDERS_IDEMPOTENCY_TABLE', items(...IDEMPOTENCY_ACTIONS));
    mayStart(f.PlaceOrder);
    f.GetOrder.bindTable(table, 'ORDERS_TABLE', items('GetItem'));
    f.ValidateCart.bindTable(table, 'ORDERS_TABLE', items('GetItem'));
    // Conditional updates out of PENDING, and a read to tell a repeat from a conflict.
    f.ConfirmOrder.bindTable(table, 'ORDERS_TABLE', items('UpdateItem', 'GetItem'));
    f.MarkFailed.bindTable(table, 'ORDERS_TABLE', items('UpdateItem', 'GetItem'));
    f.MarkForAttention.bindTable(table, 'ORDERS_TABLE', items('UpdateItem'));
    // Index reads only: Query on exactly one index each, nothing on the table itself.
    f.ListOrders.addEnvironment('ORDERS_TABLE', table.tableName);
    iam.Grant.addToPrincipal({
      grantee: f.ListOrders.fn,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/${BY_USER_INDEX}`],
    });
    f.ResumePendingOrders.addEnvironment('ORDERS_TABLE', table.tableName);
    iam.Grant.addToPrincipal({
      grantee: f.ResumePendingOrders.fn,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/${PENDING_INDEX}`],
    });
    mayStart(f.ResumePendingOrders);

    // Cancel: reads and writes the order whole (conditional on its version), asks fulfillment to
    // cancel the shipments (its module's actions, on its shipments table only), publishes.
    f.CancelOrder.bindTable(table, 'ORDERS_TABLE', items('GetItem', 'PutItem')).bindTable(
      props.shipmentsTable,
      SHIPMENTS_TABLE_ENV,
      { actions: [...CANCEL_SHIPMENTS_ACTIONS] },
    );
    f.OrderEvents.bindTable(table, 'ORDERS_TABLE', items('GetItem', 'PutItem'));
    for (const fn of [f.CancelOrder]) {
      fn.addEnvironment('EVENT_BUS_NAME', props.bus.eventBusName);
      props.bus.grantPutEventsTo(fn.fn);
    }
    new Subscription(this, 'OrderEventsSubscription', {
      config,
      bus: props.bus,
      consumer: f.OrderEvents,
      name: 'orders-order-events',
      events: ['ShipmentCreated', 'ShipmentShipped', 'ShipmentDelivered', 'PaymentRefunded'],
      alarmAction: props.alarmAction,
    });

    this.sweeperRule = new events.Rule(this, 'SweeperSchedule', {
      ruleName: `${config.prefix}-resume-pending-orders`,
      description: 'Starts the saga of orders an interrupted checkout left PENDING',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      // A missed tick is harmless: the next one finds the same orders.
      targets: [
        new targets.LambdaFunction(f.ResumePendingOrders.fn, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(5),
        }),
      ],
    });
  }
}
