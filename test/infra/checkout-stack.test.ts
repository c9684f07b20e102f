import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT_ASL,
  CheckoutStack,
  SAGA_STEPS,
  type SagaStep,
} from '../../lib/services/checkout/checkout-stack.ts';
import { type AloneStack, synthAlone } from './support/alone.ts';

const stepArn = (step: string) => `arn:aws:lambda:us-east-1:123456789012:function:stub-${step}`;

describe.each(['staging', 'prod'] as const)('checkout stack alone, stage %s', (stage) => {
  let s: AloneStack<CheckoutStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      const steps = Object.fromEntries(
        SAGA_STEPS.map((step) => [
          step,
          lambda.Function.fromFunctionArn(stateful, `Stub${step}`, stepArn(step)),
        ]),
      ) as Record<SagaStep, lambda.IFunction>;
      return new CheckoutStack(app, 'Checkout', {
        config,
        platform,
        bus: stateful.bus,
        dlq: stateful.checkoutDlq,
        steps,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  const statements = () =>
    Object.entries(s.json.Resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('CheckoutRole'))
      .flatMap(
        ([, p]) =>
          (
            p.Properties?.PolicyDocument as
              | { Statement: { Action: unknown; Resource: unknown }[] }
              | undefined
          )?.Statement ?? [],
      );

  it('is a standard, logged, traced state machine with the ASL file and every substitution', () => {
    s.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `store-${stage}-checkout`,
      StateMachineType: 'STANDARD',
      DefinitionString: readFileSync(CHECKOUT_ASL, 'utf8'),
      DefinitionSubstitutions: {
        EventBusName: { 'Fn::ImportValue': Match.stringLikeRegexp('Bus') },
        CompensationDlqUrl: { 'Fn::ImportValue': Match.stringLikeRegexp('CheckoutDlq') },
        ...Object.fromEntries(SAGA_STEPS.map((step) => [`${step}Arn`, stepArn(step)])),
      },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: stage !== 'prod' }),
      TracingConfiguration: { Enabled: true },
    });
    // Every placeholder of the file has its substitution, and nothing else is substituted.
    const placeholders = [...readFileSync(CHECKOUT_ASL, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    expect(new Set(placeholders)).toEqual(
      new Set(['EventBusName', 'CompensationDlqUrl', ...SAGA_STEPS.map((x) => `${x}Arn`)]),
    );
  });

  it('may invoke exactly the saga functions, put events on the one bus and send to the one DLQ', () => {
    const byService = (prefix: string) =>
      statements().filter((st) => JSON.stringify(st.Action).includes(`"${prefix}:`));
    expect(byService('lambda')).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: SAGA_STEPS.map(stepArn) },
    ]);
    expect(byService('events')).toEqual([
      {
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/Bus.*Arn/) },
      },
    ]);
    const send = byService('sqs');
    expect(send).toHaveLength(1);
    expect(send[0]?.Action).toEqual(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
    expect(JSON.stringify(send[0]?.Resource)).toMatch(/CheckoutDlq.*Arn/);
  });

  it('alarms on failed or timed-out executions and on a non-empty DLQ, to the stage topic', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-checkout-executions-failed`,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'failed + timedOut' }),
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }) }),
        }),
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }),
        }),
      ]),
      Threshold: 0,
      AlarmActions: [Match.anyValue()],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-checkout-dlq-not-empty`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      AlarmActions: [Match.anyValue()],
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});

describe('checkout ASL', () => {
  const text = readFileSync(CHECKOUT_ASL, 'utf8');
  const definition = JSON.parse(text) as {
    QueryLanguage?: string;
    TimeoutSeconds?: number;
    States: Record<string, { Type: string; Resource?: string; TimeoutSeconds?: number }>;
  };

  it('is JSONPath only, with an execution timeout and a timeout on every task', () => {
    expect(definition.QueryLanguage).toBe('JSONPath');
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|\{%/);
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    const tasks = Object.entries(definition.States).filter(([, st]) => st.Type === 'Task');
    expect(tasks.length).toBe(SAGA_STEPS.length + 2);
    for (const [name, st] of tasks) expect(st.TimeoutSeconds, name).toBeGreaterThan(0);
  });

  it('names each Lambda task state after its function, so a step name means one thing everywhere', () => {
    for (const step of SAGA_STEPS) expect(definition.States[step]?.Resource).toBe(`\${${step}Arn}`);
  });
});
