/**
 * The metrics the alarms and the operations dashboard read, built from physical names (function
 * `<prefix>-<name>`, table, queue, state machine, domain, API) rather than from constructs: the
 * same builder serves a resource's own stack and the dashboard stack, which then needs no
 * cross-stack reference. Only pseudo parameters (account, region, partition) stay tokens.
 */
import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';
import {
  BUSINESS_METRICS,
  type BusinessMetricName,
  METRICS_NAMESPACE,
} from '../../lambdas/shared/business-metrics.ts';
import type { StageConfig } from '../config/stage-config.ts';
import type { ServiceManifest } from '../services/manifest.ts';

export const ONE_MINUTE = Duration.minutes(1);
export const FIVE_MINUTES = Duration.minutes(5);

/** CloudWatch's hard limit on the metrics one metric-math alarm may read. */
export const MAX_METRICS_PER_ALARM = 10;

interface MetricOptions {
  statistic: string;
  period?: Duration;
  label?: string;
}

const metric = (
  namespace: string,
  metricName: string,
  dimensionsMap: Record<string, string>,
  { statistic, period = FIVE_MINUTES, label }: MetricOptions,
) => new Metric({ namespace, metricName, dimensionsMap, statistic, period, label });

/** `<prefix>-<name>`, as ServiceFunction names the function. */
export const functionNameOf = (config: StageConfig, name: string) => `${config.prefix}-${name}`;

/** A service's functions: id -> physical name. */
export function functionNamesOf(config: StageConfig, manifest: ServiceManifest): Map<string, string> {
  return new Map(
    Object.entries(manifest.functions).map(([id, spec]) => [id, functionNameOf(config, spec.name)]),
  );
}

export const lambdaMetric = (functionName: string, metricName: string, options: MetricOptions) =>
  metric('AWS/Lambda', metricName, { FunctionName: functionName }, options);

export const queueMetric = (queueName: string, metricName: string, options: MetricOptions) =>
  metric('AWS/SQS', metricName, { QueueName: queueName }, options);

/** REST API metrics by API name: one stage per API, so the name alone is the stage. */
export const apiMetric = (apiName: string, metricName: string, options: MetricOptions) =>
  metric('AWS/ApiGateway', metricName, { ApiName: apiName }, options);

export const tableMetric = (tableName: string, metricName: string, options: MetricOptions, index?: string) =>
  metric(
    'AWS/DynamoDB',
    metricName,
    index ? { TableName: tableName, GlobalSecondaryIndexName: index } : { TableName: tableName },
    options,
  );

/** Step Functions metrics are keyed by the state machine's ARN, built here from its name. */
export const stateMachineMetric = (machineName: string, metricName: string, options: MetricOptions) =>
  metric(
    'AWS/States',
    metricName,
    {
      StateMachineArn: `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${machineName}`,
    },
    options,
  );

/** Domain-level OpenSearch metrics (`AWS/ES`, dimensions DomainName and ClientId = the account). */
export const searchMetric = (domainName: string, metricName: string, options: MetricOptions) =>
  metric('AWS/ES', metricName, { DomainName: domainName, ClientId: Aws.ACCOUNT_ID }, options);

/**
 * A business metric as its emitters publish it (dimensions `service` and `stage`); `by` adds the
 * metric's extra dimension with one value (e.g. OrdersFailed by reason INTERNAL).
 */
export function businessMetric(
  name: BusinessMetricName,
  config: StageConfig,
  options: MetricOptions & { service?: string; by?: string },
): Metric {
  const spec = BUSINESS_METRICS[name];
  const service = options.service ?? spec.services[0];
  const extra: Record<string, string> = {};
  if (options.by !== undefined) {
    if (!('by' in spec)) throw new Error(`business metric ${name} has no extra dimension`);
    extra[spec.by] = options.by;
  }
  return metric(METRICS_NAMESPACE, name, { service, stage: config.stage, ...extra }, options);
}

/** Every value of a business metric's `by` dimension, one line each (a dashboard SEARCH). */
export function businessMetricBy(
  name: BusinessMetricName,
  config: StageConfig,
  { statistic, period = FIVE_MINUTES }: MetricOptions,
): SearchExpression {
  const spec = BUSINESS_METRICS[name];
  if (!('by' in spec)) throw new Error(`business metric ${name} has no extra dimension`);
  const service = spec.services[0];
  const schema = [METRICS_NAMESPACE, spec.by, 'service', 'stage'].join(',');
  const query = `{${schema}} MetricName="${name}" service="${service}" stage="${config.stage}"`;
  return new SearchExpression({
    expression: `SEARCH('${query}', '${statistic}', ${period.toSeconds()})`,
    label: `\${PROP('Dim.${spec.by}')}`,
    period,
  });
}

/**
 * The sum of several metrics as one series (`SUM([m0, m1...])`; a metric without data adds
 * nothing). `id` prefixes the metrics' ids, which must differ between expressions of one graph.
 */
export function sumOf(
  metrics: readonly IMetric[],
  label: string,
  period = FIVE_MINUTES,
  id = 'm',
): MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`${id}${i}`, m]));
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics).join(',')}])`,
    usingMetrics,
    label,
    period,
  });
}

/** A physical name given as a plain string (never a token), read from an L1 property. */
export function literalName(value: unknown, what: string): string {
  if (typeof value !== 'string' || Token.isUnresolved(value)) {
    throw new Error(`${what} needs a physical name given as a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export interface TableNames {
  /** Construct id of the table (`ProductsTable`). */
  id: string;
  tableName: string;
  globalIndexes: string[];
}

/** The tables declared under `scope`, with their global secondary indexes, by physical name. */
export function tablesUnder(scope: IConstruct): TableNames[] {
  return scope.node
    .findAll()
    .filter((c): c is CfnTable => c instanceof CfnTable)
    .map((cfn) => {
      const indexes = Stack.of(cfn).resolve(cfn.globalSecondaryIndexes) as
        | { indexName: string }[]
        | undefined;
      return {
        id: cfn.node.scope?.node.id ?? cfn.node.id,
        tableName: literalName(cfn.tableName, cfn.node.path),
        globalIndexes: (indexes ?? []).map((i) => literalName(i.indexName, `${cfn.node.path} index`)),
      };
    });
}

/**
 * A table's read and write throttle events, the table's and each global index's (a throttled
 * index throttles the table's writes): one metric per (kind, table or index).
 */
export function tableThrottleMetrics(
  table: TableNames,
  kinds: readonly ('Read' | 'Write')[],
  options: MetricOptions,
): Metric[] {
  return kinds.flatMap((kind) => [
    tableMetric(table.tableName, `${kind}ThrottleEvents`, options),
    ...table.globalIndexes.map((index) =>
      tableMetric(table.tableName, `${kind}ThrottleEvents`, options, index),
    ),
  ]);
}
