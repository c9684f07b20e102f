/**
 * The carts table: one item per cart (docs/architecture.md, "Carts table"). Guest carts carry
 * `expiresAt` (epoch seconds), so DynamoDB deletes abandoned ones; reads also treat an expired
 * cart as gone, since TTL deletion can lag by days.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export function cartTables(scope: Construct, config: StageConfig): { cartsTable: dynamodb.Table } {
  const cartsTable = serviceTable(scope, 'CartsTable', config, {
    tableName: `${config.prefix}-carts`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'expiresAt',
    disposable: 'carts of test runs',
  });
  return { cartsTable };
}
