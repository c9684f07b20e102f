/**
 * Notifications: the preference routes, and Notify, the consumer that emails and texts the buyer
 * on OrderPlaced, ShipmentShipped, ShipmentDelivered and OrderCancelled (its own queue, DLQ and
 * alarm through a Subscription). Deployed stages send through SES (email, from `emailFrom`) and
 * SNS (SMS); stage local writes to the outbox table instead, and its Notify may reach neither
 * provider. Each function gets exactly the item actions it issues.
 */
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { LEASE_MS } from '../../../lambdas/notifications/domain/ledger.ts';
import { NOTIFY_EVENTS } from '../../../lambdas/notifications/events.ts';
import type { ServiceFunction } from '../../constructs/service-function.ts';
import { acknowledge } from '../../nag.ts';
import { sesIdentity } from '../../ses-identity.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/notifications/handlers';
const signedIn = { signedIn: true } as const;

/** A batch of 10 records, up to two sends each; well inside the send lease. */
const NOTIFY_TIMEOUT = Duration.seconds(15);
if (NOTIFY_TIMEOUT.toMilliseconds() >= LEASE_MS) {
  // A lease shorter than a run would let a retry take over from an attempt still sending.
  throw new Error('the send lease must outlast the Notify function');
}

export const DEFAULT_EMAIL_FROM = 'no-reply@example.com';

export const notifications = defineService({
  service: 'notifications',
  functions: {
    GetPreferences: { entry: `${handlers}/get-preferences.handler.ts`, name: 'get-notification-preferences' },
    PutPreferences: { entry: `${handlers}/put-preferences.handler.ts`, name: 'put-notification-preferences' },
    Notify: {
      entry: `${handlers}/notify.handler.ts`,
      name: 'notify',
      timeout: NOTIFY_TIMEOUT,
      description: 'Emails and texts buyers on order events, once per event and channel',
    },
  },
  routes: [
    { method: 'GET', path: '/me/notification-preferences', fn: 'GetPreferences', access: signedIn },
    { method: 'PUT', path: '/me/notification-preferences', fn: 'PutPreferences', access: signedIn },
  ],
});

/** GET /dev/outbox's handler: the dev service declares the function and route (stage local). */
export const DEV_OUTBOX_ENTRY = `${handlers}/dev-outbox.handler.ts`;

export interface NotificationsStackProps extends ServiceStackProps {
  bus: IEventBus;
  alarmAction?: IAlarmAction;
  notificationsTable: ITable;
  /** Stage local: where messages go instead of SES and SNS. Required there, unused elsewhere. */
  outboxTable?: ITable;
  /** The SES sender identity (an address of a verified domain); `no-reply@example.com` if absent. */
  emailFrom?: string;
}

export class NotificationsStack extends ServiceStack<keyof typeof notifications.functions> {
  readonly subscription: Subscription;

  constructor(scope: Construct, id: string, props: NotificationsStackProps) {
    super(scope, id, notifications, props);
    const { notificationsTable: table, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });

    f.GetPreferences.bindTable(table, 'NOTIFICATIONS_TABLE', items('GetItem'));
    // Full replacement: one PutItem, no read.
    f.PutPreferences.bindTable(table, 'NOTIFICATIONS_TABLE', items('PutItem'));
    // Reads preferences and the order's owner; puts the owner and the ledger's claims (a refused
    // claim returns the record it found, so no read there); updates a claim to SENT or releases it.
    f.Notify.bindTable(table, 'NOTIFICATIONS_TABLE', items('GetItem', 'PutItem', 'UpdateItem'));

    if (config.stage === 'local') {
      if (!props.outboxTable) throw new Error('stage local: the notifications stack needs the outbox table');
      f.Notify.addEnvironment('NOTIFY_CHANNEL', 'outbox').bindTable(
        props.outboxTable,
        'OUTBOX_TABLE',
        items('PutItem'),
      );
    } else {
      this.mayEmailAndText(f.Notify, props.emailFrom ?? DEFAULT_EMAIL_FROM);
    }

    this.subscription = new Subscription(this, 'NotifySubscription', {
      config,
      bus: props.bus,
      consumer: f.Notify,
      name: 'notifications-notify',
      events: NOTIFY_EVENTS,
      alarmAction: props.alarmAction,
    });
  }

  private mayEmailAndText(notify: ServiceFunction, emailFrom: string): void {
    const { identityArn: identity } = sesIdentity(this, emailFrom);
    notify.addEnvironment('NOTIFY_CHANNEL', 'aws').addEnvironment('SES_FROM', emailFrom);
    // The verified domain identity, and only as the one sender address.
    notify.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identity],
        conditions: { StringEquals: { 'ses:FromAddress': emailFrom } },
      }),
    );
    notify.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    acknowledge(notify.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number (SMS) has no resource to name: IAM evaluates direct SMS publishing against "*". Besides it only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), which have no resource-level permissions either.',
    });
  }
}
