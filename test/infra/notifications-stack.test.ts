import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../lib/config/stage-config.ts';
import { NotificationsStack, notifications } from '../../lib/services/notifications/notifications-stack.ts';
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

const synth = (stage: Stage, emailFrom?: string) =>
  synthAlone(stage, ({ app, config, stateful, platform }) => {
    statefuls.set(stage, stateful);
    return new NotificationsStack(app, 'Notifications', {
      config,
      platform,
      bus: stateful.bus,
      alarmAction: stateful.alarmAction,
      // Declared by notificationsTables (notifications-data.ts), which the stateful stack calls.
      notificationsTable: stateful.notificationsTable,
      outboxTable: stateful.outboxTable,
      ...(emailFrom ? { emailFrom } : {}),
    });
  });
const statefuls = new Map<Stage, StatefulStack>();

/** Every grant of a function but tracing and its log group: `<target> -> actions`. */
function grants(s: AloneStack<NotificationsStack>, id: string) {
  const out: Record<string, string[]> = {};
  for (const st of statementsOf(s.json, id)) {
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    if (actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))) continue;
    const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    for (const resource of resources) {
      const text = JSON.stringify(resource);
      const key = text.includes('NotificationsTable')
        ? 'NotificationsTable'
        : text.includes('OutboxTable')
          ? 'OutboxTable'
          : text.includes('NotifySubscriptionQueue')
            ? 'queue'
            : text.includes(':ses:')
              ? 'ses'
              : text;
      out[key] = [...(out[key] ?? []), ...actions].sort();
    }
  }
  return out;
}
const d = (...a: string[]) => a.map((x) => `dynamodb:${x}`).sort();
const SQS_CONSUMER = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
].sort();

describe.each(['staging', 'prod'] as const)('notifications stack alone, stage %s', (stage) => {
  let s: AloneStack<NotificationsStack>;
  beforeAll(() => {
    s = synth(stage, 'orders@shop.example.com');
  });

  it('grants each function exactly the item actions it issues, and Notify SES and SNS sending', () => {
    expect(grants(s, 'GetPreferences')).toEqual({ NotificationsTable: d('GetItem') });
    expect(grants(s, 'PutPreferences')).toEqual({ NotificationsTable: d('PutItem') });
    expect(grants(s, 'Notify')).toEqual({
      NotificationsTable: d('GetItem', 'PutItem', 'UpdateItem'),
      queue: SQS_CONSUMER,
      ses: ['ses:SendEmail'],
      '"*"': ['sns:Publish'],
    });
    const all = JSON.stringify(Object.keys(notifications.functions).map((id) => statementsOf(s.json, id)));
    for (const action of ['Scan', 'Query', 'DeleteItem', 'BatchWriteItem', '*']) {
      expect(all).not.toContain(`"dynamodb:${action}"`);
    }
    expect(all).not.toMatch(/"ses:\*"|"sns:\*"|OutboxTable/);
  });

  it('lets Notify send email only from the configured address of its verified domain', () => {
    const ses = statementsOf(s.json, 'Notify').find((st) => st.Action === 'ses:SendEmail') as
      | { Resource: unknown; Condition?: unknown }
      | undefined;
    const resource = JSON.stringify(ses?.Resource);
    expect(resource).toContain(':ses:');
    expect(resource).toContain(':identity/shop.example.com');
    expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'orders@shop.example.com' } });
  });

  it('deploys Notify for the providers: NOTIFY_CHANNEL=aws, SES_FROM, no outbox, a 15 s timeout', () => {
    const fns = functionsById(s.json);
    expect(envOf(fns.get('Notify'))).toMatchObject({
      NOTIFY_CHANNEL: 'aws',
      SES_FROM: 'orders@shop.example.com',
      NOTIFICATIONS_TABLE: expect.anything(),
      POWERTOOLS_SERVICE_NAME: 'notifications',
    });
    expect(Object.keys(envOf(fns.get('Notify')))).not.toContain('OUTBOX_TABLE');
    expect(fns.get('Notify')).toMatchObject({ Timeout: 15, FunctionName: `store-${stage}-notify` });
    for (const id of ['GetPreferences', 'PutPreferences']) {
      expect(Object.keys(envOf(fns.get(id))), id).toContain('NOTIFICATIONS_TABLE');
      expect(Object.keys(envOf(fns.get(id))), id).not.toContain('NOTIFY_CHANNEL');
    }
  });

  it('puts both routes behind the JWT authorizer, each on its function', () => {
    const routes = routesOf(s.json);
    for (const route of notifications.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      expect(method, route.method).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: STUB_PLATFORM_IDS.tokenAuthorizerId,
        Integration: { Type: 'AWS_PROXY' },
      });
      expect(JSON.stringify((method?.Integration as { Uri?: unknown } | undefined)?.Uri)).toContain(
        `"${route.fn}`,
      );
    }
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS ')).sort()).toEqual([
      'GET /me/notification-preferences',
      'PUT /me/notification-preferences',
    ]);
  });

  it('subscribes Notify to exactly its four events through its own queue, with a DLQ and an alarm', () => {
    const rules = resourcesOf(s.json, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [[, rule] = []] = rules;
    expect(rule?.Properties).toMatchObject({
      Name: `store-${stage}-notifications-notify`,
      EventPattern: {
        source: ['store.orders', 'store.fulfillment'],
        'detail-type': ['OrderPlaced', 'ShipmentShipped', 'ShipmentDelivered', 'OrderCancelled'],
      },
      Targets: [{ Arn: { 'Fn::GetAtt': [expect.stringMatching(/^NotifySubscriptionQueue/), 'Arn'] } }],
    });
    const queues = new Map(
      resourcesOf(s.json, 'AWS::SQS::Queue').map(([, q]) => [String(q.Properties.QueueName), q.Properties]),
    );
    expect(queues.get(`store-${stage}-notifications-notify`)).toMatchObject({
      VisibilityTimeout: 90,
      RedrivePolicy: {
        maxReceiveCount: 5,
        deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^NotifySubscriptionDlq/), 'Arn'] },
      },
    });
    expect(queues.has(`store-${stage}-notifications-notify-dlq`)).toBe(true);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // The stack's other alarms (its functions' errors and throttles): test/infra/observability.test.ts.
    const alarms = resourcesOf(s.json, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      String(a.Properties.AlarmName).endsWith('-dlq-not-empty'),
    );
    expect(alarms.map(([, a]) => a.Properties.AlarmName)).toEqual([
      `store-${stage}-notifications-notify-dlq-not-empty`,
    ]);
    expect(alarms[0]?.[1].Properties.AlarmActions).toHaveLength(1);
  });

  it('declares the notifications table: keys, TTL on purgeAt, PITR; and no outbox', () => {
    const tables = resourcesOf(
      Template.fromStack(statefuls.get(stage) as StatefulStack).toJSON() as never,
      'AWS::DynamoDB::Table',
    );
    const byName = new Map(tables.map(([, t]) => [String(t.Properties.TableName), t.Properties]));
    expect(byName.get(`store-${stage}-notifications`)).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'purgeAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: stage === 'prod',
    });
    expect(byName.has(`store-${stage}-notifications-outbox`)).toBe(false);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});

describe('notifications stack alone, stage local', () => {
  let s: AloneStack<NotificationsStack>;
  beforeAll(() => {
    s = synth('local');
  });

  it('sends to the outbox only: no SES or SNS grant, NOTIFY_CHANNEL=outbox', () => {
    expect(grants(s, 'Notify')).toEqual({
      NotificationsTable: d('GetItem', 'PutItem', 'UpdateItem'),
      OutboxTable: d('PutItem'),
      queue: SQS_CONSUMER,
    });
    const env = envOf(functionsById(s.json).get('Notify'));
    expect(env).toMatchObject({ NOTIFY_CHANNEL: 'outbox', OUTBOX_TABLE: expect.anything() });
    expect(Object.keys(env)).not.toContain('SES_FROM');
    const names = resourcesOf(
      Template.fromStack(statefuls.get('local') as StatefulStack).toJSON() as never,
      'AWS::DynamoDB::Table',
    ).map(([, t]) => t.Properties.TableName);
    expect(names).toEqual(
      expect.arrayContaining(['store-local-notifications', 'store-local-notifications-outbox']),
    );
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});

describe('notifications stack props', () => {
  it('refuses an emailFrom that is not a plain address', () => {
    expect(() => synth('staging', 'Store <no-reply@example.com>')).toThrow(/plain address/);
  });

  it('defaults the sender to no-reply@example.com', () => {
    const s = synth('staging');
    expect(envOf(functionsById(s.json).get('Notify')).SES_FROM).toBe('no-reply@example.com');
  });
});
