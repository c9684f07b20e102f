/**
 * A consumer's subscription to catalogue events, declared once per consumer function: an
 * EventBridge rule on the store's bus matching exactly the (source, detail type) pairs it takes,
 * delivering to the consumer's own SQS queue; the queue's DLQ after 5 receives (2 locally), with an alarm when
 * it is not empty; and the event source mapping (batches of 10, partial batch failures), so a
 * poison message never blocks its neighbours. docs/events.md lists every subscription.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS, type EventName } from '../../lambdas/events/catalog.ts';
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
      targets: [new targets.SqsQueue(this.queue)],
    });
    consumer.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    if (config.alarms) {
      const alarm = new Alarm(this, 'DlqAlarm', {
        alarmName: `${name}-dlq-not-empty`,
        alarmDescription: `Events ${name} gave up on after ${maxReceiveCount} receives: their effect is missing.`,
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
