/**
 * Where Notify's messages go, from NOTIFY_CHANNEL (set by the stack from the stage): `aws` (SES
 * for email from SES_FROM, SNS for SMS) or `outbox` (the local cloud's outbox table,
 * OUTBOX_TABLE), so the local cloud never reaches a provider.
 */
import * as z from 'zod';
import { required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { Sender } from '../domain/ports.ts';
import { ChannelSender } from './channel-sender.ts';
import { DynamoDbOutbox } from './dynamodb-outbox.ts';
import { SesEmailSender } from './ses-email-sender.ts';
import { SnsSmsSender } from './sns-sms-sender.ts';

export const NotifyEnvSchema = z.intersection(
  z.object({ NOTIFICATIONS_TABLE: required() }),
  z.discriminatedUnion('NOTIFY_CHANNEL', [
    z.object({ NOTIFY_CHANNEL: z.literal('aws'), SES_FROM: z.email() }),
    z.object({ NOTIFY_CHANNEL: z.literal('outbox'), OUTBOX_TABLE: required() }),
  ]),
);

export function senderFor(env: z.output<typeof NotifyEnvSchema>): Sender {
  return env.NOTIFY_CHANNEL === 'aws'
    ? new ChannelSender({ email: new SesEmailSender(env.SES_FROM), sms: new SnsSmsSender() })
    : new DynamoDbOutbox(documentClient(), env.OUTBOX_TABLE);
}
