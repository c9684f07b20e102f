/**
 * The checkout saga as the Workflow port: a Standard execution named after the order, whose input
 * is the order id only (the saga reads the rest from the order), so every start of one order is
 * the same start: Step Functions runs one execution per name.
 */
import { createRequire } from 'node:module';
import type * as SfnModule from '@aws-sdk/client-sfn';
import { captureClient } from '#shared/tracer.ts';
import type { Workflow } from '../domain/ports.ts';

const require = createRequire(import.meta.url);
const sdk = require('@aws-sdk/client-sfn') as typeof SfnModule;

let client: SfnModule.SFNClient | undefined;

export class SfnWorkflow implements Workflow {
  constructor(private readonly stateMachineArn: string) {}

  async start(orderId: string): Promise<boolean> {
    client ??= captureClient(new sdk.SFNClient({}));
    try {
      await client.send(
        new sdk.StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: orderId,
          input: JSON.stringify({ orderId }),
        }),
      );
      return true;
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      // Running or finished already: the order has its one saga.
      if (name === 'ExecutionAlreadyExists') return false;
      // Throttled past the SDK's own retries: the order is written, and the sweeper starts its
      // saga within minutes; failing the checkout now would only make the buyer retry.
      if (name === 'ThrottlingException' || name === 'TooManyRequestsException') return false;
      throw error;
    }
  }
}
