import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { reviewsTables } from '../../lib/services/reviews/reviews-data.ts';
import { ReviewsStack, reviews } from '../../lib/services/reviews/reviews-stack.ts';
import {
  type AloneStack,
  envOf,
  functionsById,
  grantsByResource,
  routesOf,
  STUB_PLATFORM_IDS,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('reviews stack alone, stage %s', (stage) => {
  let s: AloneStack<ReviewsStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      // The stateful stack does not declare the reviews table yet: made on it here, as app.ts will.
      const existing = (
        stateful as unknown as { reviewsTable?: ReturnType<typeof reviewsTables>['reviewsTable'] }
      ).reviewsTable;
      const reviewsTable = existing ?? reviewsTables(stateful, config).reviewsTable;
      return new ReviewsStack(app, 'Reviews', {
        config,
        platform,
        reviewsTable,
        productsTable: stateful.productsTable,
        bus: stateful.bus,
        alarmAction: stateful.alarmAction,
      });
    });
  });

  const TABLES = ['ReviewsTable', 'ProductsTable'] as const;

  const grants = (id: string) => grantsByResource(s.json, id, TABLES, ['events', 'sqs']);
  const d = (...a: string[]) => a.map((x) => `dynamodb:${x}`).sort();
  const events = ['events:PutEvents'];

  it('grants each function exactly the item actions it issues', () => {
    expect(grants('ListReviews')).toEqual({
      ReviewsTable: d('GetItem'),
      'ReviewsTable/byNewest': d('Query'),
      'ReviewsTable/byRating': d('Query'),
      ProductsTable: d('GetItem'),
    });
    expect(grants('CreateReview')).toEqual({
      ReviewsTable: d('ConditionCheckItem', 'GetItem', 'PutItem', 'UpdateItem'),
      ProductsTable: d('GetItem'),
      events,
    });
    expect(grants('EditReview')).toEqual({ ReviewsTable: d('GetItem', 'PutItem', 'UpdateItem'), events });
    expect(grants('HideReview')).toEqual({ ReviewsTable: d('GetItem', 'PutItem', 'UpdateItem'), events });
    expect(grants('DeleteReview')).toEqual({
      ReviewsTable: d('DeleteItem', 'GetItem', 'UpdateItem'),
      events,
    });
    expect(grants('RecordPurchases')).toEqual({
      ReviewsTable: d('GetItem', 'UpdateItem'),
      sqs: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
    });
    expect(grants('RepublishRatings')).toEqual({
      ReviewsTable: d('GetItem', 'UpdateItem'),
      'ReviewsTable/unpublished': d('Query'),
      events,
    });
  });

  it('names the tables and the bus in exactly the functions that use them', () => {
    const fns = functionsById(s.json);
    const publishers = ['CreateReview', 'EditReview', 'DeleteReview', 'HideReview', 'RepublishRatings'];
    for (const id of Object.keys(reviews.functions)) {
      const env = envOf(fns.get(id));
      expect(env.REVIEWS_TABLE, id).toBeDefined();
      expect(env.EVENT_BUS_NAME !== undefined, id).toBe(publishers.includes(id));
      expect(env.PRODUCTS_TABLE !== undefined, id).toBe(['ListReviews', 'CreateReview'].includes(id));
    }
  });

  it('routes the public list without an authorizer and the writes through the JWT authorizer', () => {
    const routes = routesOf(s.json);
    expect([...routes.keys()].filter((r) => !r.startsWith('OPTIONS')).sort()).toEqual([
      'DELETE /admin/reviews/{reviewId}',
      'DELETE /products/{productId}/reviews/{reviewId}',
      'GET /products/{productId}/reviews',
      'POST /products/{productId}/reviews',
      'PUT /products/{productId}/reviews/{reviewId}',
    ]);
    for (const route of reviews.routes) {
      const method = routes.get(`${route.method} ${route.path}`);
      if ('public' in route.access) {
        expect(method?.AuthorizationType, route.path).toBe('NONE');
      } else {
        expect(method?.AuthorizationType).toBe('CUSTOM');
        expect(method?.AuthorizerId).toBe(STUB_PLATFORM_IDS.tokenAuthorizerId);
      }
    }
  });

  it("takes orders' OrderPlaced and OrderCancelled from its own queue, with a DLQ and its alarm", () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-reviews-record-purchases`,
      EventPattern: { source: ['store.orders'], 'detail-type': ['OrderPlaced', 'OrderCancelled'] },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-reviews-record-purchases`,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-reviews-record-purchases-dlq`,
    });
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^RecordPurchases') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-reviews-record-purchases-dlq-not-empty`,
    });
  });

  it('republishes unpublished ratings every 5 minutes', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: `store-${stage}-republish-ratings`,
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 } }),
      ],
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
