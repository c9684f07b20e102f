/**
 * The deployed checkout state machine runs on the stage it is deployed to: started by name, it
 * publishes its event on the bus and succeeds (the local cloud serialises the putEvents Detail as
 * Step Functions does).
 */
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { eventually } from './support/fixtures.ts';

const sfn = new SFNClient({
  endpoint: inject('stepFunctionsEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

describe('checkout state machine (placeholder)', () => {
  it('runs to SUCCEEDED with the input it was given', async () => {
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const checkout = machines.stateMachines?.find((m) => m.name === 'store-local-checkout');
    expect(checkout?.stateMachineArn).toBeDefined();
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: checkout?.stateMachineArn,
        name: `e2e-${Date.now()}`,
        input: JSON.stringify({ orderId: 'o-e2e' }),
      }),
    );
    let status: string | undefined;
    await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      status = described.status;
      return status !== 'RUNNING';
    }, 15_000);
    expect(status).toBe('SUCCEEDED');
  });

  it('refuses an execution name Step Functions refuses', async () => {
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const arn = machines.stateMachines?.find((m) => m.name === 'store-local-checkout')?.stateMachineArn;
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'has space', input: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidName' });
  });
});
