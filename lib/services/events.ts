/**
 * A consumer's subscription to catalogue events, declared once per consumer function: an
 * EventBridge rule on the store's bus matching exactly the (source, detail type) pairs it takes,
 * delivering to the consumer's own SQS queue; the queue's DLQ after 5 receives (2 locally), with an alarm when
 * it is not empty; and the event source mapping (batches of 10, partial batch failures), so a
 * poison message never blocks its neighbours. The same DLQ is the rule target's: an event the
 * rule could not deliver to the queue lands there too, under the same alarm. docs/events.md lists
 * every subscription.
 *
 * Also here: the bus's archive of every store event, from which events are replayed after a
 * consumer bug (docs/events.md, "Replaying events").
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS, type EventName, SOURCES } from '../../lambdas/events/catalog.ts';
import type { StageConfig } from '../config/stage-config.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { acknowledge } from '../nag.ts';

export interface SubscriptionProps {
  config: StageConfig;
  bus: events.IEventBus;
  consumer: ServiceFunction;
  /** Physical names: `<prefix>-<name>` (queue), `-dlq`, `-not-empty` (alarm). */
  name: string;
  events: readonly EventName[];
  alarmAction?: IAlarmAction;
}

/** Receives before a message goes to the DLQ: the first try and four retries. */
export const MAX_RECEIVES = 5;
/**
 * Stage local (laptops and the test suite): a poison message reaches its DLQ after two receives
 * one function timeout apart, in seconds rather than minutes. Deployed stages keep the above.
 */
export const LOCAL_MAX_RECEIVES = 2;

/**
 * The rule target's retries: EventBridge's own maximum (24 hours, 185 attempts), stated so the
 * template shows it. Only transient errors (throttling, an SQS outage) are retried, and an outage
 * of SQS would refuse the dead-letter send too, so retrying long is what keeps those events;
 * permanent errors (a missing queue, a policy refusing) go to the DLQ at once.
 */
export const TARGET_MAX_EVENT_AGE = Duration.hours(24);
export const TARGET_RETRY_ATTEMPTS = 185;

/** `<prefix>-events`: every event a store service publishes (any detail type under SOURCES). */
export function storeEventArchive(bus: events.EventBus, config: StageConfig): events.Archive | undefined {
  const retention = config.events.archiveRetention;
  if (!retention) return undefined;
  return bus.archive('Archive', {
    archiveName: `${config.prefix}-events`,
    description: `Every store event on ${config.prefix}-bus, kept ${retention.toDays()} days for replays`,
    eventPattern: { source: Object.values(SOURCES) },
    retention,
  });
}

export class Subscription extends Construct {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SubscriptionProps) {
    super(scope, id);
    const { config, consumer } = props;
    const name = `${config.prefix}-${props.name}`;
    const local = config.stage === 'local';
    const timeoutSeconds = consumer.fn.timeout?.toSeconds() ?? 10;
    const maxReceiveCount = local ? LOCAL_MAX_RECEIVES : MAX_RECEIVES;
    this.dlq = new Queue(this, 'Dlq', {
      queueName: `${name}-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    acknowledge(this.dlq, {
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${name}.`,
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: name,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda: at least six times the function timeout, so retries of a batch
      // never overlap the batch still running. Locally one timeout (the least SQS accepts).
      visibilityTimeout: Duration.seconds((local ? 1 : 6) * timeoutSeconds),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount },
      removalPolicy: config.removalPolicy,
    });
    const wanted = props.events.map((e) => EVENTS[e]);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: name,
      description: `${props.events.join(', ')} to ${name}`,
      eventBus: props.bus,
      eventPattern: {
        source: [...new Set(wanted.map((e) => e.source))],
        detailType: [...props.events],
      },
      // Delivery failures to the queue go to the queue's own DLQ (its policy lets this rule send):
      // one place, one alarm, and a redrive to the queue serves both kinds (the body is the event).
      targets: [
        new targets.SqsQueue(this.queue, {
          deadLetterQueue: this.dlq,
          maxEventAge: TARGET_MAX_EVENT_AGE,
          retryAttempts: TARGET_RETRY_ATTEMPTS,
        }),
      ],
    });
    consumer.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    if (config.alarms) {
      const alarm = new Alarm(this, 'DlqAlarm', {
        alarmName: `${name}-dlq-not-empty`,
        alarmDescription: `Events ${name} gave up on after ${maxReceiveCount} receives, or its rule could not deliver: their effect is missing.`,
        metric: this.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmAction) alarm.addAlarmAction(props.alarmAction);
    }
  }
}
