/**
 * The local cloud's outbox (stage local only): instead of reaching SES or SNS, a message is one
 * item in the outbox table under its recipient, read back newest first by GET /dev/outbox.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '#shared/dynamodb.ts';
import { OUTBOX_PAGE, type OutboxEntry } from '../domain/outbox.ts';
import type { OutgoingMessage, Sender } from '../domain/ports.ts';
import { outboxKey, outboxPartition } from './table-layout.ts';

const require = createRequire(import.meta.url);
const { PutCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;

export function toOutboxItem(message: OutgoingMessage, sentAt: string): Record<string, unknown> {
  const entry: OutboxEntry = {
    to: message.to,
    channel: message.channel,
    kind: message.kind,
    ...(message.subject !== undefined ? { subject: message.subject } : {}),
    body: message.body,
    orderId: message.orderId,
    eventId: message.eventId,
    sentAt,
  };
  return { ...outboxKey(message.to, sentAt, message.channel, message.eventId), ...entry };
}

export function fromOutboxItem(item: Record<string, unknown>): OutboxEntry {
  return {
    to: String(item.to),
    channel: item.channel as OutboxEntry['channel'],
    kind: item.kind as OutboxEntry['kind'],
    ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
    body: String(item.body),
    orderId: String(item.orderId),
    eventId: String(item.eventId),
    sentAt: String(item.sentAt),
  };
}

export class DynamoDbOutbox implements Sender {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: toOutboxItem(message, this.now().toISOString()) }),
    );
  }

  /** The latest messages to `to`, newest first. */
  async sentTo(to: string): Promise<OutboxEntry[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': outboxPartition(to) },
        ScanIndexForward: false,
        Limit: OUTBOX_PAGE,
      }),
    );
    return (Items ?? []).map(fromOutboxItem);
  }
}
