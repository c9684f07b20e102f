/** The catalog's table: products and SKU claims (docs/architecture.md, "Products table"). */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

/** gsi1: products of a category, newest first; gsi2: all products, newest first. */
export const PRODUCTS_INDEX_NAMES = ['gsi1', 'gsi2'] as const;

export function catalogTables(scope: Construct, config: StageConfig): { productsTable: dynamodb.Table } {
  const productsTable = serviceTable(scope, 'ProductsTable', config, {
    tableName: `${config.prefix}-products`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    // The indexer needs both images: the new one to index, the old one's version to delete.
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    disposable: 're-seeded at will',
  });
  for (const indexName of PRODUCTS_INDEX_NAMES) {
    productsTable.addGlobalSecondaryIndex({
      indexName,
      partitionKey: { name: `${indexName}pk`, type: dynamodb.AttributeType.STRING },
      sortKey: { name: `${indexName}sk`, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return { productsTable };
}
