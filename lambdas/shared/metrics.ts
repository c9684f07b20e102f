/**
 * The business metrics through Powertools Metrics (CloudWatch embedded metric format on stdout),
 * namespace POWERTOOLS_METRICS_NAMESPACE (else `METRICS_NAMESPACE`), dimensions `service`
 * (POWERTOOLS_SERVICE_NAME) and `stage`. A metric with a `by` dimension is also published on its
 * own with that dimension added, so a dashboard reads both the total and the breakdown. Loaded
 * only by the functions that emit one; each flushes per invocation (`withMetrics`).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS, METRICS_NAMESPACE } from './business-metrics.ts';
import type { BusinessMetrics } from './metrics-port.ts';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE,
  defaultDimensions: { stage: process.env.STAGE || 'unknown' },
});

const UNITS = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

export const businessMetrics: BusinessMetrics = {
  record(name, value = 1, by) {
    const spec = BUSINESS_METRICS[name];
    const unit = UNITS[spec.unit];
    metrics.addMetric(name, unit, value);
    const dimension = 'by' in spec ? spec.by : undefined;
    if (dimension && by) {
      const single = metrics.singleMetric();
      single.addDimension(dimension, by);
      single.addMetric(name, unit, value);
    }
  },
};

/** Publishes what was recorded, once the invocation is over (also when it threw); nothing if nothing was. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

export function withMetrics<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } finally {
      flushMetrics();
    }
  };
}
