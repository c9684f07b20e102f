/**
 * The sandbox ledger on DynamoDB (docs/architecture.md, "Payments"): one item per charge, one per
 * transiently failed key. Inserts are conditional on the charge id being new and return the
 * existing charge on conflict (no second read); replacements are conditional on the version read.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import type * as UtilModule from '@aws-sdk/util-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '#shared/dynamodb.ts';
import type { LedgerCharge } from './sandbox-ledger.ts';
import type { LedgerStore } from './sandbox-provider.ts';

/** The ledger's index of charges by order (partition `orderId`, sort `createdAt`). */
export const BY_ORDER_INDEX = 'byOrder';

// Loaded as the cart adapter loads them (require: no ESM interop pass over the SDK).
const require = createRequire(import.meta.url);
const { PutCommand } = require('@aws-sdk/lib-dynamodb') as typeof LibModule;
const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof UtilModule;

const chargeKey = (chargeId: string) => ({ pk: `CHARGE#${chargeId}`, sk: 'CHARGE' });

/** The old item comes back marshalled with the error (ReturnValuesOnConditionCheckFailure). */
function isConditionFailure(error: unknown): error is { Item?: Parameters<typeof unmarshall>[0] } {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

function toCharge(item: Record<string, unknown>): LedgerCharge {
  const { pk: _pk, sk: _sk, ...charge } = item;
  return charge as unknown as LedgerCharge;
}

export class DynamoDbLedgerStore implements LedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async insert(charge: LedgerCharge): Promise<LedgerCharge | undefined> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...chargeKey(charge.chargeId), ...charge },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error) || !error.Item) throw error;
      return toCharge(unmarshall(error.Item));
    }
  }

  async get(chargeId: string): Promise<LedgerCharge | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: chargeKey(chargeId), ConsistentRead: true }),
    );
    return Item ? toCharge(Item) : undefined;
  }

  async replace(next: LedgerCharge, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...chargeKey(next.chargeId), ...next },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimFailure(idempotencyKey: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `FAILURE#${idempotencyKey}`, sk: 'FAILURE', failedAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listByOrder(orderId: string): Promise<LedgerCharge[]> {
    const charges: LedgerCharge[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_ORDER_INDEX,
          KeyConditionExpression: 'orderId = :orderId',
          ExpressionAttributeValues: { ':orderId': orderId },
          ExclusiveStartKey: start,
        }),
      );
      charges.push(...(page.Items ?? []).map(toCharge));
      start = page.LastEvaluatedKey;
    } while (start);
    return charges;
  }
}
