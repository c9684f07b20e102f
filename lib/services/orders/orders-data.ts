/**
 * The orders service's tables (docs/architecture.md, "Orders table"): orders, one item per order,
 * with a user's orders by date and a sparse, sharded index of PENDING orders for the sweeper; and
 * the checkout route's Powertools idempotency records (key `id`, TTL `expiration`).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  BY_USER_INDEX,
  BY_USER_KEYS,
  PENDING_INDEX,
  PENDING_KEYS,
} from '../../../lambdas/orders/adapters/table-layout.ts';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export const ORDERS_INDEX_NAMES = [BY_USER_INDEX, PENDING_INDEX] as const;

export interface OrdersTables {
  ordersTable: dynamodb.Table;
  checkoutIdempotencyTable: dynamodb.Table;
}

export function ordersTables(scope: Construct, config: StageConfig): OrdersTables {
  const ordersTable = serviceTable(scope, 'OrdersTable', config, {
    tableName: `${config.prefix}-orders`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    disposable: 'orders of test checkouts',
  });
  ordersTable.addGlobalSecondaryIndex({
    indexName: BY_USER_INDEX,
    partitionKey: { name: BY_USER_KEYS.partition, type: dynamodb.AttributeType.STRING },
    sortKey: { name: BY_USER_KEYS.sort, type: dynamodb.AttributeType.STRING },
    // GET /orders shows whole orders (status, totals, timeline): the listing is the index.
    projectionType: dynamodb.ProjectionType.ALL,
  });
  ordersTable.addGlobalSecondaryIndex({
    indexName: PENDING_INDEX,
    partitionKey: { name: PENDING_KEYS.partition, type: dynamodb.AttributeType.STRING },
    sortKey: { name: PENDING_KEYS.sort, type: dynamodb.AttributeType.STRING },
    // The sweeper needs the order id only.
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ['orderId'],
  });
  const checkoutIdempotencyTable = serviceTable(scope, 'CheckoutIdempotencyTable', config, {
    tableName: `${config.prefix}-checkout-idempotency`,
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'expiration',
    disposable: 'idempotency records that expire within a day anyway',
  });
  return { ordersTable, checkoutIdempotencyTable };
}
