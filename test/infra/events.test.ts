/**
 * The bus's plumbing across the whole app: the archive of every store event (retention per
 * stage), and every subscription rule's delivery (retries, then the subscription's own DLQ, which
 * the rule alone may send to). docs/events.md.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, SOURCES } from '../../lambdas/events/catalog.ts';
import type { Stage } from '../../lib/config/stage-config.ts';
import { type CfnTemplate, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

type Resource = Required<CfnTemplate['Resources'][string]>;
interface Located {
  stack: string;
  id: string;
  r: Resource;
}

const all = (s: SynthesizedStage, type: string): Located[] =>
  Object.entries(s.templates).flatMap(([stack, t]) =>
    resourcesOf(t, type).map(([id, r]) => ({ stack, id, r })),
  );

/** The subscription rules: pattern rules on the store's bus (schedules have no pattern). */
const subscriptionRules = (s: SynthesizedStage) =>
  all(s, 'AWS::Events::Rule').filter((x) => x.r.Properties.EventPattern);

const getAtt = (id: string, attr = 'Arn') => ({ 'Fn::GetAtt': [id, attr] });

interface Target {
  Arn: unknown;
  DeadLetterConfig?: { Arn?: unknown };
  RetryPolicy?: Record<string, unknown>;
}

/** docs/events.md's subscriptions, one rule each. */
const SUBSCRIPTIONS = [
  'catalog-apply-rating',
  'fulfillment-release-shipments',
  'fulfillment-route-order',
  'inventory-return-stock',
  'notifications-notify',
  'orders-order-events',
  'payment-refund-cancelled',
  'recommendations-count',
  'reviews-record-purchases',
];

const RETENTION_DAYS: Record<'staging' | 'prod', number> = { staging: 30, prod: 90 };

describe.each(['staging', 'prod'] as const)('events, stage %s', (stage) => {
  let s: SynthesizedStage;
  const prefix = `store-${stage}`;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it(`archives every event the store publishes as ${prefix}-events, kept ${RETENTION_DAYS[stage]} days`, () => {
    const archives = all(s, 'AWS::Events::Archive');
    expect(archives.map((a) => a.stack)).toEqual([s.statefulStackName]);
    const [bus] = resourcesOf(s.statefulJson, 'AWS::Events::EventBus');
    expect(bus?.[1].Properties.Name).toBe(`${prefix}-bus`);
    const archive = archives[0]?.r.Properties ?? {};
    expect(archive).toMatchObject({
      ArchiveName: `${prefix}-events`,
      SourceArn: getAtt(bus?.[0] ?? ''),
      RetentionDays: RETENTION_DAYS[stage],
    });
    // Matched on the sources alone: a new detail type of any service is archived without a change here.
    expect(archive.EventPattern).toEqual({ source: Object.values(SOURCES) });
    const published = new Set(Object.values(EVENTS).map((e) => e.source));
    expect([...published].every((source) => Object.values(SOURCES).includes(source))).toBe(true);
  });

  it('delivers every subscription with retries, then to its queue’s own DLQ, which only its rule may send to', () => {
    const rules = subscriptionRules(s);
    expect(rules.map((r) => r.r.Properties.Name).sort()).toEqual(SUBSCRIPTIONS.map((n) => `${prefix}-${n}`));
    for (const { stack, id, r } of rules) {
      const name = String(r.Properties.Name);
      const template = s.templates[stack] as CfnTemplate;
      const targets = r.Properties.Targets as Target[];
      expect(targets, name).toHaveLength(1);
      const [target] = targets as [Target];
      expect(target.RetryPolicy, name).toEqual({
        MaximumEventAgeInSeconds: 86_400,
        MaximumRetryAttempts: 185,
      });

      const queueId = (target.Arn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const queue = template.Resources[queueId]?.Properties ?? {};
      expect(queue.QueueName, name).toBe(name);
      const redrive = queue.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } };
      // The DLQ the queue redrives to is the one the rule dead-letters to: one place, one alarm.
      expect(target.DeadLetterConfig, name).toEqual({ Arn: redrive.deadLetterTargetArn });
      const dlqId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
      expect(template.Resources[dlqId]?.Properties?.QueueName, name).toBe(`${name}-dlq`);

      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
        (p.Properties.Queues as unknown[]).some((q) => JSON.stringify(q) === JSON.stringify({ Ref: dlqId })),
      );
      const sends = policies.flatMap(([, p]) =>
        (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter(
          (st) => st.Effect === 'Allow',
        ),
      );
      expect(sends, name).toEqual([
        expect.objectContaining({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: getAtt(dlqId),
          Condition: { ArnEquals: { 'aws:SourceArn': getAtt(id) } },
        }),
      ]);

      const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(
        ([, a]) => a.Properties.AlarmName === `${name}-dlq-not-empty`,
      );
      expect(alarm?.[1].Properties.Dimensions, name).toEqual([
        { Name: 'QueueName', Value: getAtt(dlqId, 'QueueName') },
      ]);
      expect(String(alarm?.[1].Properties.AlarmDescription), name).toContain('could not deliver');
    }
  });

  it('has no unacknowledged cdk-nag finding on the bus, its archive or a subscription', () => {
    // Paths such as `store-prod-notifications/NotifySubscription/Dlq/Resource`, `.../Bus/Archive/Resource`.
    const mine = s.nag.filter((v) => v.constructPaths.some((p) => /Subscription\/|\/Bus\//.test(p)));
    expect(mine).toEqual([]);
  });
});

describe('events, stage local', () => {
  let s: SynthesizedStage;
  const stage: Stage = 'local';
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it('deploys no archive: the local cloud has none to replay from', () => {
    expect(all(s, 'AWS::Events::Archive')).toEqual([]);
  });

  it('still dead-letters every subscription rule to its DLQ, which the local delivery emulates', () => {
    const rules = subscriptionRules(s);
    expect(rules).toHaveLength(SUBSCRIPTIONS.length);
    for (const { r } of rules) {
      const [target] = r.Properties.Targets as [Target];
      expect(target.DeadLetterConfig?.Arn, String(r.Properties.Name)).toBeDefined();
    }
  });
});
