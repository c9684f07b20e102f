/**
 * Email through Amazon SES (API v2 SendEmail), plain text, from the stage's sender identity
 * (SES_FROM). The client is made on the first send, so a function that never sends email (the
 * local cloud's outbox mode) never loads the SDK.
 *
 * `@aws-sdk/client-sesv2` is not among the project's dependencies yet; the Lambda runtime ships
 * it, and `externalModules: ['@aws-sdk/*']` leaves it to the runtime. Until package.json lists
 * it, the few shapes used are declared here; with the package installed these become
 * `import type * as SesModule from '@aws-sdk/client-sesv2'`.
 */
import { createRequire } from 'node:module';
import { captureClient } from '#shared/tracer.ts';
import type { OutgoingMessage, Sender } from '../domain/ports.ts';

interface SendEmailInput {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple: {
      Subject: { Data: string; Charset: 'UTF-8' };
      Body: { Text: { Data: string; Charset: 'UTF-8' } };
    };
  };
}
interface SesModule {
  SESv2Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown> };
  SendEmailCommand: new (input: SendEmailInput) => unknown;
}

const require = createRequire(import.meta.url);
let sdk: SesModule | undefined;
let client: InstanceType<SesModule['SESv2Client']> | undefined;

export function sendEmailInput(from: string, message: OutgoingMessage): SendEmailInput {
  return {
    FromEmailAddress: from,
    Destination: { ToAddresses: [message.to] },
    Content: {
      Simple: {
        Subject: { Data: message.subject ?? '', Charset: 'UTF-8' },
        Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
      },
    },
  };
}

export class SesEmailSender implements Sender {
  constructor(private readonly from: string) {}

  async send(message: OutgoingMessage): Promise<void> {
    if (message.channel !== 'email') throw new Error(`SES sends email, not ${message.channel}`);
    sdk ??= require('@aws-sdk/client-sesv2') as SesModule;
    client ??= captureClient(new sdk.SESv2Client({}));
    await client.send(new sdk.SendEmailCommand(sendEmailInput(this.from, message)));
  }
}
