/**
 * Recommendations ("bought together"): a consumer of OrderPlaced and OrderCancelled that keeps
 * the co-purchase counts, and the public route that reads them. Each function gets exactly the
 * item actions it issues; the read also reads the catalog's products table (names, deleted
 * products, the category fallback) with read actions only, on the one index it queries.
 */
import { Duration } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
// The layout module, not the adapters: synthesis loads no SDK.
import {
  BY_SCORE_INDEX,
  CATALOG_CATEGORY_INDEX,
  PRODUCTS_TABLE_ENV,
  RECOMMENDATIONS_TABLE_ENV,
} from '../../../lambdas/recommendations/adapters/table-layout.ts';
import { PRODUCTS_INDEX_NAMES } from '../catalog/catalog-data.ts';
import { Subscription } from '../events.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';

const handlers = 'lambdas/recommendations/handlers';

export const recommendations = defineService({
  service: 'recommendations',
  functions: {
    CountCoPurchases: {
      entry: `${handlers}/count-co-purchases.handler.ts`,
      name: 'count-co-purchases',
      // An order of 25 products is 7 transactions, each after a read, with retries on contention.
      timeout: Duration.seconds(30),
      description: 'Keeps the co-purchase counts of placed orders, and takes cancelled ones back out',
    },
    GetRecommendations: {
      entry: `${handlers}/get-recommendations.handler.ts`,
      name: 'get-recommendations',
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/products/{productId}/recommendations',
      fn: 'GetRecommendations',
      access: { public: 'Recommendations are public, like the catalog' },
    },
  ],
});

export interface RecommendationsStackProps extends ServiceStackProps {
  recommendationsTable: ITable;
  productsTable: ITable;
  bus: events.IEventBus;
  alarmAction?: IAlarmAction;
}

if (!(PRODUCTS_INDEX_NAMES as readonly string[]).includes(CATALOG_CATEGORY_INDEX)) {
  throw new Error(`The products table has no index ${CATALOG_CATEGORY_INDEX}: the fallback reads it.`);
}

export class RecommendationsStack extends ServiceStack<keyof typeof recommendations.functions> {
  readonly subscription: Subscription;

  constructor(scope: Construct, id: string, props: RecommendationsStackProps) {
    super(scope, id, recommendations, props);
    const { recommendationsTable: table, productsTable, config } = props;
    const f = this.functions;
    const items = (...actions: string[]) => ({ actions: actions.map((a) => `dynamodb:${a}`) });
    const queryOn = (fn: (typeof f)[keyof typeof f], t: ITable, index: string) =>
      iam.Grant.addToPrincipal({
        grantee: fn.fn,
        actions: ['dynamodb:Query'],
        resourceArns: [`${t.tableArn}/index/${index}`],
      });

    // Reads the order record, n and co; each batch is a transaction of the record's Put and ADDs.
    f.CountCoPurchases.bindTable(
      table,
      RECOMMENDATIONS_TABLE_ENV,
      items('GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'),
    );
    // Partners by score (the index only), n by BatchGetItem; names and categories from the catalog.
    f.GetRecommendations.bindTable(table, RECOMMENDATIONS_TABLE_ENV, items('BatchGetItem')).bindTable(
      productsTable,
      PRODUCTS_TABLE_ENV,
      items('BatchGetItem'),
    );
    queryOn(f.GetRecommendations, table, BY_SCORE_INDEX);
    queryOn(f.GetRecommendations, productsTable, CATALOG_CATEGORY_INDEX);

    this.subscription = new Subscription(this, 'CountSubscription', {
      config,
      bus: props.bus,
      consumer: f.CountCoPurchases,
      name: 'recommendations-count',
      events: ['OrderPlaced', 'OrderCancelled'],
      alarmAction: props.alarmAction,
    });
  }
}
