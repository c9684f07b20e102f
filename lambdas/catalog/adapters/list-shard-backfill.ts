/**
 * The one-off move of products written before the all-products listing was sharded (an operator
 * command, scripts/backfill-list-shards.ts): kept out of the repository module, so no function
 * bundle carries the Scan it needs.
 */
import { createRequire } from 'node:module';
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '#shared/dynamodb.ts';
import { listPartitionOf } from './dynamodb-product-repository.ts';

const { ScanCommand, UpdateCommand } = createRequire(import.meta.url)(
  '@aws-sdk/lib-dynamodb',
) as typeof LibModule;

export interface ListShardBackfill {
  /** Product items read. */
  products: number;
  /** Items whose gsi2pk was rewritten to their shard. */
  rewritten: number;
  /** Items changed or deleted by another write between the read and the rewrite (left to it). */
  raced: number;
}

/**
 * Moves every product whose gsi2pk is not its shard (items written before the listing was
 * sharded: `PRODUCTS`) to its shard. Idempotent: a second run finds nothing to move. Only gsi2pk
 * changes, conditional on the value read, so a concurrent write wins; `version` stays, so no admin
 * edit in flight is refused and the indexer sees the stream's MODIFY as a version it already holds.
 */
export async function backfillListShards(
  db: DynamoDBDocumentClient,
  tableName: string,
  options: { concurrency?: number; onPage?: (progress: ListShardBackfill) => void } = {},
): Promise<ListShardBackfill> {
  const progress: ListShardBackfill = { products: 0, rewritten: 0, raced: 0 };
  const concurrency = options.concurrency ?? 16;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :product',
        ProjectionExpression: 'pk, productId, gsi2pk',
        ExpressionAttributeValues: { ':product': 'PRODUCT' },
        ExclusiveStartKey: start,
      }),
    );
    const items = page.Items ?? [];
    progress.products += items.length;
    const moves = items.filter((item) => item.gsi2pk !== listPartitionOf(String(item.productId)));
    for (let i = 0; i < moves.length; i += concurrency) {
      await Promise.all(
        moves.slice(i, i + concurrency).map(async (item) => {
          try {
            await db.send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk: item.pk, sk: 'PRODUCT' },
                UpdateExpression: 'SET gsi2pk = :shard',
                ConditionExpression:
                  item.gsi2pk === undefined
                    ? 'attribute_exists(pk) AND attribute_not_exists(gsi2pk)'
                    : 'attribute_exists(pk) AND gsi2pk = :seen',
                ExpressionAttributeValues: {
                  ':shard': listPartitionOf(String(item.productId)),
                  ...(item.gsi2pk === undefined ? {} : { ':seen': item.gsi2pk }),
                },
              }),
            );
            progress.rewritten++;
          } catch (error) {
            if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
            progress.raced++;
          }
        }),
      );
    }
    options.onPage?.({ ...progress });
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return progress;
}
