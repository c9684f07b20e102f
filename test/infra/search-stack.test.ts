import { Capture, Match } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchStack, search } from '../../lib/services/search/search-stack.ts';
import { type AloneStack, actionsOf, envOf, functionsById, routesOf, synthAlone } from './support/alone.ts';

describe.each(['staging', 'prod'] as const)('search stack alone, stage %s', (stage) => {
  let s: AloneStack<SearchStack>;
  beforeAll(() => {
    s = synthAlone(stage, ({ app, config, stateful, platform }) => {
      const other = new Role(stateful, 'OtherReader', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      });
      return new SearchStack(app, 'Search', {
        config,
        platform,
        productsTable: stateful.productsTable,
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
    expect(JSON.stringify(search.SEARCH_ENDPOINT)).toContain('https://');
    expect(envOf(fns.get('Indexer')).SEARCH_REPLICAS).toBe(stage === 'prod' ? '2' : '0');
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
    expect(ids(writers)).toMatch(/"IndexerRole.*"SearchIndexSetupRole/);
    expect(ids(readers)).toMatch(/"SearchRole.*"SuggestRole.*OtherReader/);
  });

  it('creates the search index at deploy time, after FGAC maps the setup role', () => {
    const index = Object.entries(s.json.Resources).find(([, r]) => r.Type === 'Custom::SearchIndex');
    const [, resource] = index as [string, { Properties: Record<string, unknown>; DependsOn?: string[] }];
    expect(resource.Properties).toMatchObject({ Alias: 'products', Index: 'products-v1' });
    expect((resource.DependsOn ?? []).some((d) => d.startsWith('SearchRoleMappingResource'))).toBe(true);
  });

  it('feeds the indexer from the products stream: batch 100, partial failures, filter, DLQ', () => {
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const filter = new Capture();
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^Indexer') },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
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
