/**
 * The stage's operations dashboard (`<prefix>-operations`), organised like the code: the alarms,
 * the API, the checkout saga with its business metrics, every service's functions, the tables,
 * the search domain, the dead-letter queues. Built last, from physical names only (read as plain
 * strings from the other stacks' constructs and manifests): it imports nothing, so it deploys,
 * changes and goes away without touching another stack. Stages with alarms only.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  CfnAlarm,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IMetric,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUSINESS_METRICS, type BusinessMetricName } from '../../lambdas/shared/business-metrics.ts';
import type { DomainSearchConfig, StageConfig } from '../config/stage-config.ts';
import { ANSWERS_AS_ERRORS, freeStorageThresholdMb } from '../observability/alarms.ts';
import {
  apiMetric,
  businessMetric,
  businessMetricBy,
  FIVE_MINUTES,
  functionNameOf,
  functionNamesOf,
  lambdaMetric,
  literalName,
  ONE_MINUTE,
  queueMetric,
  searchMetric,
  stateMachineMetric,
  sumOf,
  tableMetric,
  tablesUnder,
  tableThrottleMetrics,
} from '../observability/metrics.ts';
import { checkoutMachineName } from '../services/orders/orders-stack.ts';
import { servicesOf } from '../services/registry.ts';
import { search } from '../services/search/search-stack.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { identity } from './user-pool.ts';

/** The dashboard's sections, in order: each opens with a text widget `## <section>`. */
export const DASHBOARD_SECTIONS = [
  'Alarms',
  'API',
  'Checkout saga',
  'Lambda functions by service',
  'DynamoDB tables',
  'OpenSearch',
  'Dead-letter queues',
] as const;
type Section = (typeof DASHBOARD_SECTIONS)[number];

/** An alarm status widget lists at most 100 alarms. */
const ALARMS_PER_WIDGET = 100;

export interface DashboardStackProps extends StackProps {
  config: StageConfig;
  /** Where the tables and the search domain are. */
  stateful: StatefulStack;
  /** Every other stack of the stage: their alarms and dead-letter queues are shown. */
  observed: readonly Stack[];
  /** The REST API's name (`ApiName` of its metrics). */
  restApiName: string;
}

export class DashboardStack extends Stack {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const stacks = [stateful, ...props.observed.filter((s) => s !== stateful)];
    this.dashboard = new Dashboard(this, 'Operations', {
      dashboardName: `${config.prefix}-operations`,
      defaultInterval: Duration.hours(3),
    });
    const section = (title: Section, ...rows: IWidget[][]) => {
      this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: 24, height: 1 }));
      for (const row of rows) this.dashboard.addWidgets(...row);
    };

    section('Alarms', ...this.alarmRows(stacks));
    section('API', this.apiRow(props.restApiName, config));
    section('Checkout saga', ...this.sagaRows(config));
    section('Lambda functions by service', ...this.lambdaRows(config));
    section('DynamoDB tables', this.tableRow(stateful));
    if (config.search.kind === 'domain' && stateful.search.kind === 'domain') {
      section('OpenSearch', ...this.searchRows(config, config.search, stateful.search.domainName));
    }
    section('Dead-letter queues', this.deadLetterRow(stacks, config));
  }

  /** Every alarm of the stage, by name (alarm ARNs built here: no reference to their stacks). */
  private alarmRows(stacks: readonly Stack[]): IWidget[][] {
    const names = stacks
      .flatMap((s) => s.node.findAll())
      .filter((c): c is CfnAlarm => c instanceof CfnAlarm)
      .map((a) => literalName(a.alarmName, a.node.path))
      .sort();
    const rows: IWidget[][] = [];
    for (let i = 0; i < names.length; i += ALARMS_PER_WIDGET) {
      const chunk = names.slice(i, i + ALARMS_PER_WIDGET);
      rows.push([
        new AlarmStatusWidget({
          title: `Alarms ${i + 1}-${i + chunk.length} of ${names.length}, most recently changed first`,
          alarms: chunk.map((name, j) => Alarm.fromAlarmName(this, `Watched${i + j}`, name)),
          sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
          width: 24,
          height: 8,
        }),
      ]);
    }
    return rows;
  }

  private apiRow(apiName: string, config: StageConfig): IWidget[] {
    const api = (metricName: string, statistic: string, label: string) =>
      apiMetric(apiName, metricName, { statistic, period: ONE_MINUTE, label });
    return [
      graph('API: requests', [api('Count', 'Sum', 'requests')]),
      graph('API: client and server errors', [api('4XXError', 'Sum', '4xx'), api('5XXError', 'Sum', '5xx')]),
      graph('API: latency (ms)', [api('Latency', 'p50', 'p50'), api('Latency', 'p99', 'p99')], {
        annotations: [{ value: config.observability.apiLatencyP99Ms, label: 'p99 alarm' }],
      }),
    ];
  }

  private sagaRows(config: StageConfig): IWidget[][] {
    const machine = checkoutMachineName(config.prefix);
    const executions = (metricName: string, label: string) =>
      stateMachineMetric(machine, metricName, { statistic: 'Sum', period: FIVE_MINUTES, label });
    const business = (name: BusinessMetricName, service?: string) =>
      businessMetric(name, config, {
        statistic: 'Sum',
        period: FIVE_MINUTES,
        service,
        label: service ? `${name} (${service})` : name,
      });
    return [
      [
        graph('Checkout: executions', [
          executions('ExecutionsStarted', 'started'),
          executions('ExecutionsSucceeded', 'succeeded'),
          executions('ExecutionsFailed', 'failed'),
          executions('ExecutionsTimedOut', 'timed out'),
        ]),
        graph('Checkout: orders placed and failed', [business('OrdersPlaced'), business('OrdersFailed')]),
        graph('Checkout: orders failed by reason', [
          businessMetricBy('OrdersFailed', config, { statistic: 'Sum', period: FIVE_MINUTES }),
        ]),
      ],
      [
        graph(
          'Checkout: payments declined and compensations',
          [
            business('PaymentsDeclined'),
            ...BUSINESS_METRICS.CompensationsRun.services.map((service) =>
              business('CompensationsRun', service),
            ),
            business('CompensationsFailed'),
          ],
          { width: 12 },
        ),
        graph('Inventory: expired holds reaped', [business('ReservationsReaped')], { width: 12 }),
      ],
    ];
  }

  /** One row per service with functions: errors, throttles, p99 duration, concurrency, a line per function. */
  private lambdaRows(config: StageConfig): IWidget[][] {
    // The user pool's trigger (identity) beside the services, where the stage has it.
    return [...servicesOf(config.stage), ...(config.auth.adminMfa ? [identity] : [])]
      .filter((manifest) => Object.keys(manifest.functions).length > 0)
      .map((manifest) => {
        const names = [...functionNamesOf(config, manifest)];
        const each = (metricName: string, statistic: string) =>
          names.map(([fid, name]) =>
            lambdaMetric(name, metricName, { statistic, period: FIVE_MINUTES, label: fid }),
          );
        const title = (what: string) => `${manifest.service}: ${what}`;
        // Named-error answers (401s, declined cards...) count as Lambda errors: say so where they show.
        const answers = names.filter(([fid]) => fid in ANSWERS_AS_ERRORS).map(([fid]) => fid);
        const errors = answers.length > 0 ? `errors (${answers.join(', ')}: answers included)` : 'errors';
        return [
          graph(title(errors), each('Errors', 'Sum'), { width: 6 }),
          graph(title('throttles'), each('Throttles', 'Sum'), { width: 6 }),
          graph(title('duration p99 (ms)'), each('Duration', 'p99'), { width: 6 }),
          graph(title('concurrent executions'), each('ConcurrentExecutions', 'Maximum'), { width: 6 }),
        ];
      });
  }

  /** Per table: consumed capacity (left) and throttle events, the indexes' included (right). */
  private tableRow(stateful: StatefulStack): IWidget[] {
    return tablesUnder(stateful).map((table) => {
      const options = { statistic: 'Sum', period: FIVE_MINUTES };
      return new GraphWidget({
        title: table.tableName,
        left: [
          tableMetric(table.tableName, 'ConsumedReadCapacityUnits', { ...options, label: 'read units' }),
          tableMetric(table.tableName, 'ConsumedWriteCapacityUnits', { ...options, label: 'write units' }),
        ],
        right: [
          sumOf(tableThrottleMetrics(table, ['Read'], options), 'read throttles', FIVE_MINUTES, 'r'),
          sumOf(tableThrottleMetrics(table, ['Write'], options), 'write throttles', FIVE_MINUTES, 'w'),
        ],
        width: 8,
        height: 6,
      });
    });
  }

  private searchRows(config: StageConfig, sizing: DomainSearchConfig, domainName: string): IWidget[][] {
    const domain = (metricName: string, statistic: string, label: string, period = ONE_MINUTE) =>
      searchMetric(domainName, metricName, { statistic, period, label });
    const indexer = functionNameOf(config, search.functions.Indexer.name);
    const lag = (statistic: string) =>
      businessMetric('IndexLagMs', config, { statistic, period: FIVE_MINUTES, label: statistic });
    return [
      [
        graph('OpenSearch: cluster status', [
          domain('ClusterStatus.red', 'Maximum', 'red'),
          domain('ClusterStatus.yellow', 'Maximum', 'yellow'),
        ]),
        graph(
          'OpenSearch: JVM memory pressure (%)',
          [
            domain('JVMMemoryPressure', 'Maximum', 'data nodes'),
            ...(sizing.masterNodes > 0 ? [domain('MasterJVMMemoryPressure', 'Maximum', 'masters')] : []),
          ],
          { annotations: [{ value: 80, label: 'alarm' }] },
        ),
        graph(
          'OpenSearch: free storage, fullest node (MB)',
          [domain('FreeStorageSpace', 'Minimum', 'free')],
          {
            annotations: [{ value: freeStorageThresholdMb(sizing), label: '25% of the volume' }],
          },
        ),
      ],
      [
        graph('OpenSearch: search latency (ms)', [
          domain('SearchLatency', 'Average', 'average', FIVE_MINUTES),
          domain('SearchLatency', 'Maximum', 'maximum', FIVE_MINUTES),
        ]),
        graph('Search: index lag, table to index (ms)', [lag('p50'), lag('p99'), lag('Maximum')]),
        graph(
          'Search: indexer iterator age (ms)',
          [
            lambdaMetric(indexer, 'IteratorAge', {
              statistic: 'Maximum',
              period: ONE_MINUTE,
              label: 'maximum',
            }),
          ],
          { annotations: [{ value: 60_000, label: 'alarm' }] },
        ),
      ],
    ];
  }

  /** Every dead-letter queue of the stage (queues named `*-dlq`), visible messages. */
  private deadLetterRow(stacks: readonly Stack[], config: StageConfig): IWidget[] {
    const names = stacks
      .flatMap((s) => s.node.findAll())
      .filter((c): c is CfnQueue => c instanceof CfnQueue)
      .map((q) => literalName(q.queueName, q.node.path))
      .filter((name) => name.endsWith('-dlq'))
      .sort();
    return [
      graph(
        'Dead-letter queues: visible messages',
        names.map((name) =>
          queueMetric(name, 'ApproximateNumberOfMessagesVisible', {
            statistic: 'Maximum',
            period: ONE_MINUTE,
            label: name.slice(config.prefix.length + 1),
          }),
        ),
        { width: 24 },
      ),
    ];
  }
}

function graph(
  title: string,
  left: IMetric[],
  options: { width?: number; annotations?: HorizontalAnnotation[] } = {},
): GraphWidget {
  return new GraphWidget({
    title,
    left,
    leftAnnotations: options.annotations,
    width: options.width ?? 8,
    height: 6,
  });
}
