/**
 * Search: the products stream feeds the indexer, which keeps the OpenSearch index; search and
 * suggest read it. The index is created at deploy time, and in a domain the functions' roles are
 * mapped into FGAC first.
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IRole } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from '../../constructs/service-function.ts';
import { type Handoff, receive } from '../../stacks/handoff.ts';
import type { SearchTarget } from '../../stacks/stateful-stack.ts';
import { defineService } from '../manifest.ts';
import { ServiceStack, type ServiceStackProps } from '../service-stack.ts';
import { bindSearch, READ_REASON, SEARCH_INDEX, searchEndpoint } from './search-access.ts';

const handlers = 'lambdas/search/handlers';

export const search = defineService({
  service: 'search',
  functions: {
    Search: { entry: `${handlers}/search.handler.ts`, name: 'search' },
    Suggest: { entry: `${handlers}/suggest.handler.ts`, name: 'suggest' },
    Indexer: { entry: `${handlers}/indexer.handler.ts`, name: 'indexer', timeout: Duration.seconds(60) },
    // Run by hand (`npm run search:reindex`) when the indexer DLQ alarms: rebuilds the index from
    // the table and clears the DLQ messages it was run for (docs/operations.md).
    SearchReindex: {
      entry: `${handlers}/reindex.handler.ts`,
      name: 'search-reindex',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      description: 'Reindexes every product from the table, deletes orphans, clears the indexer DLQ',
    },
    // Creates the index and alias at deploy time (custom resource below), as the indexer would on
    // its first batch; the first product write is then searchable as fast as any other.
    SearchIndexSetup: {
      entry: `${handlers}/index-setup.handler.ts`,
      name: 'search-index-setup',
      timeout: Duration.minutes(2),
      description: 'Custom resource: creates the products search index and alias',
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/search',
      fn: 'Search',
      access: { public: 'Public search route: shoppers search without signing in.' },
    },
    {
      method: 'GET',
      path: '/search/suggest',
      fn: 'Suggest',
      access: { public: 'Public autocomplete route for the search box.' },
    },
  ],
});

export interface SearchStackProps extends ServiceStackProps {
  productsTable: ITable;
  /** The products stream's ARN (deployed stages read it from SSM). */
  productsStream: Handoff;
  indexerDlq: IQueue;
  search: SearchTarget;
  /** Roles of other services that read the index (Health), mapped to store_reader with ours. */
  otherReaderRoles: IRole[];
  alarmAction?: IAlarmAction;
}

export class SearchStack extends ServiceStack<keyof typeof search.functions> {
  constructor(scope: Construct, id: string, props: SearchStackProps) {
    super(scope, id, search, props);
    const { config } = props;
    const target = props.search;
    const f = this.functions;
    // A replica per extra data node: every node holds the index, so every node serves searches
    // (staging's single node gets none, which keeps its cluster green).
    const replicas = config.search.kind === 'domain' ? config.search.dataNodes - 1 : 0;
    for (const fn of [f.Search, f.Suggest, f.Indexer, f.SearchIndexSetup, f.SearchReindex])
      fn.addEnvironment('SEARCH_INDEX', SEARCH_INDEX);
    for (const fn of [f.Indexer, f.SearchIndexSetup, f.SearchReindex])
      fn.addEnvironment('SEARCH_REPLICAS', String(replicas));
    // _search and suggestions are POSTs with a query body, hence ESHttpPost for the readers.
    bindSearch(f.Search, target, ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'], READ_REASON);
    bindSearch(f.Suggest, target, ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'], READ_REASON);
    bindSearch(
      f.Indexer,
      target,
      ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
      'The indexer creates the versioned index, moves the alias and bulk-writes documents in this one domain; FGAC role store_writer limits it to the products* indices.',
    );
    // Bulk writes and deletes are POSTs; GET, HEAD and PUT create the index if it is gone.
    bindSearch(
      f.SearchReindex,
      target,
      ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
      'The reindex lists, bulk-writes and bulk-deletes documents (and creates the index if it is missing) in this one domain; FGAC role store_writer limits it to the products* indices.',
    );
    // The only Scan on the products table: reading every product is the point of a reindex.
    f.SearchReindex.bindTable(props.productsTable, 'PRODUCTS_TABLE', { actions: ['dynamodb:Scan'] });
    // It receives the DLQ's messages before it starts and deletes them once the index is whole.
    f.SearchReindex.addEnvironment('INDEXER_DLQ_URL', props.indexerDlq.queueUrl);
    Grant.addToPrincipal({
      grantee: f.SearchReindex.fn,
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      resourceArns: [props.indexerDlq.queueArn],
    });
    bindSearch(
      f.SearchIndexSetup,
      target,
      ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut'],
      'Creates the versioned products index and its alias in this one domain at deploy time; FGAC role store_writer limits it to the products* indices.',
    );

    // Stream -> indexer. Partial batch failures and bisection isolate a bad record; after the
    // retries it goes to the DLQ (with an alarm) instead of blocking the shard.
    // The stream ARN comes from the stateful side's SSM parameter, resolved at deploy time, not from
    // an export: an export in use blocks replacing the stream (lib/stacks/handoff.ts).
    const streamSource = Table.fromTableAttributes(this, 'ProductsStream', {
      tableArn: props.productsTable.tableArn,
      tableStreamArn: receive(this, props.productsStream),
    });
    f.Indexer.fn.addEventSource(
      new DynamoEventSource(streamSource, {
        // From the oldest record still in the stream: nothing written before the mapping existed is lost.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(props.indexerDlq),
        // Only products: SKU claims change with them and carry nothing to index.
        filters: [
          FilterCriteria.filter({ dynamodb: { Keys: { pk: { S: FilterRule.beginsWith('PRODUCT#') } } } }),
        ],
      }),
    );

    let roleMapping: CustomResource | undefined;
    if (target.kind === 'domain') {
      // Maps the roles into OpenSearch. Runs as the FGAC master role, whose policy (in the
      // stateful stack) already covers this function's log group, so the function adds none.
      const mapper = new ServiceFunction(this, 'SearchRoleMapping', {
        config,
        entry: 'lib/search-access/role-mapping.handler.ts',
        name: 'search-role-mapping',
        service: 'search',
        role: target.adminRole,
        tracing: false,
        timeout: Duration.minutes(2),
        description: 'Custom resource: maps function roles to OpenSearch FGAC roles',
      });
      if (mapper.functionName !== target.adminFunctionName) {
        throw new Error(
          `role-mapping function is ${mapper.functionName}, the stateful stack granted ${target.adminFunctionName}`,
        );
      }
      roleMapping = new CustomResource(this, 'SearchRoleMappingResource', {
        serviceToken: mapper.fn.functionArn,
        resourceType: 'Custom::SearchRoleMapping',
        properties: {
          Endpoint: searchEndpoint(this, target),
          IndexPattern: `${SEARCH_INDEX}*`,
          WriterRoleArns: [
            f.Indexer.role.roleArn,
            f.SearchIndexSetup.role.roleArn,
            f.SearchReindex.role.roleArn,
          ],
          ReaderRoleArns: [
            f.Search.role.roleArn,
            f.Suggest.role.roleArn,
            ...props.otherReaderRoles.map((r) => r.roleArn),
          ],
        },
      });
    }

    const searchIndex = new CustomResource(this, 'SearchIndex', {
      serviceToken: f.SearchIndexSetup.fn.functionArn,
      resourceType: 'Custom::SearchIndex',
      // A new mapping version (index name) re-runs the setup on deploy.
      properties: { Alias: SEARCH_INDEX, Index: `${SEARCH_INDEX}-v1`, Replicas: replicas },
    });
    // In a domain the setup role can write only once FGAC maps it.
    if (roleMapping) searchIndex.node.addDependency(roleMapping);

    if (config.alarms) {
      const lagging = new Alarm(this, 'IndexerIteratorAgeAlarm', {
        alarmName: `${config.prefix}-indexer-lagging`,
        alarmDescription: 'The indexer is more than a minute behind the products stream: search is stale.',
        metric: f.Indexer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 60_000,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmAction) lagging.addAlarmAction(props.alarmAction);
    }
  }
}
