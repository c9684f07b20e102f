/**
 * Moves products written before the all-products listing was sharded (gsi2pk `PRODUCTS`) to
 * their shard (`PRODUCTS#<n>`; docs/architecture.md, "Products table"). Idempotent: run it again
 * and it finds nothing to move. Safe beside live traffic: each move is one conditional UpdateItem
 * of gsi2pk alone (a concurrent write wins), and `version` is left as it is.
 *
 *   node --import tsx scripts/backfill-list-shards.ts --stage staging|prod [--region us-east-1]
 *   node --import tsx scripts/backfill-list-shards.ts --stage local [--moto URL]
 *
 * Deployed stages use the caller's AWS credentials (dynamodb:Scan and dynamodb:UpdateItem on
 * `store-<stage>-products`); stage local talks to the running local cloud's moto.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillListShards } from '../lambdas/catalog/adapters/list-shard-backfill.ts';
import { LOCAL_CREDENTIALS, REGION } from '../local/template.ts';
import { parseStageArgs } from './stage-options.ts';

const values = parseStageArgs({ concurrency: { type: 'string', default: '16' } });
const { stage, prefix } = values;
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
  throw new Error('--concurrency must be a whole number from 1 to 100');
}
const tableName = `${prefix}-products`;
const client =
  stage === 'local'
    ? new DynamoDBClient({ endpoint: values.moto, region: REGION, credentials: LOCAL_CREDENTIALS })
    : new DynamoDBClient(values.region ? { region: values.region } : {});
const db = DynamoDBDocumentClient.from(client);

console.log(`Moving legacy products of ${tableName} to their listing shards ...`);
const result = await backfillListShards(db, tableName, {
  concurrency,
  onPage: (p) =>
    console.log(`  ${p.products} products read, ${p.rewritten} moved, ${p.raced} left to a concurrent write`),
});
console.log(
  `Done: ${result.products} products, ${result.rewritten} moved, ${result.raced} changed meanwhile by another write (already in place or deleted).`,
);
client.destroy();
