import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../lib/config/stage-config.ts';
import { resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

describe.each(['staging', 'prod'] as const)('stateful stack, stage %s', (stage) => {
  let s: SynthesizedStage;
  const config = stageConfig(stage);
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it('is named after the stage', () => {
    expect(s.statefulStackName).toBe(`store-${stage}-stateful`);
  });

  it('has the products table: keys, stream, GSIs, on-demand, encryption, PITR, Contributor Insights', () => {
    // The hot-key view, on the table and on each index (the listing shards of gsi2 included).
    const insights = { Enabled: true, Mode: 'ACCESSED_AND_THROTTLED_KEYS' };
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-products`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: stage === 'prod',
      ContributorInsightsSpecification: insights,
      // gsi2's key attributes are unchanged by its sharding (only gsi2pk's values are): the same
      // index, not a new one. ALL: the listings return whole products.
      GlobalSecondaryIndexes: [1, 2].map((n) => ({
        IndexName: `gsi${n}`,
        KeySchema: [
          { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
          { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
        ContributorInsightsSpecification: insights,
      })),
    });
    s.stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
    });
  });

  it("publishes the products stream's ARN in SSM, and no stack imports it from an export", () => {
    const [table] = resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table').filter(
      ([, t]) => t.Properties.TableName === `store-${stage}-products`,
    );
    const tableId = table?.[0] as string;
    s.stateful.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/store-${stage}/products/stream-arn`,
      Type: 'String',
      Value: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
    });
    // Not exported at all: an export could not change while imported, so it would pin the stream.
    const streamExports = Object.values(s.statefulJson.Outputs ?? {})
      .map((o) => o as { Value: unknown })
      .filter((o) => JSON.stringify(o.Value).includes('StreamArn'));
    expect(streamExports).toEqual([]);
    for (const [stack, t] of Object.entries(s.templates)) {
      if (stack === s.statefulStackName) continue;
      expect(JSON.stringify(t), stack).not.toMatch(/StreamArn/);
    }
    expect(JSON.stringify(s.template('search'))).toContain(`"/store-${stage}/products/stream-arn"`);
  });

  it('lets only the search reindex scan, and only the products table', () => {
    const scanners: string[] = [];
    for (const t of Object.values(s.templates)) {
      for (const [id, policy] of resourcesOf(t, 'AWS::IAM::Policy')) {
        const statements = (
          policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
        ).Statement;
        for (const st of statements) {
          const actions = [st.Action].flat() as string[];
          if (!actions.some((a) => a === 'dynamodb:Scan' || a === 'dynamodb:*')) continue;
          scanners.push(id.replace(/RoleDefaultPolicy[0-9A-F]{8}$/, ''));
          expect(JSON.stringify(st.Resource), id).toMatch(/ProductsTable/);
          expect(JSON.stringify(st.Resource), id).not.toContain('/index/');
        }
      }
    }
    expect(scanners).toEqual(['SearchReindex']);
  });

  it('has the carts table: keys, TTL on expiresAt, on-demand, encryption, PITR, no stream or index', () => {
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-carts`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: stage === 'prod',
    });
    const [[, carts] = []] = resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table').filter(
      ([, t]) => t.Properties.TableName === `store-${stage}-carts`,
    );
    expect(carts?.Properties).not.toHaveProperty('StreamSpecification');
    expect(carts?.Properties).not.toHaveProperty('GlobalSecondaryIndexes');
    expect((carts as { DeletionPolicy?: string } | undefined)?.DeletionPolicy).toBe(
      stage === 'prod' ? 'Retain' : 'Delete',
    );
  });

  it('has the orders table: keys, a by-user index (ALL) and a sparse sharded PENDING index (orderId only)', () => {
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-orders`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: stage === 'prod',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byUser',
          KeySchema: [
            { AttributeName: 'userKey', KeyType: 'HASH' },
            { AttributeName: 'createdKey', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'pending',
          KeySchema: [
            { AttributeName: 'pendingShard', KeyType: 'HASH' },
            { AttributeName: 'pendingSince', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['orderId'] },
        },
      ],
    });
    const [[, orders] = []] = resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table').filter(
      ([, t]) => t.Properties.TableName === `store-${stage}-orders`,
    );
    expect(orders?.Properties).not.toHaveProperty('StreamSpecification');
    expect((orders as { DeletionPolicy?: string } | undefined)?.DeletionPolicy).toBe(
      stage === 'prod' ? 'Retain' : 'Delete',
    );
  });

  it("has the checkout route's idempotency table (records expire by TTL) and the saga's DLQ (SSE, 14 days)", () => {
    s.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: `store-${stage}-checkout-idempotency`,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    s.stateful.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-checkout-dlq`,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('has the event bus and the indexer DLQ (SSE, SSL only)', () => {
    s.stateful.hasResourceProperties('AWS::Events::EventBus', { Name: `store-${stage}-bus` });
    s.stateful.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `store-${stage}-indexer-dlq`,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    s.stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    s.stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-indexer-dlq-not-empty`,
      Threshold: 0,
    });
  });

  it('has an OpenSearch 2.19 domain: encrypted, HTTPS only, FGAC with an IAM master role, logs', () => {
    s.stateful.resourceCountIs('AWS::OpenSearchService::Domain', 1);
    const domain = resourcesOf(s.statefulJson, 'AWS::OpenSearchService::Domain')[0]?.[1];
    if (!domain) throw new Error('no domain');
    const adminRole = Object.keys(s.statefulJson.Resources).find((id) => id.startsWith('SearchAdminRole'));
    expect(domain.Properties).toMatchObject({
      DomainName: `store-${stage}-search`,
      EngineVersion: 'OpenSearch_2.19',
      NodeToNodeEncryptionOptions: { Enabled: true },
      EncryptionAtRestOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: { MasterUserARN: { 'Fn::GetAtt': [adminRole, 'Arn'] } },
      },
      LogPublishingOptions: {
        SEARCH_SLOW_LOGS: { Enabled: true },
        INDEX_SLOW_LOGS: { Enabled: true },
        ES_APPLICATION_LOGS: { Enabled: true },
        AUDIT_LOGS: { Enabled: true },
      },
    });
    // Signed requests from the account's principals; their identity policies say which.
    expect(domain.Properties.AccessPolicies).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'es:ESHttp*',
          Principal: {
            AWS: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
              ],
            },
          },
        },
      ],
    });
    s.stateful.hasResourceProperties('AWS::Logs::ResourcePolicy', {
      PolicyName: `store-${stage}-search-logs`,
    });
  });

  if (stage === 'prod') {
    it('prod search: 3 data nodes over 3 AZs, dedicated masters, larger EBS', () => {
      s.stateful.hasResourceProperties('AWS::OpenSearchService::Domain', {
        ClusterConfig: {
          InstanceCount: 3,
          InstanceType: 'r6g.4xlarge.search',
          ZoneAwarenessEnabled: true,
          ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
          DedicatedMasterEnabled: true,
          DedicatedMasterCount: 3,
          DedicatedMasterType: 'm6g.large.search',
          MultiAZWithStandbyEnabled: false,
        },
        EBSOptions: { EBSEnabled: true, VolumeSize: 100, VolumeType: 'gp3' },
      });
    });
  } else {
    it("staging search: 2 data nodes of prod's family over 2 AZs, no dedicated masters", () => {
      s.stateful.hasResourceProperties('AWS::OpenSearchService::Domain', {
        ClusterConfig: {
          InstanceCount: 2,
          InstanceType: 'r6g.large.search',
          ZoneAwarenessEnabled: true,
          ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
          DedicatedMasterEnabled: false,
          MultiAZWithStandbyEnabled: false,
        },
        EBSOptions: { EBSEnabled: true, VolumeSize: 10, VolumeType: 'gp3' },
      });
    });
  }

  it('has the user pool: admin group, app client, strong passwords, plan per stage', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: `store-${stage}-users`,
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      UserPoolTier: config.auth.cognitoPlus ? 'PLUS' : 'ESSENTIALS',
      DeletionProtection: stage === 'prod' ? 'ACTIVE' : 'INACTIVE',
    });
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: `store-${stage}-web`,
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    });
    // No hosted-UI OAuth: no implicit grant, no placeholder callback URL.
    const [, client] = Object.entries(s.statefulJson.Resources).find(
      ([, r]) => r.Type === 'AWS::Cognito::UserPoolClient',
    ) as [string, { Properties: Record<string, unknown> }];
    for (const key of ['AllowedOAuthFlows', 'CallbackURLs', 'AllowedOAuthScopes']) {
      expect(client.Properties, key).not.toHaveProperty(key);
    }
    expect(client.Properties.AllowedOAuthFlowsUserPoolClient ?? false).toBe(false);
  });

  it('sends every alarm of the app to one KMS-encrypted topic CloudWatch may publish to', () => {
    const topics = Object.entries(s.statefulJson.Resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic');
    expect(topics.map(([, r]) => r.Properties?.TopicName)).toEqual([`store-${stage}-alarms`]);
    const [topicId, topic] = topics[0] as [string, { Properties: Record<string, unknown> }];
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^AlarmTopicKey/), 'Arn'],
    });
    s.stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      }),
    });
    // CloudWatch uses the key only for this account's alarms (confused deputy), in every
    // statement that names it.
    const keys = resourcesOf(s.statefulJson, 'AWS::KMS::Key').filter(([id]) =>
      id.startsWith('AlarmTopicKey'),
    );
    expect(keys).toHaveLength(1);
    const policy = keys[0]?.[1].Properties.KeyPolicy as { Statement: Record<string, unknown>[] };
    const statements = policy.Statement.filter((st) =>
      JSON.stringify(st.Principal).includes('cloudwatch.amazonaws.com'),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':alarm:*',
            ],
          ],
        },
      },
    });
    const alarms = Object.values(s.templates).flatMap((t) =>
      Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm'),
    );
    // Among them these; the complete list is test/infra/observability.test.ts's.
    expect(alarms.map((a) => String(a.Properties?.AlarmName))).toEqual(
      expect.arrayContaining(
        [
          'api-5xx',
          'catalog-apply-rating-dlq-not-empty',
          'checkout-dlq-not-empty',
          'checkout-executions-failed',
          'fulfillment-release-shipments-dlq-not-empty',
          'fulfillment-route-order-dlq-not-empty',
          'indexer-dlq-not-empty',
          'indexer-lagging',
          'inventory-return-stock-dlq-not-empty',
          'jwks-unreachable',
          'notifications-notify-dlq-not-empty',
          'orders-order-events-dlq-not-empty',
          'payment-refund-cancelled-dlq-not-empty',
          'recommendations-count-dlq-not-empty',
          'reviews-record-purchases-dlq-not-empty',
          'products-table-throttles',
          'search-cluster-red',
        ].map((n) => `store-${stage}-${n}`),
      ),
    );
    for (const alarm of alarms) {
      expect(JSON.stringify(alarm.Properties?.AlarmActions), String(alarm.Properties?.AlarmName)).toContain(
        topicId,
      );
    }
  });

  it('outputs no key the e2e suite could take for the API URL', () => {
    const keys = Object.keys(s.statefulJson.Outputs ?? {}).filter((k) => !k.startsWith('ExportsOutput'));
    expect(keys.filter((k) => /ApiUrl|Endpoint/i.test(k))).toEqual([]);
  });
});
