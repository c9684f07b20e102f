/**
 * Stateful resources of a stage: data that outlives deployments (products table, search domain,
 * user pool) and the plumbing messages travel on (event bus, dead-letter queue). The api stack
 * receives these objects and grants its functions access to them; nothing here refers back to it.
 */
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from '../nag.ts';
import { searchDomainAlarms, tableThrottleAlarm } from '../observability/alarms.ts';
import { tablesUnder } from '../observability/metrics.ts';
import { cartTables } from '../services/cart/cart-data.ts';
import { catalogTables, PRODUCTS_INDEX_NAMES } from '../services/catalog/catalog-data.ts';
import { checkoutQueues } from '../services/checkout/checkout-data.ts';
import { storeEventArchive } from '../services/events.ts';
import { fulfillmentTables } from '../services/fulfillment/fulfillment-data.ts';
import { inventoryTables } from '../services/inventory/inventory-data.ts';
import { notificationsTables } from '../services/notifications/notifications-data.ts';
import { ORDERS_INDEX_NAMES, ordersTables } from '../services/orders/orders-data.ts';
import { PAYMENTS_INDEX_NAMES, paymentTables } from '../services/payment/payment-data.ts';
import { recommendationsTables } from '../services/recommendations/recommendations-data.ts';
import { reviewsTables } from '../services/reviews/reviews-data.ts';
import type { Handoff } from './handoff.ts';
import { type SearchTarget, searchDomain } from './search-domain.ts';
import { storeUserPool } from './user-pool.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export type { SearchTarget } from './search-domain.ts';

export class StatefulStack extends Stack {
  readonly config: StageConfig;
  readonly productsTable: dynamodb.Table;
  /** The products stream's ARN, handed to the search stack through SSM. */
  readonly productsStream: Handoff;
  /** Global secondary indexes of the products table: grants name them instead of `index/*`. */
  readonly productsIndexNames: readonly string[] = PRODUCTS_INDEX_NAMES;
  readonly cartsTable: dynamodb.Table;
  readonly inventoryTable: dynamodb.Table;
  readonly reservationsTable: dynamodb.Table;
  /** The sandbox provider's ledger and the payment steps' idempotency records. */
  readonly paymentsTable: dynamodb.Table;
  readonly paymentsIndexNames: readonly string[] = PAYMENTS_INDEX_NAMES;
  readonly paymentIdempotencyTable: dynamodb.Table;
  readonly ordersTable: dynamodb.Table;
  readonly ordersIndexNames: readonly string[] = ORDERS_INDEX_NAMES;
  /** POST /checkout's Powertools idempotency records. */
  readonly checkoutIdempotencyTable: dynamodb.Table;
  /** Failed compensations of the checkout saga. */
  readonly checkoutDlq: Queue;
  /** Fulfillment: warehouses with their per-SKU allocations, and shipments. */
  readonly warehousesTable: dynamodb.Table;
  readonly shipmentsTable: dynamodb.Table;
  /** Notifications: preferences and sent-message records; the outbox in stage local. */
  readonly notificationsTable: dynamodb.Table;
  readonly outboxTable?: dynamodb.Table;
  /** Reviews, their per-product summaries and who bought what. */
  readonly reviewsTable: dynamodb.Table;
  /** Co-purchase counts and scores. */
  readonly recommendationsTable: dynamodb.Table;
  readonly bus: EventBus;
  /** The bus's archive of every store event (stages that replay: not local). */
  readonly eventArchive?: Archive;
  readonly indexerDlq: Queue;
  /** Where every alarm of the stage notifies (stages with alarms only). */
  readonly alarmAction?: SnsAction;
  readonly search: SearchTarget;
  readonly userPool?: cognito.UserPool;
  /** The app clients whose access tokens the API accepts (empty without a user pool). */
  readonly userPoolClients: cognito.UserPoolClient[] = [];
  /** The pool and client ids the authorizers read (SSM handoffs; deployed stages only). */
  readonly auth?: { userPoolId: Handoff; clientIds: Handoff };

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const { prefix } = config;

    // Each service declares its tables beside its manifest; they live here, on the stateful side.
    ({ productsTable: this.productsTable, productsStream: this.productsStream } = catalogTables(
      this,
      config,
    ));
    ({ cartsTable: this.cartsTable } = cartTables(this, config));
    ({ inventoryTable: this.inventoryTable, reservationsTable: this.reservationsTable } = inventoryTables(
      this,
      config,
    ));
    ({ paymentsTable: this.paymentsTable, paymentIdempotencyTable: this.paymentIdempotencyTable } =
      paymentTables(this, config));
    ({ ordersTable: this.ordersTable, checkoutIdempotencyTable: this.checkoutIdempotencyTable } =
      ordersTables(this, config));
    ({ checkoutDlq: this.checkoutDlq } = checkoutQueues(this, config));
    ({ warehousesTable: this.warehousesTable, shipmentsTable: this.shipmentsTable } = fulfillmentTables(
      this,
      config,
    ));
    ({ notificationsTable: this.notificationsTable, outboxTable: this.outboxTable } = notificationsTables(
      this,
      config,
    ));
    ({ reviewsTable: this.reviewsTable } = reviewsTables(this, config));
    ({ recommendationsTable: this.recommendationsTable } = recommendationsTables(this, config));

    this.bus = new EventBus(this, 'Bus', { eventBusName: `${prefix}-bus` });
    // Every store event, for replays after a consumer bug (docs/events.md); none in stage local.
    this.eventArchive = storeEventArchive(this.bus, config);

    this.indexerDlq = new Queue(this, 'IndexerDlq', {
      queueName: `${prefix}-indexer-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message: time to find out why a record could not be indexed.
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    acknowledge(this.indexerDlq, {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter destination: the on-failure destination of the indexer's stream event source mapping (not an SQS redrive target, which is what the rule looks for).",
    });
    if (config.alarms) {
      this.alarmAction = new SnsAction(this.alarmTopic(config));
      const dlqAlarm = new Alarm(this, 'IndexerDlqAlarm', {
        alarmName: `${prefix}-indexer-dlq-not-empty`,
        alarmDescription: 'Stream records the indexer gave up on: search is missing or stale for them.',
        metric: this.indexerDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      dlqAlarm.addAlarmAction(this.alarmAction);
    }

    if (config.search.kind === 'domain') {
      this.search = searchDomain(this, config, config.search);
    } else {
      // SEARCH_AUTH=none: the local cloud's node listens on loopback without security.
      this.search = { kind: 'local', endpoint: config.search.endpoint, auth: 'none' };
    }

    // Beside what they watch: each table's throttling, the domain's health (docs/operations.md).
    if (config.alarms) {
      for (const table of tablesUnder(this)) tableThrottleAlarm(this, table, this.alarmAction);
      if (this.search.kind === 'domain' && config.search.kind === 'domain') {
        searchDomainAlarms(this, this.search.domainName, config.search, this.alarmAction);
      }
    }

    if (config.auth.issuer === 'cognito') {
      const pool = storeUserPool(this, config, this.alarmAction);
      this.userPool = pool.userPool;
      this.userPoolClients.push(...pool.clients);
      this.auth = { userPoolId: pool.userPoolId, clientIds: pool.clientIds };
    }

    new CfnOutput(this, 'ProductsTableName', { value: this.productsTable.tableName });
    new CfnOutput(this, 'CartsTableName', { value: this.cartsTable.tableName });
    new CfnOutput(this, 'InventoryTableName', { value: this.inventoryTable.tableName });
    new CfnOutput(this, 'ReservationsTableName', { value: this.reservationsTable.tableName });
    new CfnOutput(this, 'PaymentsTableName', { value: this.paymentsTable.tableName });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
  }

  /**
   * The stage's alarm topic. Encrypted with a customer managed key because CloudWatch cannot
   * publish to a topic under the AWS managed SNS key; the key policy lets CloudWatch use it.
   */
  private alarmTopic(config: StageConfig): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      alias: `alias/${config.prefix}-alarms`,
      description: `Encrypts the ${config.prefix} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    // CloudWatch may use the key for this account's alarms only (confused-deputy protection).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: `${config.prefix}-alarms`,
      displayName: `Serverless store ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    return topic;
  }
}
