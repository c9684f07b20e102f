/** The catalog's table: products and SKU claims (docs/architecture.md, "Products table"). */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/stage-config.ts';
import { type Handoff, publish } from '../../stacks/handoff.ts';
import { serviceTable } from '../data.ts';

/** gsi1: products of a category, newest first; gsi2: all products, newest first, in shards. */
export const PRODUCTS_INDEX_NAMES = ['gsi1', 'gsi2'] as const;

export function catalogTables(
  scope: Construct,
  config: StageConfig,
): {
  productsTable: dynamodb.Table;
  /** The stream's ARN for the search stack's indexer mapping, through SSM (lib/stacks/handoff.ts). */
  productsStream: Handoff;
} {
  // Stages that alarm on table throttles get the view that names the hot key behind them.
  const insights = config.alarms
    ? {
        contributorInsightsSpecification: {
          enabled: true,
          mode: dynamodb.ContributorInsightsMode.ACCESSED_AND_THROTTLED_KEYS,
        },
      }
    : {};
  const productsTable = serviceTable(scope, 'ProductsTable', config, {
    tableName: `${config.prefix}-products`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    // The indexer needs both images: the new one to index, the old one's version to delete.
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    disposable: 're-seeded at will',
    ...insights,
  });
  for (const indexName of PRODUCTS_INDEX_NAMES) {
    productsTable.addGlobalSecondaryIndex({
      indexName,
      partitionKey: { name: `${indexName}pk`, type: dynamodb.AttributeType.STRING },
      sortKey: { name: `${indexName}sk`, type: dynamodb.AttributeType.STRING },
      // The listings return whole products; an INCLUDE of every API field would save only the
      // keys and versions, and a projection change means a new index.
      projectionType: dynamodb.ProjectionType.ALL,
      ...insights,
    });
  }
  const productsStream = publish(
    scope,
    config,
    'ProductsStreamArnParameter',
    'products/stream-arn',
    productsTable.tableStreamArn as string,
    `Stream of ${config.prefix}-products, read by the search stack's indexer mapping`,
  );
  return { productsTable, productsStream };
}
