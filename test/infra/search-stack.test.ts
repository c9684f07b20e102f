import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../lib/config/stage-config.ts';
import { SearchStack, search } from '../../lib/services/search/search-stack.ts';
import {
  type AloneStack,
  actionsOf,
  envOf,
  functionsById,
  grantsByResource,
  routesOf,
  statementsOf,
  synthAlone,
} from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('search stack alone, stage %s', (stage) => {
  let s: AloneStack<SearchStack>;
  // A replica per data node but one: every node holds the index.
  const { search: sizing } = stageConfig(stage);
  const replicas = sizing.kind === 'domain' ? sizing.dataNodes - 1 : 0;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      const other = new Role(stateful, 'OtherReader', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      });
      return new SearchStack(app, 'Search', {
        config,
        platform,
        productsTable: stateful.productsTable,
        productsStream: stateful.productsStream,
        indexerDlq: stateful.indexerDlq,
        search: stateful.search,
        otherReaderRoles: [other],
        alarmAction: stateful.alarmAction,
      });
    });
  });

  it('gives the search functions the endpoint, signing, alias and replicas', () => {
    const fns = functionsById(s.json);
    const search = envOf(fns.get('Search'));
    expect(search).toMatchObject({ SEARCH_AUTH: 'sigv4', SEARCH_INDEX: 'products' });
    // The domain's URL, read from the stateful side's SSM parameter at deploy time.
    expect(JSON.stringify(search.SEARCH_ENDPOINT)).toMatch(
      /https:\/\/|"Ref":"SsmParameterValue.*searchendpoint/,
    );
    expect(envOf(fns.get('Indexer')).SEARCH_REPLICAS).toBe(String(replicas));
    expect(fns.get('Indexer')?.Timeout).toBe(60);
  });

  it('lets readers read and the indexer write the domain, and maps them into FGAC', () => {
    expect(actionsOf(s.json, 'Search')).toEqual(expect.arrayContaining(['es:ESHttpGet', 'es:ESHttpPost']));
    expect(actionsOf(s.json, 'Search')).not.toContain('es:ESHttpPut');
    expect(actionsOf(s.json, 'Indexer')).toEqual(expect.arrayContaining(['es:ESHttpPut', 'es:ESHttpDelete']));
    expect(actionsOf(s.json, 'SearchIndexSetup')).not.toContain('es:ESHttpDelete');
    const dynamodb = (id: string) =>
      actionsOf(s.json, id)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    // Readers touch no table; the indexer only reads the products stream.
    expect(dynamodb('Search')).toEqual([]);
    expect(dynamodb('Suggest')).toEqual([]);
    expect(dynamodb('Indexer')).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    const writers = new Capture();
    const readers = new Capture();
    s.template.hasResource('Custom::SearchRoleMapping', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SearchRoleMapping'), 'Arn'] },
        IndexPattern: 'products*',
        WriterRoleArns: writers,
        ReaderRoleArns: readers,
      },
    });
    const ids = (c: Capture) => JSON.stringify(c.asArray());
    expect(ids(writers)).toMatch(/"IndexerRole.*"SearchIndexSetupRole.*"SearchReindexRole/);
    expect(ids(readers)).toMatch(/"SearchRole.*"SuggestRole.*OtherReader/);
  });

  it('creates the search index at deploy time, after FGAC maps the setup role', () => {
    const index = Object.entries(s.json.Resources).find(([, r]) => r.Type === 'Custom::SearchIndex');
    const [, resource] = index as [string, { Properties: Record<string, unknown>; DependsOn?: string[] }];
    expect(resource.Properties).toMatchObject({ Alias: 'products', Index: 'products-v1' });
    expect((resource.DependsOn ?? []).some((d) => d.startsWith('SearchRoleMappingResource'))).toBe(true);
  });

  /** The template parameter that reads the stream ARN's SSM parameter at deploy time. */
  const streamParameter = () => {
    const parameters = (s.json as { Parameters?: Record<string, { Type: string; Default?: string }> })
      .Parameters;
    const found = Object.entries(parameters ?? {}).filter(
      ([, p]) => p.Default === `/store-${stage}/products/stream-arn`,
    );
    expect(found).toHaveLength(1);
    const [[id, parameter]] = found as [[string, { Type: string }]];
    expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
    return id;
  };

  it('reads the stream ARN from its SSM parameter, imports no export of it, and grants exactly it', () => {
    const id = streamParameter();
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { Ref: id } });
    // An import of the stream ARN would block replacing the stream.
    expect(JSON.stringify(s.json)).not.toMatch(/StreamArn/);
    const stream = statementsOf(s.json, 'Indexer').filter((st) =>
      JSON.stringify(st.Action).includes('dynamodb:'),
    );
    expect(stream).toEqual([
      // ListStreams has no resource-level permissions.
      expect.objectContaining({ Action: 'dynamodb:ListStreams', Resource: '*' }),
      expect.objectContaining({
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: { Ref: id },
      }),
    ]);
  });

  it('has a reindex function, no route, that scans the table, writes the index and clears the DLQ', () => {
    const fn = functionsById(s.json).get('SearchReindex');
    expect(fn).toMatchObject({
      FunctionName: `store-${stage}-search-reindex`,
      Timeout: 900,
      MemorySize: 1024,
    });
    expect(envOf(fn)).toMatchObject({
      PRODUCTS_TABLE: { 'Fn::ImportValue': expect.stringMatching(/ProductsTable/) },
      INDEXER_DLQ_URL: { 'Fn::ImportValue': expect.stringMatching(/IndexerDlq/) },
      SEARCH_INDEX: 'products',
      SEARCH_AUTH: 'sigv4',
      SEARCH_REPLICAS: String(replicas),
    });
    expect(grantsByResource(s.json, 'SearchReindex', ['ProductsTable', 'IndexerDlq'], ['es'])).toEqual({
      // Scan on the table alone, no index, no other item access.
      ProductsTable: ['dynamodb:Scan'],
      IndexerDlq: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'],
      es: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
    });
    // The only Scan of the service.
    for (const id of Object.keys(search.functions).filter((f) => f !== 'SearchReindex')) {
      expect(actionsOf(s.json, id), id).not.toContain('dynamodb:Scan');
    }
    expect(search.routes.map((r) => r.fn)).not.toContain('SearchReindex');
    s.template.resourceCountIs('AWS::Lambda::Function', Object.keys(search.functions).length + 1);
  });

  it('feeds the indexer from the products stream: batch 100, partial failures, filter, DLQ', () => {
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const filter = new Capture();
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Indexer') },
      EventSourceArn: { Ref: streamParameter() },
      BatchSize: 100,
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::ImportValue': Match.stringLikeRegexp('IndexerDlq') } },
      },
      FilterCriteria: { Filters: [{ Pattern: filter }] },
    });
    expect(JSON.parse(filter.asString())).toEqual({
      dynamodb: { Keys: { pk: { S: [{ prefix: 'PRODUCT#' }] } } },
    });
  });

  it('serves /search and /search/suggest publicly, and alarms when the indexer lags', () => {
    const routes = routesOf(s.json);
    for (const route of search.routes) {
      expect(routes.get(`${route.method} ${route.path}`), route.path).toMatchObject({
        AuthorizationType: 'NONE',
      });
    }
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `store-${stage}-indexer-lagging`,
      MetricName: 'IteratorAge',
      Threshold: 60_000,
      AlarmActions: Match.anyValue(),
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag).toEqual([]);
  });
});
