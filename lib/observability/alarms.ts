/**
 * The stage's alarms that each owner declares beside what it watches: a service's Lambda errors and
 * throttles (its stack), a table's throttles and the search domain's health (the stateful stack),
 * the API's latency (the api stack), the saga's business failures (the checkout stack). Every one
 * notifies the stage's alarm topic, and states how missing data counts and why. docs/operations.md
 * says what each means and what to check first.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { FailureReason } from '../../lambdas/orders/domain/order.ts';
import type { DomainSearchConfig, StageConfig } from '../config/stage-config.ts';
import type { ServiceManifest } from '../services/manifest.ts';
import {
  apiMetric,
  businessMetric,
  FIVE_MINUTES,
  functionNamesOf,
  lambdaMetric,
  MAX_METRICS_PER_ALARM,
  ONE_MINUTE,
  searchMetric,
  sumOf,
  type TableNames,
  tableThrottleMetrics,
} from './metrics.ts';

const FIFTEEN_MINUTES = Duration.minutes(15);

/** The failure reason of an order that failed for no reason of the buyer's. */
export const INTERNAL_FAILURE_REASON: FailureReason = 'INTERNAL';

interface StageAlarmProps {
  alarmName: string;
  alarmDescription: string;
  metric: IMetric;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData: TreatMissingData;
}

function stageAlarm(scope: Construct, id: string, props: StageAlarmProps, action?: IAlarmAction): Alarm {
  const alarm = new Alarm(scope, id, props);
  if (action) alarm.addAlarmAction(action);
  return alarm;
}

const pascal = (name: string) =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Functions whose thrown errors are answers, not failures: Lambda counts them as errors, so they
 * stay out of their service's errors alarm (the throttles alarm still covers them). What stays
 * watched: a rejected token is the authorizers' 401, while an authorizer that fails otherwise is
 * a 500 (the API's 5xx alarm) or a JWKS failure (its own alarm); the three saga steps answer a
 * buyer's outcome with a named error the ASL routes to MarkFailed, while any other error of theirs
 * ends the order FAILED with reason INTERNAL (the internal order failures alarm).
 */
export const ANSWERS_AS_ERRORS: Readonly<Record<string, string>> = {
  Authorizer: 'Unauthorized: a missing or invalid token (API Gateway answers 401)',
  OptionalAuthorizer: 'Unauthorized: an invalid token (API Gateway answers 401)',
  ValidateCart: 'PriceChanged, EmptyCart',
  ReserveInventory: 'OutOfStock',
  AuthorizePayment: 'PaymentDeclined',
};

export interface ServiceLambdaAlarms {
  /** Absent when every function of the service answers with errors. */
  errors?: Alarm;
  throttles: Alarm;
}

/**
 * One errors alarm and one throttles alarm for a service, each a metric-math sum over the service's
 * functions (by physical name), 5-minute sums. Missing data is not breaching: a function that ran
 * nothing has no errors. Throttles: any (a throttled synchronous call is a failed request; queued
 * ones wait). Errors: the stage's threshold of unexpected errors (retries absorb a stray one).
 */
export function serviceLambdaAlarms(
  scope: Construct,
  config: StageConfig,
  manifest: ServiceManifest,
  action?: IAlarmAction,
): ServiceLambdaAlarms | undefined {
  const names = functionNamesOf(config, manifest);
  if (names.size === 0) return undefined;
  if (names.size > MAX_METRICS_PER_ALARM) {
    throw new Error(
      `${manifest.service} has ${names.size} functions: a metric-math alarm reads at most ${MAX_METRICS_PER_ALARM} metrics (a CloudWatch hard limit). Split the service or its alarm.`,
    );
  }
  const sum = (metricName: string, ids: readonly string[]) =>
    sumOf(
      ids.map((id) =>
        lambdaMetric(names.get(id) as string, metricName, { statistic: 'Sum', period: FIVE_MINUTES }),
      ),
      `${manifest.service} ${metricName}`,
      FIVE_MINUTES,
      'f',
    );
  const all = [...names.keys()];
  const counted = all.filter((id) => !(id in ANSWERS_AS_ERRORS));
  const base = `${config.prefix}-${manifest.service}`;
  const idPrefix = pascal(manifest.service);
  const throttles = stageAlarm(
    scope,
    `${idPrefix}LambdaThrottlesAlarm`,
    {
      alarmName: `${base}-lambda-throttles`,
      alarmDescription: `Invocations of the ${manifest.service} functions were throttled (account or function concurrency exhausted): synchronous callers got errors, queued events wait.`,
      metric: sum('Throttles', all),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    },
    action,
  );
  const errors =
    counted.length === 0
      ? undefined
      : stageAlarm(
          scope,
          `${idPrefix}LambdaErrorsAlarm`,
          {
            alarmName: `${base}-lambda-errors`,
            alarmDescription: `The ${manifest.service} functions failed ${config.observability.lambdaErrorsPer5Min} times or more in 5 minutes (functions answering with named errors excepted: ${all.filter((id) => id in ANSWERS_AS_ERRORS).join(', ') || 'none'}).`,
            metric: sum('Errors', counted),
            threshold: config.observability.lambdaErrorsPer5Min,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          },
          action,
        );
  return { errors, throttles };
}

/**
 * A table's throttling, reads and writes, the table's and its global indexes': sustained (3 of 5
 * minutes), since the SDK retries a throttled request and a lone event is mostly invisible. Missing
 * data is not breaching: DynamoDB publishes throttle events only when there are some.
 */
export function tableThrottleAlarm(scope: Construct, table: TableNames, action?: IAlarmAction): Alarm {
  const metrics = tableThrottleMetrics(table, ['Read', 'Write'], { statistic: 'Sum', period: ONE_MINUTE });
  if (metrics.length > MAX_METRICS_PER_ALARM) {
    throw new Error(
      `${table.tableName}: ${metrics.length} throttle metrics, more than the ${MAX_METRICS_PER_ALARM} an alarm reads`,
    );
  }
  return stageAlarm(
    scope,
    `${table.id}ThrottlesAlarm`,
    {
      alarmName: `${table.tableName}-table-throttles`,
      alarmDescription: `Requests to ${table.tableName} (or its indexes) are being throttled: a hot key or a traffic jump past on-demand's headroom. Callers retry, then fail.`,
      metric: sumOf(metrics, `${table.tableName} throttle events`, ONE_MINUTE, 't'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    },
    action,
  );
}

/** FreeStorageSpace is in megabytes, per node (the domain's Minimum is its fullest node). */
export const freeStorageThresholdMb = (sizing: DomainSearchConfig) => sizing.ebsVolumeGiB * 1024 * 0.25;

interface DomainAlarmSpec {
  id: string;
  suffix: string;
  description: string;
  metricName: string;
  statistic: string;
  period: Duration;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  evaluationPeriods: number;
  treatMissingData: TreatMissingData;
}

/**
 * The search domain's alarms, AWS's recommended set for OpenSearch Service where it applies here
 * (no KMS key of ours, so no KMS alarms; dedicated masters in prod only). State metrics (status,
 * memory, storage, CPU) treat missing data as missing: the alarm shows INSUFFICIENT_DATA instead
 * of paging on a CloudWatch gap, and a domain that is gone fails searches (the API's 5xx alarm).
 * Event metrics (snapshot failure, blocked writes) treat it as not breaching.
 */
export function searchDomainAlarms(
  scope: Construct,
  domainName: string,
  sizing: DomainSearchConfig,
  action?: IAlarmAction,
): Alarm[] {
  const GTE = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  const specs: DomainAlarmSpec[] = [
    {
      id: 'SearchClusterRedAlarm',
      suffix: 'cluster-red',
      description:
        'At least one primary shard is unassigned: searches miss products and writes to that shard fail.',
      metricName: 'ClusterStatus.red',
      statistic: 'Maximum',
      period: ONE_MINUTE,
      threshold: 1,
      comparisonOperator: GTE,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.MISSING,
    },
    {
      id: 'SearchClusterYellowAlarm',
      suffix: 'cluster-yellow',
      description:
        'At least one replica shard is unassigned: the cluster would lose data with the next node.',
      metricName: 'ClusterStatus.yellow',
      statistic: 'Maximum',
      period: ONE_MINUTE,
      threshold: 1,
      comparisonOperator: GTE,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.MISSING,
    },
    {
      id: 'SearchJvmMemoryPressureAlarm',
      suffix: 'jvm-memory-pressure',
      description:
        'JVM heap above 80% for 3 minutes on a data node: garbage collection stalls searches, then the node refuses requests.',
      metricName: 'JVMMemoryPressure',
      statistic: 'Maximum',
      period: ONE_MINUTE,
      threshold: 80,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.MISSING,
    },
    {
      id: 'SearchFreeStorageAlarm',
      suffix: 'free-storage-low',
      description: `A data node has 25% or less of its ${sizing.ebsVolumeGiB} GiB volume free: at 5% OpenSearch blocks writes to the index.`,
      metricName: 'FreeStorageSpace',
      statistic: 'Minimum',
      period: ONE_MINUTE,
      threshold: freeStorageThresholdMb(sizing),
      comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.MISSING,
    },
    {
      id: 'SearchCpuAlarm',
      suffix: 'cpu-high',
      description: 'Data node CPU at 80% or more for 45 minutes: searches slow down and queue.',
      metricName: 'CPUUtilization',
      statistic: 'Maximum',
      period: FIFTEEN_MINUTES,
      threshold: 80,
      comparisonOperator: GTE,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.MISSING,
    },
    {
      id: 'SearchSnapshotFailureAlarm',
      suffix: 'snapshot-failed',
      description: 'An automated snapshot failed: the domain has no fresh backup to restore from.',
      metricName: 'AutomatedSnapshotFailure',
      statistic: 'Maximum',
      period: ONE_MINUTE,
      threshold: 1,
      comparisonOperator: GTE,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    },
    {
      id: 'SearchIndexWritesBlockedAlarm',
      suffix: 'index-writes-blocked',
      description:
        'The cluster refuses writes (storage or memory): the indexer fails, search goes stale and records reach the indexer DLQ.',
      metricName: 'ClusterIndexWritesBlocked',
      statistic: 'Maximum',
      period: FIVE_MINUTES,
      threshold: 1,
      comparisonOperator: GTE,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    },
  ];
  if (sizing.masterNodes > 0) {
    specs.push(
      {
        id: 'SearchMasterCpuAlarm',
        suffix: 'master-cpu-high',
        description:
          'Dedicated master CPU at 50% or more for 45 minutes: cluster state updates lag; consider larger masters.',
        metricName: 'MasterCPUUtilization',
        statistic: 'Maximum',
        period: FIFTEEN_MINUTES,
        threshold: 50,
        comparisonOperator: GTE,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.MISSING,
      },
      {
        id: 'SearchMasterJvmMemoryPressureAlarm',
        suffix: 'master-jvm-memory-pressure',
        description: 'Dedicated master JVM heap at 95% or more for 3 minutes: the master may fail over.',
        metricName: 'MasterJVMMemoryPressure',
        statistic: 'Maximum',
        period: ONE_MINUTE,
        threshold: 95,
        comparisonOperator: GTE,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.MISSING,
      },
    );
  }
  return specs.map((spec) =>
    stageAlarm(
      scope,
      spec.id,
      {
        alarmName: `${domainName}-${spec.suffix}`,
        alarmDescription: spec.description,
        metric: searchMetric(domainName, spec.metricName, { statistic: spec.statistic, period: spec.period }),
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator,
        evaluationPeriods: spec.evaluationPeriods,
        treatMissingData: spec.treatMissingData,
      },
      action,
    ),
  );
}

/**
 * The API's p99 latency above the stage's threshold in 3 of 5 minutes: one slow minute (cold
 * starts after a deploy or a scale-out) does not page, a slow dependency does. No requests is no
 * latency: missing data is not breaching.
 */
export function apiLatencyAlarm(
  scope: Construct,
  config: StageConfig,
  apiName: string,
  action?: IAlarmAction,
): Alarm {
  const threshold = config.observability.apiLatencyP99Ms;
  return stageAlarm(
    scope,
    'ApiLatencyP99Alarm',
    {
      alarmName: `${config.prefix}-api-latency-p99`,
      alarmDescription: `The API's p99 latency was above ${threshold} ms in 3 of the last 5 minutes.`,
      metric: apiMetric(apiName, 'Latency', { statistic: 'p99', period: ONE_MINUTE }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    },
    action,
  );
}

/**
 * The saga's business failures, from the orders service's business metrics: any order flagged for
 * attention (CompensationsFailed), and orders failed for an internal reason (not the buyer's: a
 * step's crash, timeout or exhausted retries). Both metrics are published only when it happens:
 * missing data is not breaching.
 */
export function sagaBusinessAlarms(scope: Construct, config: StageConfig, action?: IAlarmAction): Alarm[] {
  const threshold = config.observability.internalOrderFailuresPer5Min;
  return [
    stageAlarm(
      scope,
      'CompensationsFailedAlarm',
      {
        alarmName: `${config.prefix}-checkout-compensations-failed`,
        alarmDescription:
          'An order was flagged for attention: a compensation or a step after the pivot gave up. A person must settle it (see the checkout DLQ).',
        metric: businessMetric('CompensationsFailed', config, { statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
      action,
    ),
    stageAlarm(
      scope,
      'OrdersFailedInternalAlarm',
      {
        alarmName: `${config.prefix}-checkout-orders-failed-internal`,
        alarmDescription: `${threshold} or more orders failed in 5 minutes for a reason that is not the buyer's (INTERNAL): a saga step crashes, times out or runs out of retries.`,
        metric: businessMetric('OrdersFailed', config, {
          statistic: 'Sum',
          period: FIVE_MINUTES,
          by: INTERNAL_FAILURE_REASON,
        }),
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
      action,
    ),
  ];
}
