/**
 * The reviews service's table (layout: lambdas/reviews/adapters/table-layout.ts): reviews keyed by
 * id, author claims, per-product summaries and purchases in one table, so a review, its claim and
 * its summary delta are one TransactWriteItems. Two sparse indexes list a product's visible
 * reviews (newest, by rating); a third, sparse and sharded, holds summaries not yet published.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  BY_NEWEST_INDEX,
  BY_NEWEST_KEYS,
  BY_RATING_INDEX,
  BY_RATING_KEYS,
  UNPUBLISHED_INDEX,
  UNPUBLISHED_KEYS,
} from '../../../lambdas/reviews/adapters/table-layout.ts';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export const REVIEWS_INDEX_NAMES = [BY_NEWEST_INDEX, BY_RATING_INDEX, UNPUBLISHED_INDEX] as const;

export interface ReviewsTables {
  reviewsTable: dynamodb.Table;
}

export function reviewsTables(scope: Construct, config: StageConfig): ReviewsTables {
  const reviewsTable = serviceTable(scope, 'ReviewsTable', config, {
    tableName: `${config.prefix}-reviews`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    disposable: 'reviews of test products',
  });
  const string = dynamodb.AttributeType.STRING;
  for (const [indexName, keys] of [
    [BY_NEWEST_INDEX, BY_NEWEST_KEYS],
    [BY_RATING_INDEX, BY_RATING_KEYS],
  ] as const) {
    reviewsTable.addGlobalSecondaryIndex({
      indexName,
      partitionKey: { name: keys.partition, type: string },
      sortKey: { name: keys.sort, type: string },
      // The listing shows whole reviews: the listing is the index.
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  reviewsTable.addGlobalSecondaryIndex({
    indexName: UNPUBLISHED_INDEX,
    partitionKey: { name: UNPUBLISHED_KEYS.partition, type: string },
    sortKey: { name: UNPUBLISHED_KEYS.sort, type: string },
    // The sweeper needs the product id only, which is the index's sort key.
    projectionType: dynamodb.ProjectionType.KEYS_ONLY,
  });
  return { reviewsTable };
}
