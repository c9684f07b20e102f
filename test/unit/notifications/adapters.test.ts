/**
 * The adapters' pure parts: the outbox's items, the SES and SNS requests, and which sender the
 * environment selects. Their behaviour against the local cloud's DynamoDB is end-to-end matter.
 */
import { describe, expect, it } from 'vitest';
import { ChannelSender } from '../../../lambdas/notifications/adapters/channel-sender.ts';
import {
  DynamoDbOutbox,
  fromOutboxItem,
  toOutboxItem,
} from '../../../lambdas/notifications/adapters/dynamodb-outbox.ts';
import { NotifyEnvSchema, senderFor } from '../../../lambdas/notifications/adapters/senders.ts';
import { sendEmailInput } from '../../../lambdas/notifications/adapters/ses-email-sender.ts';
import { publishInput } from '../../../lambdas/notifications/adapters/sns-sms-sender.ts';
import type { OutgoingMessage } from '../../../lambdas/notifications/domain/ports.ts';

const email: OutgoingMessage = {
  channel: 'email',
  to: 'ana@example.com',
  kind: 'orderShipped',
  subject: 'Your order o-1 has shipped',
  body: 'A shipment of your order o-1 is on its way.',
  orderId: 'o-1',
  eventId: 'evt-1',
};
const sms: OutgoingMessage = { ...email, channel: 'sms', to: '+15550100123', subject: undefined };

describe('notifications adapters', () => {
  it('stores an outbox message under its recipient, newest last in key order, and reads it back', () => {
    const item = toOutboxItem(email, '2030-01-01T00:00:00.000Z');
    expect(item).toMatchObject({
      pk: 'TO#ana@example.com',
      sk: '2030-01-01T00:00:00.000Z#email#evt-1',
      to: 'ana@example.com',
      kind: 'orderShipped',
      subject: email.subject,
    });
    expect(fromOutboxItem(item)).toEqual({ ...email, sentAt: '2030-01-01T00:00:00.000Z' });
    const text = toOutboxItem(sms, '2030-01-01T00:00:01.000Z');
    expect('subject' in text).toBe(false);
    expect(String(text.sk) > String(item.sk)).toBe(true);
  });

  it('sends email as plain UTF-8 text from the configured identity', () => {
    expect(sendEmailInput('no-reply@shop.example', email)).toEqual({
      FromEmailAddress: 'no-reply@shop.example',
      Destination: { ToAddresses: ['ana@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('publishes SMS to the phone number as transactional', () => {
    expect(publishInput(sms)).toEqual({
      PhoneNumber: '+15550100123',
      Message: sms.body,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('selects the outbox or the providers from NOTIFY_CHANNEL, requiring what each needs', () => {
    const outbox = NotifyEnvSchema.parse({
      NOTIFICATIONS_TABLE: 't',
      NOTIFY_CHANNEL: 'outbox',
      OUTBOX_TABLE: 'o',
    });
    expect(senderFor(outbox)).toBeInstanceOf(DynamoDbOutbox);
    const aws = NotifyEnvSchema.parse({
      NOTIFICATIONS_TABLE: 't',
      NOTIFY_CHANNEL: 'aws',
      SES_FROM: 'a@b.example',
    });
    expect(senderFor(aws)).toBeInstanceOf(ChannelSender);
    expect(NotifyEnvSchema.safeParse({ NOTIFICATIONS_TABLE: 't', NOTIFY_CHANNEL: 'aws' }).success).toBe(
      false,
    );
    expect(NotifyEnvSchema.safeParse({ NOTIFICATIONS_TABLE: 't', NOTIFY_CHANNEL: 'outbox' }).success).toBe(
      false,
    );
    expect(NotifyEnvSchema.safeParse({ NOTIFICATIONS_TABLE: 't', NOTIFY_CHANNEL: 'smtp' }).success).toBe(
      false,
    );
  });

  it('routes each message to the sender of its channel', async () => {
    const seen: string[] = [];
    const sender = new ChannelSender({
      email: { send: async (m) => void seen.push(`email:${m.to}`) },
      sms: { send: async (m) => void seen.push(`sms:${m.to}`) },
    });
    await sender.send(email);
    await sender.send(sms);
    expect(seen).toEqual(['email:ana@example.com', 'sms:+15550100123']);
  });
});
