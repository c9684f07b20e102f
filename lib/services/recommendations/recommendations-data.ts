/**
 * The recommendations table (layout in `lambdas/recommendations/adapters/table-layout.ts`):
 * order progress records, per-product counts and per-pair partners, with the `byScore` local
 * secondary index that lists a product's partners highest score first.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  BY_SCORE_INDEX,
  BY_SCORE_PROJECTION,
  RANK_ATTRIBUTE,
} from '../../../lambdas/recommendations/adapters/table-layout.ts';
import type { StageConfig } from '../../config/stage-config.ts';
import { serviceTable } from '../data.ts';

export const RECOMMENDATIONS_INDEX_NAMES = [BY_SCORE_INDEX] as const;

export interface RecommendationsTables {
  recommendationsTable: dynamodb.Table;
}

export function recommendationsTables(scope: Construct, config: StageConfig): RecommendationsTables {
  const recommendationsTable = serviceTable(scope, 'RecommendationsTable', config, {
    tableName: `${config.prefix}-recommendations`,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    disposable: 'counts derived from orders, rebuilt by replaying them',
  });
  // An LSI exists only from the table's creation: declared with it.
  recommendationsTable.addLocalSecondaryIndex({
    indexName: BY_SCORE_INDEX,
    sortKey: { name: RANK_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.INCLUDE,
    nonKeyAttributes: [...BY_SCORE_PROJECTION],
  });
  return { recommendationsTable };
}
