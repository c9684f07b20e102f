/**
 * The notifications table adapter: preferences, order owners and the send ledger (table
 * layout in table-layout.ts). Each operation is one item request; the ledger's are conditional,
 * and a refused claim brings back the record it found (ReturnValuesOnConditionCheckFailure), so
 * telling "sent" from "held" costs no extra read.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import type * as UtilModule from '@aws-sdk/util-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '#shared/dynamodb.ts';
import {
  type ClaimResult,
  type LedgerEntry,
  type LedgerStatus,
  refusal,
  type SendKey,
} from '../domain/ledger.ts';
import type { OwnerDirectory, PreferencesStore, SendLedger } from '../domain/ports.ts';
import type { Preferences } from '../domain/preferences.ts';
import { ownerKey, PURGE_AT, preferencesKey, RETENTION_SECONDS, sendKey } from './table-layout.ts';

// Loaded the way #shared/dynamodb.ts loads the SDK (require: no ESM interop pass), so nothing loads twice.
const require = createRequire(import.meta.url);
const { PutCommand, UpdateCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;
const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof UtilModule;

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;
const purgeAt = (now: Date) => Math.floor(now.getTime() / 1000) + RETENTION_SECONDS;

/** A ledger record as the table holds it. */
export function fromLedgerItem(item: Record<string, unknown>): LedgerEntry {
  return {
    status: String(item.status) as LedgerStatus,
    until: Number(item.until ?? 0),
    token: String(item.token ?? ''),
  };
}

/** The record a refused conditional write found (AttributeValues: errors are not unmarshalled). */
export function claimRefusal(error: unknown): ClaimResult | undefined {
  if (errorName(error) !== 'ConditionalCheckFailedException') return undefined;
  const item = (error as { Item?: Record<string, unknown> }).Item;
  // No record came back: it was deleted between the check and the answer; try again.
  if (!item) return undefined;
  return refusal(fromLedgerItem(unmarshall(item as Parameters<typeof unmarshall>[0])));
}

export class DynamoDbNotificationsStore implements PreferencesStore, OwnerDirectory, SendLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getPreferences(userId: string): Promise<unknown | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: preferencesKey(userId) }),
    );
    return Item?.preferences;
  }

  async putPreferences(userId: string, preferences: Preferences, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...preferencesKey(userId), userId, preferences, updatedAt: now.toISOString() },
      }),
    );
  }

  async recordOwner(orderId: string, userId: string, now: Date): Promise<void> {
    // The same item every time for an order: a repeat rewrites what is there.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...ownerKey(orderId),
          orderId,
          userId,
          recordedAt: now.toISOString(),
          [PURGE_AT]: purgeAt(now),
        },
      }),
    );
  }

  async ownerOf(orderId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: ownerKey(orderId) }));
    return typeof Item?.userId === 'string' ? Item.userId : undefined;
  }

  async claim(key: SendKey, token: string, now: Date, leaseUntil: Date): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...sendKey(key),
            status: 'PENDING',
            until: leaseUntil.getTime(),
            token,
            claimedAt: now.toISOString(),
            [PURGE_AT]: purgeAt(now),
          },
          // The ledger's rule (domain/ledger.ts mayClaim): no record, or a PENDING one whose lease ran out.
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :pending AND #until <= :now)',
          ExpressionAttributeNames: { '#status': 'status', '#until': 'until' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':now': now.getTime() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      const refused = claimRefusal(error);
      if (refused) return refused;
      throw error;
    }
  }

  async markSent(key: SendKey, token: string, now: Date): Promise<void> {
    // Unconditional on the token: whoever sent, the fact is now sent; a takeover that sends too
    // marks the same.
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: sendKey(key),
        UpdateExpression: 'SET #status = :sent, #sentAt = :now, #sentBy = :token REMOVE #until',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#sentAt': 'sentAt',
          '#sentBy': 'sentBy',
          '#until': 'until',
        },
        ExpressionAttributeValues: { ':sent': 'SENT', ':now': now.toISOString(), ':token': token },
      }),
    );
  }

  async release(key: SendKey, token: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendKey(key),
          UpdateExpression: 'SET #until = :zero',
          // Only our own lease, and never a SENT record.
          ConditionExpression: '#token = :token AND #status = :pending',
          ExpressionAttributeNames: { '#until': 'until', '#token': 'token', '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':token': token, ':pending': 'PENDING' },
        }),
      );
    } catch (error) {
      // Taken over or sent meanwhile: nothing of ours to release.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
