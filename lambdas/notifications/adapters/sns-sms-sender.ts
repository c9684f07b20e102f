/**
 * SMS through Amazon SNS: Publish straight to a phone number (E.164), as a transactional
 * message (SNS favours delivery over cost for those). The client is made on the first send.
 *
 * `@aws-sdk/client-sns` is not among the project's dependencies yet; the Lambda runtime ships
 * it. Until package.json lists it, the few shapes used are declared here; with the package
 * installed these become `import type * as SnsModule from '@aws-sdk/client-sns'`.
 */
import { createRequire } from 'node:module';
import { captureClient } from '#shared/tracer.ts';
import type { OutgoingMessage, Sender } from '../domain/ports.ts';

interface PublishInput {
  PhoneNumber: string;
  Message: string;
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}
interface SnsModule {
  SNSClient: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown> };
  PublishCommand: new (input: PublishInput) => unknown;
}

const require = createRequire(import.meta.url);
let sdk: SnsModule | undefined;
let client: InstanceType<SnsModule['SNSClient']> | undefined;

export function publishInput(message: OutgoingMessage): PublishInput {
  return {
    PhoneNumber: message.to,
    Message: message.body,
    MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
  };
}

export class SnsSmsSender implements Sender {
  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'sms') throw new Error(`SNS sends SMS here, not ${message.channel}`);
    sdk ??= require('@aws-sdk/client-sns') as SnsModule;
    client ??= captureClient(new sdk.SNSClient({}));
    await client.send(new sdk.PublishCommand(publishInput(message)));
  }
}
