/**
 * The inventory service's tables (docs/architecture.md, "Inventory tables"): stock, one item per
 * SKU, and reservations, one item per order. HELD reservations are listed by expiry in a sparse
 * index, which is how the reaper finds expired holds without a scan. TTL (`purgeAt`) removes only
 * finished reservations: a HELD one is released by the reaper, never deleted, since deleting it
 * would leave its units reserved for good.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { HELD_INDEX, HELD_INDEX_KEYS, PURGE_AT } from '../../../lambdas/inventory/adapters/table-layout.ts';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export interface InventoryTables {
  inventoryTable: dynamodb.Table;
  reservationsTable: dynamodb.Table;
}

export function inventoryTables(scope: Construct, config: StageConfig): InventoryTables {
  const keys = {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  };
  const inventoryTable = serviceTable(scope, 'InventoryTable', config, {
    tableName: `${config.prefix}-inventory`,
    ...keys,
    disposable: 'stock of test runs, re-received at will',
  });
  const reservationsTable = serviceTable(scope, 'ReservationsTable', config, {
    tableName: `${config.prefix}-reservations`,
    ...keys,
    timeToLiveAttribute: PURGE_AT,
    disposable: 'reservations of test checkouts',
  });
  reservationsTable.addGlobalSecondaryIndex({
    indexName: HELD_INDEX,
    partitionKey: { name: HELD_INDEX_KEYS.partition, type: dynamodb.AttributeType.STRING },
    sortKey: { name: HELD_INDEX_KEYS.sort, type: dynamodb.AttributeType.NUMBER },
    // The reaper needs the order id only.
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: ['orderId'],
  });
  return { inventoryTable, reservationsTable };
}
