/**
 * Checkout: the saga as a Standard state machine, its ASL loaded from `state-machines/` with the
 * step functions, the bus and the DLQ substituted in. Its role may invoke exactly the saga's
 * functions, put events on the one bus and send to the one DLQ. Alarms: executions failed or
 * timed out (a compensation gave up, or a bug), the DLQ not empty, orders flagged for attention
 * (CompensationsFailed) and orders failed for an internal reason.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PROJECT_ROOT } from '../../constructs/service-function.ts';
import { acknowledge } from '../../nag.ts';
import { sagaBusinessAlarms } from '../../observability/alarms.ts';
import { defineService } from '../manifest.ts';
import { checkoutMachineName } from '../orders/orders-stack.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

export const CHECKOUT_ASL = resolve(PROJECT_ROOT, 'state-machines/checkout.asl.json');

export const checkout = defineService({ service: 'checkout', functions: {}, routes: [] });

/** The Lambda task states of the saga, each substituted as `${<State>Arn}` in the ASL. */
export const SAGA_STEPS = [
  'ValidateCart',
  'ReserveInventory',
  'AuthorizePayment',
  'CapturePayment',
  'CommitReservation',
  'ConfirmOrder',
  'ClearCart',
  'ReversePayment',
  'ReleaseInventory',
  'MarkFailed',
  'MarkForAttention',
] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

export interface CheckoutStackProps extends ServiceStackProps {
  bus: IEventBus;
  dlq: IQueue;
  steps: Record<SagaStep, IFunction>;
  alarmAction?: IAlarmAction;
}

export class CheckoutStack extends ServiceStack<never> {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: CheckoutStackProps) {
    super(scope, id, checkout, props);
    const { config } = props;
    const logs = new LogGroup(this, 'CheckoutLogs', {
      // The vendedlogs prefix keeps Step Functions' log resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${config.prefix}-checkout`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const machine = new sfn.StateMachine(this, 'Checkout', {
      stateMachineName: checkoutMachineName(config.prefix),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The ASL file inlined as DefinitionString (with substitutions), not DefinitionBody.fromFile:
      // fromFile uploads an S3 asset (DefinitionS3Location) that neither the local cloud nor a
      // reader of the template can see. Same file, same substitutions, definition in the template.
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(CHECKOUT_ASL, 'utf8')),
      definitionSubstitutions: {
        EventBusName: props.bus.eventBusName,
        CompensationDlqUrl: props.dlq.queueUrl,
        ...Object.fromEntries(SAGA_STEPS.map((step) => [`${step}Arn`, props.steps[step].functionArn])),
      },
      logs: {
        destination: logs,
        level: sfn.LogLevel.ALL,
        includeExecutionData: config.stepFunctions.includeExecutionData,
      },
      tracingEnabled: true,
    });
    // Exactly these: each step function, the bus, the DLQ.
    // The unqualified ARNs the ASL names, without grantInvoke's `:*` (versions and aliases).
    iam.Grant.addToPrincipal({
      grantee: machine,
      actions: ['lambda:InvokeFunction'],
      resourceArns: SAGA_STEPS.map((step) => props.steps[step].functionArn),
    });
    props.bus.grantPutEventsTo(machine);
    props.dlq.grantSendMessages(machine);
    acknowledge(machine, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource::* only for actions without resource-level permissions: CloudWatch Logs delivery management (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments, GetSamplingRules...).',
    });
    this.stateMachine = machine;

    if (config.alarms) {
      const failed = new Alarm(this, 'CheckoutFailedAlarm', {
        alarmName: `${config.prefix}-checkout-executions-failed`,
        alarmDescription:
          'Checkout executions failed or timed out: a compensation or a step after the pivot gave up (see the checkout DLQ and orders flagged for attention).',
        metric: new MathExpression({
          expression: 'failed + timedOut',
          usingMetrics: {
            failed: machine.metricFailed({ period: Duration.minutes(1), statistic: 'Sum' }),
            timedOut: machine.metricTimedOut({ period: Duration.minutes(1), statistic: 'Sum' }),
          },
          period: Duration.minutes(1),
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const dlq = new Alarm(this, 'CheckoutDlqAlarm', {
        alarmName: `${config.prefix}-checkout-dlq-not-empty`,
        alarmDescription: 'Orders whose compensation gave up: a person must settle them.',
        metric: props.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmAction) for (const alarm of [failed, dlq]) alarm.addAlarmAction(props.alarmAction);
      // From the steps' business metrics: orders flagged for attention, orders failed internally.
      sagaBusinessAlarms(this, config, props.alarmAction);
    }
  }
}
