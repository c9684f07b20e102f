/**
 * Stateful resources of a stage: data that outlives deployments (products table, search domain,
 * user pool) and the plumbing messages travel on (event bus, dead-letter queue). The api stack
 * receives these objects and grants its functions access to them; nothing here refers back to it.
 */
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import { EventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnResourcePolicy, LogGroup } from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DomainSearchConfig, StageConfig } from '../config/stage-config.ts';
import { type Acknowledgment, acknowledge, wildcardResourceFinding } from '../nag.ts';
import { searchDomainAlarms, tableThrottleAlarm } from '../observability/alarms.ts';
import { tablesUnder } from '../observability/metrics.ts';
import { cartTables } from '../services/cart/cart-data.ts';
import { catalogTables, PRODUCTS_INDEX_NAMES } from '../services/catalog/catalog-data.ts';
import { checkoutQueues } from '../services/checkout/checkout-data.ts';
import { fulfillmentTables } from '../services/fulfillment/fulfillment-data.ts';
import { inventoryTables } from '../services/inventory/inventory-data.ts';
import { notificationsTables } from '../services/notifications/notifications-data.ts';
import { ORDERS_INDEX_NAMES, ordersTables } from '../services/orders/orders-data.ts';
import { PAYMENTS_INDEX_NAMES, paymentTables } from '../services/payment/payment-data.ts';
import { recommendationsTables } from '../services/recommendations/recommendations-data.ts';
import { reviewsTables } from '../services/reviews/reviews-data.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/** Where and how the search functions reach OpenSearch. */
export type SearchTarget =
  | { kind: 'local'; endpoint: string; auth: 'none' }
  | {
      kind: 'domain';
      endpoint: string;
      auth: 'sigv4';
      domain: opensearch.Domain;
      domainName: string;
      /** FGAC master user; the api stack's role-mapping function runs as it. */
      adminRole: iam.Role;
      /** Physical name of that function (its log group is granted here, by name). */
      adminFunctionName: string;
    };

export class StatefulStack extends Stack {
  readonly config: StageConfig;
  readonly productsTable: dynamodb.Table;
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
  readonly indexerDlq: Queue;
  /** Where every alarm of the stage notifies (stages with alarms only). */
  readonly alarmAction?: SnsAction;
  readonly search: SearchTarget;
  readonly userPool?: cognito.UserPool;
  /** The app clients whose access tokens the API accepts (empty without a user pool). */
  readonly userPoolClients: cognito.UserPoolClient[] = [];

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const { prefix } = config;

    // Each service declares its tables beside its manifest; they live here, on the stateful side.
    ({ productsTable: this.productsTable } = catalogTables(this, config));
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
      this.search = this.searchDomain(config, config.search);
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
      const { userPool, client } = this.userPoolFor(config);
      this.userPool = userPool;
      this.userPoolClients.push(client);
      if (config.auth.e2eClient) {
        const e2eClient = this.e2eClientFor(config, userPool);
        this.userPoolClients.push(e2eClient);
        new CfnOutput(this, 'E2eClientId', { value: e2eClient.userPoolClientId });
      }
    }

    new CfnOutput(this, 'ProductsTableName', { value: this.productsTable.tableName });
    new CfnOutput(this, 'CartsTableName', { value: this.cartsTable.tableName });
    new CfnOutput(this, 'InventoryTableName', { value: this.inventoryTable.tableName });
    new CfnOutput(this, 'ReservationsTableName', { value: this.reservationsTable.tableName });
    new CfnOutput(this, 'PaymentsTableName', { value: this.paymentsTable.tableName });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    const [webClient] = this.userPoolClients;
    if (this.userPool && webClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: webClient.userPoolClientId });
    }
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
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: `${config.prefix}-alarms`,
      displayName: `Serverless store ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    return topic;
  }

  private searchDomain(config: StageConfig, sizing: DomainSearchConfig): SearchTarget {
    const { prefix } = config;
    const domainName = `${prefix}-search`;
    // Built from the name, not the domain's attributes: the access policy and the log resource
    // policy are properties the domain itself depends on.
    const domainArn = this.formatArn({ service: 'es', resource: 'domain', resourceName: domainName });
    const adminFunctionName = `${prefix}-search-role-mapping`;

    // FGAC master user. Fine-grained access control maps IAM roles to OpenSearch roles; the master
    // user is the one principal mapped from the start (all_access). A dedicated role rather than a
    // person's: the api stack runs a small custom resource as this role, which maps the indexer
    // role to a write role and the search roles to a read role (index pattern products*).
    const adminRole = new iam.Role(this, 'SearchAdminRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${domainName} fine-grained access control master user`,
    });
    const securityApi = `${domainArn}/_plugins/_security/api/*`;
    const adminLogStreams = this.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/lambda/${adminFunctionName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    adminRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['es:ESHttpGet', 'es:ESHttpPut', 'es:ESHttpDelete'],
        resources: [securityApi],
      }),
    );
    adminRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [adminLogStreams],
      }),
    );
    acknowledge(
      adminRole,
      {
        id: wildcardResourceFinding(this, securityApi),
        reason:
          "The security plugin's REST API of this one domain: roles and role mappings are paths below it.",
      },
      {
        id: wildcardResourceFinding(this, adminLogStreams),
        reason: "Log streams of the role-mapping function's own log group (stream names are made by Lambda).",
      },
    );

    const logGroups = {
      slowSearch: this.domainLogGroup('SearchSlowLogs', `/aws/opensearch/${domainName}/search-slow`, config),
      slowIndex: this.domainLogGroup('IndexSlowLogs', `/aws/opensearch/${domainName}/index-slow`, config),
      app: this.domainLogGroup('SearchAppLogs', `/aws/opensearch/${domainName}/application`, config),
    };
    // One plain resource policy instead of the custom resource CDK would create for it.
    const logsPolicy = new CfnResourcePolicy(this, 'SearchLogsResourcePolicy', {
      policyName: `${domainName}-logs`,
      policyDocument: this.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'es.amazonaws.com' },
            Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
            Resource: Object.values(logGroups).map((g) => g.logGroupArn),
            Condition: {
              StringEquals: { 'aws:SourceAccount': this.account },
              ArnLike: { 'aws:SourceArn': domainArn },
            },
          },
        ],
      }),
    });

    const zoneAware = sizing.availabilityZones > 1;
    const domain = new opensearch.Domain(this, 'SearchDomain', {
      domainName,
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodes: sizing.dataNodes,
        dataNodeInstanceType: sizing.dataNodeInstanceType,
        ...(sizing.masterNodes > 0
          ? { masterNodes: sizing.masterNodes, masterNodeInstanceType: sizing.masterNodeInstanceType }
          : {}),
        multiAzWithStandbyEnabled: sizing.multiAzWithStandby,
      },
      ebs: { volumeSize: sizing.ebsVolumeGiB, volumeType: EbsDeviceVolumeType.GP3 },
      zoneAwareness: zoneAware
        ? { enabled: true, availabilityZoneCount: sizing.availabilityZones }
        : { enabled: false },
      nodeToNodeEncryption: true,
      encryptionAtRest: { enabled: true },
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: adminRole.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: logGroups.slowSearch,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: logGroups.slowIndex,
        appLogEnabled: true,
        appLogGroup: logGroups.app,
      },
      suppressLogsResourcePolicy: true,
      enableAutoSoftwareUpdate: true,
      removalPolicy: config.removalPolicy,
    });
    domain.node.addDependency(logsPolicy);
    // Resource policy: the account's IAM principals may send signed HTTP requests; which of them
    // actually can is decided by their identity policies (granted in the api stack to exactly the
    // functions that search or index) and, inside the domain, by FGAC role mapping. Naming the
    // function roles here instead would make this stack depend on the api stack (a cycle). Set on
    // the L1 directly: the L2's accessPolicies prop deploys a custom resource to do the same.
    const cfnDomain = domain.node.defaultChild as opensearch.CfnDomain;
    cfnDomain.accessPolicies = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:${this.partition}:iam::${this.account}:root` },
          Action: 'es:ESHttp*',
          Resource: `${domainArn}/*`,
        },
      ],
    };

    const suppressions: Acknowledgment[] = [
      {
        id: 'AwsSolutions-OS1',
        reason:
          'Reached by Lambda functions outside any VPC, with SigV4-signed requests: a VPC domain would put every search function in a VPC (NAT cost, ENI cold starts) for no gain over IAM + fine-grained access control.',
      },
      {
        id: 'AwsSolutions-OS3',
        reason:
          'Callers are Lambda functions whose egress IPs are not fixed, so an IP allowlist cannot apply; every request is SigV4-signed and authorized by IAM, then by FGAC role mapping.',
      },
    ];
    if (sizing.masterNodes === 0) {
      suppressions.push({
        id: 'AwsSolutions-OS4',
        reason: `Stage ${config.stage} runs one small data node for testing; dedicated masters are configured in prod.`,
      });
    }
    if (!zoneAware) {
      suppressions.push({
        id: 'AwsSolutions-OS7',
        reason: `Stage ${config.stage} runs a single node, so there is nothing to spread across zones; prod is zone-aware over three AZs.`,
      });
    }
    acknowledge(domain, ...suppressions);

    new CfnOutput(this, 'SearchUrl', { value: `https://${domain.domainEndpoint}` });
    return {
      kind: 'domain',
      endpoint: `https://${domain.domainEndpoint}`,
      auth: 'sigv4',
      domain,
      domainName,
      adminRole,
      adminFunctionName,
    };
  }

  private domainLogGroup(id: string, name: string, config: StageConfig): LogGroup {
    return new LogGroup(this, id, {
      logGroupName: name,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
  }

  /**
   * The delivery pipeline's client: the end-to-end run signs its test users in with a password
   * (USER_PASSWORD_AUTH) and nothing else. No secret, no OAuth, no refresh worth keeping: its tokens
   * last one suite run. Only in a stage whose config asks for it (staging), never in prod.
   */
  private e2eClientFor(config: StageConfig, userPool: cognito.UserPool): cognito.UserPoolClient {
    return userPool.addClient('E2eClient', {
      userPoolClientName: `${config.prefix}-e2e`,
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(1),
    });
  }

  private userPoolFor(config: StageConfig): { userPool: cognito.UserPool; client: cognito.UserPoolClient } {
    const plus = config.auth.cognitoPlus;
    const userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${config.prefix}-users`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    // Access tokens carry `cognito:groups`; the admin routes require this group.
    userPool.addGroup('AdminGroup', { groupName: 'admin', description: 'Catalog and store administrators' });
    const client = userPool.addClient('WebClient', {
      userPoolClientName: `${config.prefix}-web`,
      generateSecret: false,
      authFlows: { userSrp: true },
      // Apps sign in with SRP through the SDK. Without this, CDK's OAuth defaults would enable the
      // implicit grant (tokens in URL fragments) with a placeholder callback URL.
      disableOAuth: true,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    const suppressions: Acknowledgment[] = [
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is offered (TOTP, optional) rather than required: shoppers sign up in the checkout flow, where a mandatory second factor costs conversions. Operators enable it on their own accounts.',
      },
    ];
    if (!plus) {
      suppressions.push({
        id: 'AwsSolutions-COG8',
        reason: `Stage ${config.stage} has test users only; the Plus plan (threat protection, priced per MAU) is enabled in prod.`,
      });
    }
    acknowledge(userPool, ...suppressions);
    return { userPool, client };
  }
}
