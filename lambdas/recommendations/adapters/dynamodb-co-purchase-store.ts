/**
 * The counts' writer: each batch is one TransactWriteItems of the order record (a Put conditional
 * on the progress the batch was planned from) and its updates (atomic ADDs of n and co; the pair's
 * score and rank SET from the values the batch was planned with).
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '#shared/dynamodb.ts';
import { DEFAULT_RETRY, type RetryPolicy, untilUncontended } from '#shared/retry.ts';
import { pairId } from '../domain/counting.ts';
import type { BatchWrite, CoPurchaseStore, OrderRecord } from '../domain/ports.ts';
import { countKey, orderKey, pairKey, RANK_ATTRIBUTE, rankOf } from './table-layout.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const BATCH_GET_MAX = 100;
const MAX_ATTEMPTS = 5;

export class DynamoDbCoPurchaseStore implements CoPurchaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: orderKey(orderId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = Item;
    return record as OrderRecord;
  }

  async counts(productIds: readonly string[]): Promise<Map<string, number>> {
    const items = await this.batchGet(productIds.map(countKey), ['pk', 'n']);
    return new Map(items.map((i) => [String(i.pk).slice('PRODUCT#'.length), Number(i.n ?? 0)]));
  }

  async pairCounts(pairs: readonly { a: string; b: string }[]): Promise<Map<string, number>> {
    const items = await this.batchGet(
      pairs.map((p) => pairKey(p.a, p.b)),
      ['pk', 'partner', 'co'],
    );
    return new Map(
      items.map((i) => [pairId(String(i.pk).slice('CO#'.length), String(i.partner)), Number(i.co ?? 0)]),
    );
  }

  async applyBatch(write: BatchWrite): Promise<boolean> {
    const record: TransactItem = {
      Put: {
        TableName: this.table,
        Item: { ...orderKey(write.orderId), ...write.to },
        ...(write.from === 'absent'
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#status = :status AND batchesDone = :done',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': write.from.status, ':done': write.from.batchesDone },
            }),
      },
    };
    const counts = write.counts.map(
      (c): TransactItem => ({
        Update: {
          TableName: this.table,
          Key: countKey(c.productId),
          UpdateExpression: 'ADD #n :d',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':d': c.delta },
        },
      }),
    );
    const pairs = write.pairs.map(
      (p): TransactItem => ({
        Update: {
          TableName: this.table,
          Key: pairKey(p.a, p.b),
          UpdateExpression: 'ADD #co :d SET #score = :score, #rank = :rank, #partner = :b',
          ExpressionAttributeNames: {
            '#co': 'co',
            '#score': 'score',
            '#rank': RANK_ATTRIBUTE,
            '#partner': 'partner',
          },
          ExpressionAttributeValues: {
            ':d': p.delta,
            ':score': p.score,
            ':rank': rankOf(p.score, p.b),
            ':b': p.b,
          },
        },
      }),
    );
    const result = await untilUncontended(
      this.retry,
      async () => {
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: [record, ...counts, ...pairs] }));
          return { kind: 'applied' as const };
        } catch (error) {
          return classify(error);
        }
      },
      () => new Error(`Order ${write.orderId}: its batch kept meeting other transactions; retrying later.`),
    );
    return result.kind === 'applied';
  }

  private async batchGet(keys: Item[], attributes: readonly string[]): Promise<Item[]> {
    // Every attribute by placeholder: none of them can collide with a reserved word.
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      let pending: Item[] | undefined = keys.slice(i, i + BATCH_GET_MAX);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
        // Unprocessed keys mean throttling: back off before asking again.
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
        const out: BatchGetCommandOutput = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
                ConsistentRead: true,
              },
            },
          }),
        );
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }
}

/**
 * A cancelled transaction: the record's condition (item 0) failed, or engines that omit the
 * reasons, mean another delivery moved the order on ('moved': the caller re-reads); another
 * transaction on the same items is contention, retried after a jittered wait.
 */
function classify(error: unknown): { kind: 'moved' } | { kind: 'contended' } {
  const name = (error as { name?: string }).name;
  if (name === 'TransactionConflictException') return { kind: 'contended' };
  if (name !== 'TransactionCanceledException') throw error;
  const reasons =
    (error as { CancellationReasons?: ({ Code?: string } | undefined)[] }).CancellationReasons ?? [];
  if (reasons.length === 0 || reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'moved' };
  if (reasons.some((r) => r?.Code === 'TransactionConflict' || r?.Code === 'ThrottlingError'))
    return { kind: 'contended' };
  throw error;
}
