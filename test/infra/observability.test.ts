/**
 * The stage's alarms and its operations dashboard, across every stack of the app: each dead-letter
 * queue alarmed exactly once, each service's functions under its errors and throttles alarms, each
 * table under a throttle alarm, the search domain's alarms with their thresholds, every alarm to
 * the stage's topic; the dashboard's sections and the metrics they read. None of it in stage local.
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureReasonOf } from '../../lambdas/orders/domain/order.ts';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from '../../lambdas/shared/business-metrics.ts';
import { type DomainSearchConfig, stageConfig } from '../../lib/config/stage-config.ts';
import { ANSWERS_AS_ERRORS, freeStorageThresholdMb } from '../../lib/observability/alarms.ts';
import { CHECKOUT_ASL } from '../../lib/services/checkout/checkout-stack.ts';
import { servicesOf } from '../../lib/services/registry.ts';
import { DASHBOARD_SECTIONS } from '../../lib/stacks/dashboard-stack.ts';
import { auth } from '../../lib/stacks/platform-stack.ts';
import { identity } from '../../lib/stacks/user-pool.ts';
import { type CfnTemplate, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

type Ref = { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::ImportValue'?: string } | string;
type Props = Record<string, unknown>;

interface Located {
  stack: string;
  id: string;
  props: Props;
}

/** `stack/logicalId` of what a Ref, GetAtt or ImportValue (through the exporting stack) points at. */
function resolver(s: SynthesizedStage) {
  const exported = new Map<string, { stack: string; value: Ref }>();
  for (const [stack, t] of Object.entries(s.templates)) {
    for (const output of Object.values(t.Outputs ?? {}) as { Value: Ref; Export?: { Name: string } }[]) {
      if (output.Export) exported.set(output.Export.Name, { stack, value: output.Value });
    }
  }
  const resolve = (stack: string, ref: Ref): string | undefined => {
    if (typeof ref === 'string') return undefined;
    if (ref.Ref) return `${stack}/${ref.Ref}`;
    if (ref['Fn::GetAtt']) return `${stack}/${ref['Fn::GetAtt'][0]}`;
    const target = ref['Fn::ImportValue'] ? exported.get(ref['Fn::ImportValue']) : undefined;
    return target ? resolve(target.stack, target.value) : undefined;
  };
  return resolve;
}

function all(s: SynthesizedStage, type: string): Located[] {
  return Object.entries(s.templates).flatMap(([stack, t]) =>
    resourcesOf(t, type).map(([id, r]) => ({ stack, id, props: r.Properties })),
  );
}

interface AlarmMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, unknown>;
  stat?: string;
}

/** The metrics an alarm reads: its one metric, or every MetricStat of its metric math. */
function metricsOf(alarm: Props): { metrics: AlarmMetric[]; expression?: string; ids?: string[] } {
  const dims = (list: unknown) =>
    Object.fromEntries(
      ((list as { Name: string; Value: unknown }[] | undefined) ?? []).map((d) => [d.Name, d.Value]),
    );
  if (alarm.Metrics) {
    const queries = alarm.Metrics as {
      Id: string;
      Expression?: string;
      ReturnData?: boolean;
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown }; Stat: string };
    }[];
    const expression = queries.find((q) => q.ReturnData !== false && q.Expression)?.Expression;
    const metrics = queries.flatMap((q) =>
      q.MetricStat
        ? [
            {
              id: q.Id,
              namespace: q.MetricStat.Metric.Namespace,
              metricName: q.MetricStat.Metric.MetricName,
              dimensions: dims(q.MetricStat.Metric.Dimensions),
              stat: q.MetricStat.Stat,
            },
          ]
        : [],
    );
    return { metrics, expression, ids: metrics.map((m) => m.id) };
  }
  return {
    metrics: [
      {
        namespace: String(alarm.Namespace),
        metricName: String(alarm.MetricName),
        dimensions: dims(alarm.Dimensions),
        stat: (alarm.Statistic ?? alarm.ExtendedStatistic) as string | undefined,
      },
    ],
  };
}

/** The metrics of a metric-math alarm that sums every metric it reads. */
function summed(alarm: Props): AlarmMetric[] {
  const { metrics, expression, ids } = metricsOf(alarm);
  expect(expression, String(alarm.AlarmName)).toBe(`SUM([${(ids ?? []).join(',')}])`);
  return metrics;
}

/** The dashboard body: its Fn::Join with every token (pseudo parameters) as `<token>`. */
function dashboardBody(t: CfnTemplate): { widgets: { type: string; properties: Props }[] } {
  const [dashboard, ...others] = resourcesOf(t, 'AWS::CloudWatch::Dashboard');
  expect(others).toEqual([]);
  const body = dashboard?.[1].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      // Only pseudo parameters: the dashboard refers to no resource of any stack.
      expect(part).toEqual({ Ref: expect.stringMatching(/^AWS::(Region|AccountId|Partition)$/) });
      return '<token>';
    })
    .join('');
  return JSON.parse(text) as { widgets: { type: string; properties: Props }[] };
}

interface DashboardMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat?: string;
  title: string;
}

function dashboardMetrics(body: ReturnType<typeof dashboardBody>): {
  metrics: DashboardMetric[];
  expressions: string[];
} {
  const metrics: DashboardMetric[] = [];
  const expressions: string[] = [];
  for (const w of body.widgets) {
    for (const entry of (w.properties.metrics as unknown[][] | undefined) ?? []) {
      const last = entry[entry.length - 1] as { stat?: string; expression?: string };
      if (typeof entry[0] !== 'string') {
        expressions.push(String(last.expression));
        continue;
      }
      const [namespace, metricName, ...rest] = entry as string[];
      const pairs = rest.slice(0, rest.length - 1);
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
      metrics.push({
        namespace: namespace as string,
        metricName: metricName as string,
        dimensions,
        stat: last.stat,
        title: String(w.properties.title),
      });
    }
  }
  return { metrics, expressions };
}

/**
 * Every dead-letter destination in the app, by queue `stack/logicalId`: redrive targets of queues,
 * on-failure destinations of event source mappings and async invocations, function and rule-target
 * DLQs, and the queues a state machine sends its failures to.
 */
function deadLetterQueues(s: SynthesizedStage): Map<string, string> {
  const resolve = resolver(s);
  const targets = new Set<string>();
  const add = (stack: string, ref: unknown) => {
    const found = ref === undefined ? undefined : resolve(stack, ref as Ref);
    if (found) targets.add(found);
  };
  for (const q of all(s, 'AWS::SQS::Queue'))
    add(
      q.stack,
      (q.props.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn,
    );
  for (const type of ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig']) {
    for (const m of all(s, type)) {
      const config = m.props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined;
      add(m.stack, config?.OnFailure?.Destination);
    }
  }
  for (const f of all(s, 'AWS::Lambda::Function'))
    add(f.stack, (f.props.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn);
  for (const r of all(s, 'AWS::Events::Rule'))
    for (const target of (r.props.Targets as { DeadLetterConfig?: { Arn?: unknown } }[] | undefined) ?? [])
      add(r.stack, target.DeadLetterConfig?.Arn);
  for (const m of all(s, 'AWS::StepFunctions::StateMachine'))
    for (const value of Object.values((m.props.DefinitionSubstitutions as Props | undefined) ?? {}))
      add(m.stack, value);
  const queues = new Map(
    all(s, 'AWS::SQS::Queue').map((q) => [`${q.stack}/${q.id}`, String(q.props.QueueName)]),
  );
  return new Map([...targets].filter((t) => queues.has(t)).map((t) => [t, queues.get(t) as string]));
}

describe.each(['staging', 'prod'] as const)('alarms and dashboard, stage %s', (stage) => {
  // The services' functions, and the user pool's trigger beside them.
  const alarmedServices = [...servicesOf(stage), identity];
  let s: SynthesizedStage;
  let alarms: Located[];
  let topic: string;
  const config = stageConfig(stage);
  const prefix = `store-${stage}`;
  const sizing = config.search as DomainSearchConfig;
  const alarm = (name: string) => {
    const found = alarms.filter((a) => a.props.AlarmName === `${prefix}-${name}`);
    expect(
      found.map((a) => a.props.AlarmName),
      name,
    ).toHaveLength(1);
    return found[0]?.props as Props;
  };
  beforeAll(async () => {
    s = await synthesizeStage(stage);
    alarms = all(s, 'AWS::CloudWatch::Alarm');
    const [topicId] = resourcesOf(s.statefulJson, 'AWS::SNS::Topic').map(([id]) => id);
    topic = `${s.statefulStackName}/${topicId}`;
  });

  it('sends every alarm, with a description and a stated treatment of missing data, to the stage topic only', () => {
    const resolve = resolver(s);
    const names = alarms.map((a) => String(a.props.AlarmName));
    expect(new Set(names).size).toBe(names.length);
    for (const a of alarms) {
      const name = String(a.props.AlarmName);
      expect(name.startsWith(`${prefix}-`), name).toBe(true);
      const actions = a.props.AlarmActions as Ref[];
      expect(actions, name).toHaveLength(1);
      expect(resolve(a.stack, actions[0] as Ref), name).toBe(topic);
      expect(['breaching', 'notBreaching', 'ignore', 'missing'], name).toContain(a.props.TreatMissingData);
      expect(String(a.props.AlarmDescription).length, name).toBeGreaterThan(20);
    }
  });

  it('alarms exactly once on every dead-letter queue of the app not being empty', () => {
    const dlqs = deadLetterQueues(s);
    // The scan finds every kind: subscription redrive targets, the stream's on-failure queue, the saga's.
    expect([...dlqs.values()]).toEqual(
      expect.arrayContaining([
        `${prefix}-indexer-dlq`,
        `${prefix}-checkout-dlq`,
        `${prefix}-notifications-notify-dlq`,
      ]),
    );
    // The naming the dashboard relies on: every dead-letter queue, and only those, ends in -dlq.
    const named = all(s, 'AWS::SQS::Queue')
      .map((q) => String(q.props.QueueName))
      .filter((n) => n.endsWith('-dlq'));
    expect([...dlqs.values()].sort()).toEqual(named.sort());
    const resolve = resolver(s);
    for (const [queue, name] of dlqs) {
      const watching = alarms.filter((a) => {
        const [m] = metricsOf(a.props).metrics;
        return (
          m?.namespace === 'AWS/SQS' &&
          m.metricName === 'ApproximateNumberOfMessagesVisible' &&
          resolve(a.stack, m.dimensions.QueueName as Ref) === queue
        );
      });
      expect(
        watching.map((a) => a.props.AlarmName),
        name,
      ).toEqual([`${name}-not-empty`]);
      expect(watching[0]?.props, name).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Period: 60,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('keeps out of the errors alarms exactly the functions that answer with named errors', () => {
    // The saga steps whose not-retried errors are a buyer's outcome (a failure reason other than INTERNAL).
    const asl = JSON.parse(readFileSync(CHECKOUT_ASL, 'utf8')) as {
      States: Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[] }>;
    };
    const outcomeSteps = Object.entries(asl.States)
      .filter(([, state]) =>
        (state.Retry ?? [])
          .filter((r) => r.MaxAttempts === 0)
          .some((r) => r.ErrorEquals.some((e) => failureReasonOf({ Error: e }) !== 'INTERNAL')),
      )
      .map(([name]) => name);
    expect(outcomeSteps.sort()).toEqual(['AuthorizePayment', 'ReserveInventory', 'ValidateCart']);
    // And the authorizers, whose `Unauthorized` is API Gateway's 401.
    expect(Object.keys(ANSWERS_AS_ERRORS).sort()).toEqual(
      [...Object.keys(auth.functions), ...outcomeSteps].sort(),
    );
  });

  it("alarms on each service's Lambda errors and throttles, one sum over all its functions each", () => {
    for (const manifest of alarmedServices) {
      const names = Object.entries(manifest.functions).map(([id, spec]) => ({
        id,
        name: `${prefix}-${spec.name}`,
      }));
      const base = `${manifest.service}-lambda`;
      if (names.length === 0) {
        expect(alarms.filter((a) => String(a.props.AlarmName).startsWith(`${prefix}-${base}`))).toEqual([]);
        continue;
      }
      const covered = (a: Props, metricName: string) => {
        const metrics = summed(a);
        for (const m of metrics)
          expect(m).toMatchObject({ namespace: 'AWS/Lambda', metricName, stat: 'Sum' });
        return metrics.map((m) => m.dimensions.FunctionName).sort();
      };
      const throttles = alarm(`${base}-throttles`);
      expect(covered(throttles, 'Throttles'), manifest.service).toEqual(names.map((n) => n.name).sort());
      expect(throttles).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
      const counted = names.filter((n) => !(n.id in ANSWERS_AS_ERRORS));
      if (counted.length === 0) {
        expect(
          alarms.find((a) => a.props.AlarmName === `${prefix}-${base}-errors`),
          manifest.service,
        ).toBeUndefined();
        continue;
      }
      const errors = alarm(`${base}-errors`);
      expect(covered(errors, 'Errors'), manifest.service).toEqual(counted.map((n) => n.name).sort());
      expect(errors).toMatchObject({
        Threshold: config.observability.lambdaErrorsPer5Min,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    // Every function of the stage is in exactly one throttles alarm.
    const throttled = alarms
      .filter((a) => String(a.props.AlarmName).endsWith('-lambda-throttles'))
      .flatMap((a) => summed(a.props).map((m) => m.dimensions.FunctionName));
    const functions = alarmedServices.flatMap((m) =>
      Object.values(m.functions).map((f) => `${prefix}-${f.name}`),
    );
    expect(throttled.sort()).toEqual(functions.sort());
  });

  it('alarms on every table being throttled, its global indexes included', () => {
    const tables = resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table').map(([, t]) => t.Properties);
    expect(tables.length).toBeGreaterThanOrEqual(13);
    for (const table of tables) {
      const name = String(table.TableName);
      const indexes = ((table.GlobalSecondaryIndexes as { IndexName: string }[] | undefined) ?? []).map(
        (i) => i.IndexName,
      );
      const found = alarms.filter((a) => a.props.AlarmName === `${name}-table-throttles`);
      expect(found, name).toHaveLength(1);
      const a = found[0]?.props as Props;
      const read = summed(a).map((m) => {
        expect(m.namespace).toBe('AWS/DynamoDB');
        expect(m.dimensions.TableName).toBe(name);
        return `${m.metricName}:${String(m.dimensions.GlobalSecondaryIndexName ?? '-')}`;
      });
      const expected = ['ReadThrottleEvents', 'WriteThrottleEvents'].flatMap((metric) =>
        ['-', ...indexes].map((index) => `${metric}:${index}`),
      );
      expect(read.sort(), name).toEqual(expected.sort());
      expect(a).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on the search domain: red, yellow, JVM > 80%, free storage <= 25%, snapshots, blocked writes', () => {
    const domain = `${prefix}-search`;
    const expectDomainAlarm = (suffix: string, metricName: string, expected: Props) => {
      const a = alarm(`search-${suffix}`);
      expect(a, suffix).toMatchObject({ Namespace: 'AWS/ES', MetricName: metricName, ...expected });
      expect(metricsOf(a).metrics[0]?.dimensions, suffix).toEqual({
        DomainName: domain,
        ClientId: { Ref: 'AWS::AccountId' },
      });
    };
    const GTE = 'GreaterThanOrEqualToThreshold';
    expectDomainAlarm('cluster-red', 'ClusterStatus.red', {
      Threshold: 1,
      ComparisonOperator: GTE,
      Statistic: 'Maximum',
    });
    expectDomainAlarm('cluster-yellow', 'ClusterStatus.yellow', { Threshold: 1, ComparisonOperator: GTE });
    expectDomainAlarm('jvm-memory-pressure', 'JVMMemoryPressure', {
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
    });
    // Megabytes per node: a quarter of the stage's volume (10 GiB staging, 100 GiB prod).
    expect(freeStorageThresholdMb(sizing)).toBe(stage === 'prod' ? 25_600 : 2_560);
    expectDomainAlarm('free-storage-low', 'FreeStorageSpace', {
      Threshold: freeStorageThresholdMb(sizing),
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Statistic: 'Minimum',
    });
    expectDomainAlarm('snapshot-failed', 'AutomatedSnapshotFailure', {
      Threshold: 1,
      ComparisonOperator: GTE,
    });
    expectDomainAlarm('index-writes-blocked', 'ClusterIndexWritesBlocked', {
      Threshold: 1,
      ComparisonOperator: GTE,
    });
    expectDomainAlarm('cpu-high', 'CPUUtilization', { Threshold: 80, Period: 900, EvaluationPeriods: 3 });
    const masterAlarms = alarms.filter((a) => String(a.props.AlarmName).startsWith(`${domain}-master-`));
    if (sizing.masterNodes > 0) {
      expectDomainAlarm('master-cpu-high', 'MasterCPUUtilization', { Threshold: 50, Period: 900 });
      expectDomainAlarm('master-jvm-memory-pressure', 'MasterJVMMemoryPressure', { Threshold: 95 });
    } else {
      expect(masterAlarms).toEqual([]);
    }
  });

  it("alarms on the API's p99 latency (the stage's threshold, 3 of 5 minutes) and its 5xx, once each", () => {
    expect(alarm('api-latency-p99')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: [{ Name: 'ApiName', Value: `${prefix}-api` }],
      ExtendedStatistic: 'p99',
      Period: 60,
      Threshold: config.observability.apiLatencyP99Ms,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm('api-5xx')).toMatchObject({ MetricName: '5XXError' });
  });

  it("alarms once on failed saga executions, and on the saga's business failures from the metric constant", () => {
    expect(alarm('checkout-executions-failed')).toMatchObject({ Threshold: 0 });
    const { CompensationsFailed, OrdersFailed } = BUSINESS_METRICS;
    expect(alarm('checkout-compensations-failed')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'CompensationsFailed' satisfies keyof typeof BUSINESS_METRICS,
      Dimensions: [
        { Name: 'service', Value: CompensationsFailed.services[0] },
        { Name: 'stage', Value: stage },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm('checkout-orders-failed-internal')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'OrdersFailed' satisfies keyof typeof BUSINESS_METRICS,
      Dimensions: expect.arrayContaining([
        { Name: OrdersFailed.by, Value: 'INTERNAL' },
        { Name: 'service', Value: OrdersFailed.services[0] },
        { Name: 'stage', Value: stage },
      ]),
      Threshold: config.observability.internalOrderFailuresPer5Min,
    });
  });

  it('has no alarm beyond those accounted for above', () => {
    const dlqs = [...deadLetterQueues(s).values()].map((q) => `${q}-not-empty`);
    const lambda = alarmedServices.flatMap((m) => {
      const ids = Object.keys(m.functions);
      if (ids.length === 0) return [];
      const base = `${prefix}-${m.service}-lambda`;
      return ids.some((id) => !(id in ANSWERS_AS_ERRORS))
        ? [`${base}-errors`, `${base}-throttles`]
        : [`${base}-throttles`];
    });
    const tables = resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table').map(
      ([, t]) => `${t.Properties.TableName}-table-throttles`,
    );
    const domain = [
      'cluster-red',
      'cluster-yellow',
      'jvm-memory-pressure',
      'free-storage-low',
      'cpu-high',
      'snapshot-failed',
      'index-writes-blocked',
      ...(sizing.masterNodes > 0 ? ['master-cpu-high', 'master-jvm-memory-pressure'] : []),
    ].map((n) => `${prefix}-search-${n}`);
    const single = [
      'api-5xx',
      'api-latency-p99',
      'jwks-unreachable',
      'indexer-lagging',
      'checkout-executions-failed',
      'checkout-compensations-failed',
      'checkout-orders-failed-internal',
    ].map((n) => `${prefix}-${n}`);
    const expected = [...dlqs, ...lambda, ...tables, ...domain, ...single];
    expect(alarms.map((a) => String(a.props.AlarmName)).sort()).toEqual(expected.sort());
  });

  describe('the operations dashboard', () => {
    let body: ReturnType<typeof dashboardBody>;
    let metrics: DashboardMetric[];
    let expressions: string[];
    const has = (namespace: string, metricName: string, dimensions: Record<string, string>, stat?: string) =>
      metrics.some(
        (m) =>
          m.namespace === namespace &&
          m.metricName === metricName &&
          Object.entries(dimensions).every(([k, v]) => m.dimensions[k] === v) &&
          (stat === undefined || (m.stat ?? 'Average') === stat),
      );
    beforeAll(() => {
      const t = s.template('dashboard');
      Template.fromJSON(t).hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: `${prefix}-operations`,
      });
      // Built from names: no import, no reference to another stack.
      expect(JSON.stringify(t)).not.toContain('Fn::ImportValue');
      body = dashboardBody(t);
      ({ metrics, expressions } = dashboardMetrics(body));
    });

    it('opens each section with its title, in order, each followed by its widgets', () => {
      const headers = body.widgets
        .map((w, i) => ({ i, markdown: w.type === 'text' ? String(w.properties.markdown) : undefined }))
        .filter((h) => h.markdown !== undefined);
      expect(headers.map((h) => h.markdown)).toEqual(DASHBOARD_SECTIONS.map((title) => `## ${title}`));
      const ends = [...headers.slice(1).map((h) => h.i), body.widgets.length];
      headers.forEach((h, n) => {
        expect(ends[n] as number, String(h.markdown)).toBeGreaterThan(h.i + 1);
      });
    });

    it("shows every alarm's state", () => {
      const listed = body.widgets
        .filter((w) => w.type === 'alarm')
        .flatMap((w) => w.properties.alarms as string[])
        .map((arn) => arn.split(':alarm:')[1]);
      expect(listed.sort()).toEqual(alarms.map((a) => String(a.props.AlarmName)).sort());
    });

    it('shows the API: requests, 4xx, 5xx, p50 and p99 latency', () => {
      const api = { ApiName: `${prefix}-api` };
      expect(has('AWS/ApiGateway', 'Count', api, 'Sum')).toBe(true);
      expect(has('AWS/ApiGateway', '4XXError', api, 'Sum')).toBe(true);
      expect(has('AWS/ApiGateway', '5XXError', api, 'Sum')).toBe(true);
      expect(has('AWS/ApiGateway', 'Latency', api, 'p50')).toBe(true);
      expect(has('AWS/ApiGateway', 'Latency', api, 'p99')).toBe(true);
    });

    it('shows the saga: executions by outcome and every business metric of the constant, by its emitters', () => {
      const arn = `arn:<token>:states:<token>:<token>:stateMachine:${prefix}-checkout`;
      for (const m of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'])
        expect(has('AWS/States', m, { StateMachineArn: arn }, 'Sum'), m).toBe(true);
      for (const [name, spec] of Object.entries(BUSINESS_METRICS)) {
        for (const service of spec.services)
          expect(has(METRICS_NAMESPACE, name, { service, stage }), `${name} from ${service}`).toBe(true);
      }
      expect(expressions).toContain(
        `SEARCH('{${METRICS_NAMESPACE},${BUSINESS_METRICS.OrdersFailed.by},service,stage} MetricName="OrdersFailed" service="orders" stage="${stage}"', 'Sum', 300)`,
      );
    });

    it("shows every function's errors, throttles, p99 duration and concurrency, grouped by service", () => {
      for (const manifest of alarmedServices) {
        for (const spec of Object.values(manifest.functions)) {
          const fn = { FunctionName: `${prefix}-${spec.name}` };
          for (const [metricName, stat] of [
            ['Errors', 'Sum'],
            ['Throttles', 'Sum'],
            ['Duration', 'p99'],
            ['ConcurrentExecutions', 'Maximum'],
          ] as const) {
            const found = metrics.find(
              (m) =>
                m.metricName === metricName &&
                m.dimensions.FunctionName === fn.FunctionName &&
                m.stat === stat,
            );
            expect(found?.title, `${spec.name} ${metricName}`).toMatch(new RegExp(`^${manifest.service}: `));
          }
        }
      }
    });

    it('shows every table: consumed capacity and throttles', () => {
      for (const [, t] of resourcesOf(s.statefulJson, 'AWS::DynamoDB::Table')) {
        const table = { TableName: String(t.Properties.TableName) };
        for (const m of [
          'ConsumedReadCapacityUnits',
          'ConsumedWriteCapacityUnits',
          'ReadThrottleEvents',
          'WriteThrottleEvents',
        ])
          expect(has('AWS/DynamoDB', m, table), `${table.TableName} ${m}`).toBe(true);
      }
    });

    it('shows the search domain, the index lag and the indexer iterator age', () => {
      const domain = { DomainName: `${prefix}-search`, ClientId: '<token>' };
      for (const m of [
        'ClusterStatus.red',
        'ClusterStatus.yellow',
        'JVMMemoryPressure',
        'FreeStorageSpace',
        'SearchLatency',
      ])
        expect(has('AWS/ES', m, domain), m).toBe(true);
      expect(has(METRICS_NAMESPACE, 'IndexLagMs', { service: 'search', stage }, 'p99')).toBe(true);
      expect(has('AWS/Lambda', 'IteratorAge', { FunctionName: `${prefix}-indexer` }, 'Maximum')).toBe(true);
    });

    it("shows every dead-letter queue's visible messages", () => {
      const dlqs = [...deadLetterQueues(s).values()];
      expect(dlqs.length).toBeGreaterThanOrEqual(11);
      for (const queue of dlqs)
        expect(has('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: queue }), queue).toBe(true);
    });
  });
});

describe('stage local', () => {
  it('has no alarm and no dashboard', async () => {
    const s = await synthesizeStage('local');
    expect(Object.keys(s.templates)).not.toContain('store-local-dashboard');
    for (const [name, t] of Object.entries(s.templates)) {
      expect(resourcesOf(t, 'AWS::CloudWatch::Alarm'), name).toEqual([]);
      expect(resourcesOf(t, 'AWS::CloudWatch::Dashboard'), name).toEqual([]);
    }
  });
});
