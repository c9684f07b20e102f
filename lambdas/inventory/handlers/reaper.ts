/**
 * The reservation reaper on any deps: the handler binds it to the wiring, the unit tests to the
 * in-memory store. The holds a run released are counted (ReservationsReaped).
 */
import { logger } from '#shared/logger.ts';
import type { BusinessMetrics } from '#shared/metrics-port.ts';
import { type InventoryDeps, type ReapReport, reapExpired } from '../domain/use-cases.ts';

export function reaper(deps: InventoryDeps, metrics: BusinessMetrics): () => Promise<ReapReport> {
  return async () => {
    const report = await reapExpired(deps);
    if (report.released > 0) metrics.record('ReservationsReaped', report.released);
    if (report.found > 0) logger.info('expired reservations', { ...report });
    if (report.failed > 0)
      logger.warn('expired reservations left for the next run', { failed: report.failed });
    return report;
  };
}
