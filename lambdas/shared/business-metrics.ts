/**
 * The business metrics the functions publish (CloudWatch embedded metric format, through
 * Powertools Metrics) and the dashboard and alarms read. One table, so an emitter and the
 * dashboard cannot drift apart: a metric is named here once, with the service that emits it.
 *
 * Every metric is published with the dimensions `service` and `stage`; one with a `by` dimension
 * is published a second time with that dimension added (e.g. OrdersFailed by `reason`).
 */
export const METRICS_NAMESPACE = 'ServerlessStore';

export interface BusinessMetric {
  /** POWERTOOLS_SERVICE_NAME of the emitting functions (their services' manifest names). */
  services: readonly string[];
  unit: 'Count' | 'Milliseconds';
  /** An extra dimension the metric is also published by. */
  by?: string;
  description: string;
}

export const BUSINESS_METRICS = {
  OrdersPlaced: { services: ['orders'], unit: 'Count', description: 'Orders confirmed (ConfirmOrder).' },
  OrdersFailed: {
    services: ['orders'],
    unit: 'Count',
    by: 'reason',
    description: 'Orders that ended FAILED (MarkFailed), by failure reason.',
  },
  PaymentsDeclined: {
    services: ['payment'],
    unit: 'Count',
    description: 'Authorizations the payment provider declined.',
  },
  CompensationsRun: {
    services: ['payment', 'inventory'],
    unit: 'Count',
    by: 'step',
    description: 'Compensating steps that undid work (a void or refund, a released hold).',
  },
  CompensationsFailed: {
    services: ['orders'],
    unit: 'Count',
    description: 'Orders flagged for attention after a compensation or post-pivot step ran out of retries.',
  },
  ReservationsReaped: {
    services: ['inventory'],
    unit: 'Count',
    description: 'Expired stock holds the reaper released.',
  },
  IndexLagMs: {
    services: ['search'],
    unit: 'Milliseconds',
    description: 'Age of the newest table change when the indexer applied it (stream to index).',
  },
} as const satisfies Record<string, BusinessMetric>;

export type BusinessMetricName = keyof typeof BUSINESS_METRICS;
