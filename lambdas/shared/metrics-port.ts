/**
 * The business metrics as a port: use cases record a figure by its name in `business-metrics.ts`
 * and never see how it is published. `by` is the value of the metric's extra dimension (its `by`
 * in the table), for metrics that have one.
 */
import type { BusinessMetricName } from './business-metrics.ts';

export interface BusinessMetrics {
  record(name: BusinessMetricName, value?: number, by?: string): void;
}
