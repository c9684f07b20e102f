/**
 * Composition root of the Notify consumer. NOTIFY_CHANNEL, set by the stack from the stage,
 * decides where messages go: `aws` (SES for email from SES_FROM, SNS for SMS) or `outbox` (the
 * local cloud's outbox table, OUTBOX_TABLE), so the local cloud never reaches a provider.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { documentClient } from '#shared/dynamodb.ts';
import type { Sender } from '../domain/ports.ts';
import type { NotifyDeps } from '../domain/use-cases.ts';
import { ChannelSender } from './channel-sender.ts';
import { DynamoDbNotificationsStore } from './dynamodb-notifications-store.ts';
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

const env = loadEnv(NotifyEnvSchema);
const store = new DynamoDbNotificationsStore(documentClient(), env.NOTIFICATIONS_TABLE);

export const deps: NotifyDeps = {
  preferences: store,
  owners: store,
  ledger: store,
  sender: senderFor(env),
  now: () => new Date(),
  newToken: randomUUID,
};
