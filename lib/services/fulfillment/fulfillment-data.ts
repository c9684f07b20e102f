/**
 * The fulfillment service's tables (layout: lambdas/fulfillment/adapters/table-layout.ts):
 * warehouses with their per-SKU allocations, and shipments with the per-order routing records.
 * Two tables rather than one so each function's grant names only the data it touches (the
 * carrier callback and GET never see allocations). Every access is by key; no index.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export interface FulfillmentTables {
  warehousesTable: dynamodb.Table;
  shipmentsTable: dynamodb.Table;
}

export function fulfillmentTables(scope: Construct, config: StageConfig): FulfillmentTables {
  const keys = {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  };
  const warehousesTable = serviceTable(scope, 'WarehousesTable', config, {
    tableName: `${config.prefix}-warehouses`,
    ...keys,
    disposable: 'demo warehouses and allocations, re-seeded at will',
  });
  const shipmentsTable = serviceTable(scope, 'ShipmentsTable', config, {
    tableName: `${config.prefix}-shipments`,
    ...keys,
    disposable: 'shipments of test orders',
  });
  return { warehousesTable, shipmentsTable };
}
