/**
 * Checkout: the saga as a Standard state machine, its ASL loaded from `state-machines/` with
 * substitutions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PROJECT_ROOT } from '../../constructs/service-function.ts';
import { acknowledge } from '../../nag.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

export const CHECKOUT_ASL = resolve(PROJECT_ROOT, 'state-machines/checkout.asl.json');

export const checkout = defineService({ service: 'checkout', functions: {}, routes: [] });

export interface CheckoutStackProps extends ServiceStackProps {
  bus: IEventBus;
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
      stateMachineName: `${config.prefix}-checkout`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      // The ASL file inlined as DefinitionString (with substitutions), not DefinitionBody.fromFile:
      // fromFile uploads an S3 asset (DefinitionS3Location) that neither the local cloud nor a
      // reader of the template can see. Same file, same substitutions, definition in the template.
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(CHECKOUT_ASL, 'utf8')),
      definitionSubstitutions: { EventBusName: props.bus.eventBusName },
      logs: {
        destination: logs,
        level: sfn.LogLevel.ALL,
        includeExecutionData: config.stepFunctions.includeExecutionData,
      },
      tracingEnabled: true,
    });
    // events:PutEvents on this one bus, nothing else.
    props.bus.grantPutEventsTo(machine);
    acknowledge(machine, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource::* only for actions without resource-level permissions: CloudWatch Logs delivery management (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments, GetSamplingRules...).',
    });
    this.stateMachine = machine;
  }
}
