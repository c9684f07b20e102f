import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT_ASL, CheckoutStack } from '../../lib/services/checkout/checkout-stack.ts';
import { type AloneStack, synthAlone } from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('checkout stack alone, stage %s', (stage) => {
  let s: AloneStack<CheckoutStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      return new CheckoutStack(app, 'Checkout', { config, platform, bus: stateful.bus });
    });
  });

  it('has the checkout state machine: standard, logged, traced, publishing to the bus only', () => {
    s.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `store-${stage}-checkout`,
      StateMachineType: 'STANDARD',
      DefinitionString: readFileSync(CHECKOUT_ASL, 'utf8'),
      DefinitionSubstitutions: { EventBusName: { 'Fn::ImportValue': Match.stringLikeRegexp('Bus') } },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: stage !== 'prod' }),
      TracingConfiguration: { Enabled: true },
    });
    const putEvents = Object.entries(s.json.Resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('CheckoutRole'))
      .flatMap(
        ([, p]) =>
          (
            p.Properties?.PolicyDocument as
              | { Statement: { Action: unknown; Resource: unknown }[] }
              | undefined
          )?.Statement ?? [],
      )
      .filter((st) => JSON.stringify(st.Action).includes('events:'));
    expect(putEvents).toEqual([
      {
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/Bus.*Arn/) },
      },
    ]);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});

const EVENT_BUS_PLACEHOLDER = ['$', '{EventBusName}'].join('');

describe('checkout ASL', () => {
  it('is JSONPath and runs as written, once its substitutions are made', async () => {
    const text = readFileSync(CHECKOUT_ASL, 'utf8').replaceAll(EVENT_BUS_PLACEHOLDER, 'store-test-bus');
    const definition = JSON.parse(text) as {
      QueryLanguage?: string;
      States: Record<string, { Resource?: string }>;
    };
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    const published: unknown[] = [];
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(
      { orderId: 'o-1' },
      {
        // The context object Step Functions (and the local cloud) gives every execution.
        context: { Execution: { Name: 'o-1', StartTime: '2026-01-01T00:00:00.000Z' } } as never,
        overrides: {
          taskResourceLocalHandlers: {
            PublishPlaceholder: async (input: unknown) => {
              published.push(input);
              return { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 };
            },
          },
        },
      },
    );
    await execution.result;
    expect(published).toEqual([
      {
        Entries: [
          {
            EventBusName: 'store-test-bus',
            Source: 'store.checkout',
            DetailType: 'CheckoutPlaceholder',
            Detail: { input: { orderId: 'o-1' }, execution: 'o-1', startedAt: expect.any(String) },
          },
        ],
      },
    ]);
    // No state switches to JSONata, and no JSONata expression anywhere.
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|\{%/);
  });
});
