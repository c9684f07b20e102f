/**
 * Payments: the checkout saga's payment steps (functions the state machine invokes, no routes) on
 * the sandbox provider's ledger. Each step gets exactly the item actions it issues: on the ledger,
 * PutItem for an authorization (a conditional insert; the old charge comes back with a lost race)
 * and GetItem + PutItem for the others (read, then write back conditional on the version; the
 * reversal reads the order's authorization by the charge id its key determines, so it needs no
 * Query on the by-order index); on the idempotency table, what Powertools' persistence layer
 * issues. Every step keeps the default 10 s timeout: a few item reads and writes.
 */
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/payment/handlers';

export const payment = defineService({
  service: 'payment',
  functions: {
    AuthorizePayment: { entry: `${handlers}/authorize-payment.handler.ts`, name: 'authorize-payment' },
    CapturePayment: { entry: `${handlers}/capture-payment.handler.ts`, name: 'capture-payment' },
    VoidPayment: { entry: `${handlers}/void-payment.handler.ts`, name: 'void-payment' },
    RefundPayment: { entry: `${handlers}/refund-payment.handler.ts`, name: 'refund-payment' },
    ReversePayment: { entry: `${handlers}/reverse-payment.handler.ts`, name: 'reverse-payment' },
    RefundCancelledOrder: {
      entry: `${handlers}/refund-cancelled-order.handler.ts`,
      name: 'refund-cancelled-order',
      description: "On OrderCancelled: refunds the order's capture",
    },
  },
  routes: [],
});

export interface PaymentStackProps extends ServiceStackProps {
  paymentsTable: ITable;
  paymentIdempotencyTable: ITable;
  bus: IEventBus;
  alarmAction?: IAlarmAction;
}

/** Powertools' DynamoDB persistence layer: put (in progress), get (a conflict), update (done), delete (failed). */
export const IDEMPOTENCY_ACTIONS = ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem'];

export class PaymentStack extends ServiceStack<keyof typeof payment.functions> {
  constructor(scope: Construct, id: string, props: PaymentStackProps) {
    super(scope, id, payment, props);
    const { paymentsTable: ledger, paymentIdempotencyTable: records } = props;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const f = this.functions;
    f.AuthorizePayment.bindTable(ledger, 'PAYMENTS_TABLE', items('PutItem'));
    for (const step of [
      f.CapturePayment,
      f.VoidPayment,
      f.RefundPayment,
      f.ReversePayment,
      f.RefundCancelledOrder,
    ]) {
      step.bindTable(ledger, 'PAYMENTS_TABLE', items('GetItem', 'PutItem'));
    }
    for (const step of [
      f.AuthorizePayment,
      f.CapturePayment,
      f.VoidPayment,
      f.RefundPayment,
      f.ReversePayment,
    ]) {
      step.bindTable(records, 'PAYMENT_IDEMPOTENCY_TABLE', items(...IDEMPOTENCY_ACTIONS));
    }
    // The refund consumer needs no idempotency records: the provider key of the order's refund
    // makes a repeat answer the first refund. It publishes PaymentRefunded.
    f.RefundCancelledOrder.addEnvironment('EVENT_BUS_NAME', props.bus.eventBusName);
    props.bus.grantPutEventsTo(f.RefundCancelledOrder.fn);
    new Subscription(this, 'RefundSubscription', {
      config: props.config,
      bus: props.bus,
      consumer: f.RefundCancelledOrder,
      name: 'payment-refund-cancelled',
      events: ['OrderCancelled'],
      alarmAction: props.alarmAction,
    });
  }
}
