/**
 * Payments: the checkout saga's payment steps (functions the state machine invokes, no routes) on
 * the sandbox provider's ledger. Each step gets exactly the item actions it issues: on the ledger,
 * PutItem for an authorization (a conditional insert; the old charge comes back with a lost race)
 * and GetItem + PutItem for the others (read, then write back conditional on the version; the
 * reversal reads the order's authorization by the charge id its key determines, so it needs no
 * Query on the by-order index); on the idempotency table, what Powertools' persistence layer
 * issues. Every step keeps the default 10 s timeout: a few item reads and writes.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
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
  },
  routes: [],
});

export interface PaymentStackProps extends ServiceStackProps {
  paymentsTable: ITable;
  paymentIdempotencyTable: ITable;
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
    for (const step of [f.CapturePayment, f.VoidPayment, f.RefundPayment, f.ReversePayment]) {
      step.bindTable(ledger, 'PAYMENTS_TABLE', items('GetItem', 'PutItem'));
    }
    for (const step of Object.values(f)) {
      step.bindTable(records, 'PAYMENT_IDEMPOTENCY_TABLE', items(...IDEMPOTENCY_ACTIONS));
    }
  }
}
