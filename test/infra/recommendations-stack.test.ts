import { Match, Template } from 'aws-cdk-lib/assertions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendationsTables } from '../../lib/services/recommendations/recommendations-data.ts';
import {
  RecommendationsStack,
  recommendations,
} from '../../lib/services/recommendations/recommendations-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  grantsByResource,
  routesOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('recommendations stack alone, stage %s', (stage) => {
  let s: AloneStack<RecommendationsStack>;
  let inputs: Template;
  beforeAll(() => {
    let statefulStack: Parameters<typeof Template.fromStack>[0] | undefined;
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      statefulStack = stateful;
      // The stateful stack declares it once wired; until then the test adds it to the inputs.
      const own = (stateful as unknown as { recommendationsTable?: ITable }).recommendationsTable;
      const recommendationsTable = own ?? recommendationsTables(stateful, config).recommendationsTable;
      return new RecommendationsStack(app, 'Recommendations', {
        config,
        platform,
        recommendationsTable,
        productsTable: stateful.productsTable,
        bus: stateful.bus,
        alarmAction: stateful.alarmAction,
      });
    });
    if (!statefulStack) throw new Error('no stateful stack');
    inputs = Template.fromStack(statefulStack);
  });

  const TABLES = ['RecommendationsTable', 'ProductsTable'] as const;

  const grants = (id: string) => grantsByResource(s.json, id, TABLES, ['sqs']);
  const d = (...a: string[]) => a.map((x) => `dynamodb:${x}`).sort();

  it('grants each function exactly the item actions it issues', () => {
    expect(grants('CountCoPurchases')).toEqual({
      RecommendationsTable: d('BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'),
      sqs: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
    });
    expect(grants('GetRecommendations')).toEqual({
      RecommendationsTable: d('BatchGetItem'),
      'RecommendationsTable/byScore': d('Query'),
      ProductsTable: d('BatchGetItem'),
      'ProductsTable/gsi1': d('Query'),
    });
  });

  it('names the tables in the environment, and gives the consumer 30 s', () => {
    const fns = functionsById(s.json);
    expect(Object.keys(envOf(fns.get('CountCoPurchases')))).toContain('RECOMMENDATIONS_TABLE');
    expect(envOf(fns.get('CountCoPurchases'))).not.toHaveProperty('PRODUCTS_TABLE');
    expect(Object.keys(envOf(fns.get('GetRecommendations')))).toEqual(
      expect.arrayContaining(['RECOMMENDATIONS_TABLE', 'PRODUCTS_TABLE']),
    );
    expect(fns.get('CountCoPurchases')?.Timeout).toBe(30);
  });

  it('routes GET /products/{productId}/recommendations without an authorizer', () => {
    const routes = routesOf(s.json);
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS'))).toEqual([
      'GET /products/{productId}/recommendations',
    ]);
    const route = recommendations.routes[0];
    expect(routes.get(`${route?.method} ${route?.path}`)?.AuthorizationType).toBe('NONE');
  });

  it('takes OrderPlaced and OrderCancelled from its own queue, with a DLQ and its alarm', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-recommendations-count`,
      EventPattern: { source: ['store.orders'], 'detail-type': ['OrderPlaced', 'OrderCancelled'] },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-recommendations-count`,
      // Six times the 30 s timeout: a retry never overlaps the batch still running.
      VisibilityTimeout: 180,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-recommendations-count-dlq`,
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^CountCoPurchases') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-recommendations-count-dlq-not-empty`,
    });
  });

  it('declares the table with its by-score local index, PITR on', () => {
    inputs.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-recommendations`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byScore',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'rank', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['co', 'partner'] },
        },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
