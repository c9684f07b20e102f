/**
 * Reviews: buyers review products, everyone reads them, admins hide them; the buyer check reads
 * purchases that RecordPurchases keeps from the orders events; each change of a product's summary
 * is published as ProductRatingChanged (the catalog's ApplyRating consumes it), and a sweeper
 * republishes any whose publish failed after its write. Each function gets exactly the item
 * actions it issues.
 */
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
// The layout module, not the store: synthesis loads no SDK.
import {
  BY_NEWEST_INDEX,
  BY_RATING_INDEX,
  REVIEWS_TABLE_ENV,
  UNPUBLISHED_INDEX,
} from '../../../lambdas/reviews/adapters/table-layout.ts';
import type { ServiceFunction } from '../../constructs/service-function.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/reviews/handlers';
const signedIn = { signedIn: true } as const;
const reviewsArePublic = 'Reviews are public, like the catalog (API.md, who: public).';

export const reviews = defineService({
  service: 'reviews',
  functions: {
    ListReviews: { entry: `${handlers}/list-reviews.handler.ts`, name: 'list-reviews' },
    CreateReview: { entry: `${handlers}/create-review.handler.ts`, name: 'create-review' },
    EditReview: { entry: `${handlers}/edit-review.handler.ts`, name: 'edit-review' },
    DeleteReview: { entry: `${handlers}/delete-review.handler.ts`, name: 'delete-review' },
    HideReview: { entry: `${handlers}/hide-review.handler.ts`, name: 'hide-review' },
    RecordPurchases: {
      entry: `${handlers}/record-purchases.handler.ts`,
      name: 'record-purchases',
      description: "Keeps who bought what from orders' OrderPlaced and OrderCancelled, for the buyer check",
    },
    RepublishRatings: {
      entry: `${handlers}/republish-ratings.handler.ts`,
      name: 'republish-ratings',
      timeout: Duration.seconds(60),
      description: 'Publishes ProductRatingChanged for summaries whose publish failed (every 5 minutes)',
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/products/{productId}/reviews',
      fn: 'ListReviews',
      access: { public: reviewsArePublic },
    },
    { method: 'POST', path: '/products/{productId}/reviews', fn: 'CreateReview', access: signedIn },
    { method: 'PUT', path: '/products/{productId}/reviews/{reviewId}', fn: 'EditReview', access: signedIn },
    {
      method: 'DELETE',
      path: '/products/{productId}/reviews/{reviewId}',
      fn: 'DeleteReview',
      access: signedIn,
    },
    { method: 'DELETE', path: '/admin/reviews/{reviewId}', fn: 'HideReview', access: { admin: true } },
  ],
});

export interface ReviewsStackProps extends ServiceStackProps {
  reviewsTable: ITable;
  /** The catalog's products: read through its read module (GetItem) to 404 unknown products. */
  productsTable: ITable;
  bus: events.IEventBus;
  alarmAction?: IAlarmAction;
}

export class ReviewsStack extends ServiceStack<keyof typeof reviews.functions> {
  readonly sweeperRule: events.Rule;

  constructor(scope: Construct, id: string, props: ReviewsStackProps) {
    super(scope, id, reviews, props);
    const { reviewsTable: table, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const queries = (fn: ServiceFunction, ...indexes: string[]) =>
      iam.Grant.addToPrincipal({
        grantee: fn.fn,
        actions: ['dynamodb:Query'],
        resourceArns: indexes.map((index) => `${table.tableArn}/index/${index}`),
      });
    const readsProducts = (fn: ServiceFunction) =>
      fn.bindTable(props.productsTable, 'PRODUCTS_TABLE', items('GetItem'));

    // The summary (GetItem) and a page from one of the two listing indexes.
    f.ListReviews.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem'));
    queries(f.ListReviews, BY_NEWEST_INDEX, BY_RATING_INDEX);
    readsProducts(f.ListReviews);
    // Claim and purchases reads; the transaction's Puts, buyer ConditionCheck and summary ADDs;
    // the unpublished marker's UpdateItem.
    f.CreateReview.bindTable(
      table,
      REVIEWS_TABLE_ENV,
      items('GetItem', 'PutItem', 'ConditionCheckItem', 'UpdateItem'),
    );
    readsProducts(f.CreateReview);
    f.EditReview.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem', 'PutItem', 'UpdateItem'));
    f.HideReview.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem', 'PutItem', 'UpdateItem'));
    f.DeleteReview.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem', 'DeleteItem', 'UpdateItem'));
    // The order record (UpdateItem with ALL_NEW, GetItem) and the purchase sets (UpdateItem).
    f.RecordPurchases.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem', 'UpdateItem'));
    f.RepublishRatings.bindTable(table, REVIEWS_TABLE_ENV, items('GetItem', 'UpdateItem'));
    queries(f.RepublishRatings, UNPUBLISHED_INDEX);

    for (const fn of [f.CreateReview, f.EditReview, f.DeleteReview, f.HideReview, f.RepublishRatings]) {
      fn.addEnvironment('EVENT_BUS_NAME', props.bus.eventBusName);
      props.bus.grantPutEventsTo(fn.fn);
    }

    new Subscription(this, 'RecordPurchasesSubscription', {
      config,
      bus: props.bus,
      consumer: f.RecordPurchases,
      name: 'reviews-record-purchases',
      events: ['OrderPlaced', 'OrderCancelled'],
      alarmAction: props.alarmAction,
    });

    this.sweeperRule = new events.Rule(this, 'RepublishSchedule', {
      ruleName: `${config.prefix}-republish-ratings`,
      description: 'Publishes product ratings whose publish failed after the review write',
      schedule: events.Schedule.rate(Duration.minutes(5)),
      // A missed tick is harmless: the next one finds the same summaries.
      targets: [
        new targets.LambdaFunction(f.RepublishRatings.fn, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(5),
        }),
      ],
    });
  }
}
