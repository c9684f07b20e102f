/**
 * Every minute (EventBridge schedule): releases HELD reservations past their expiry, so stock held
 * by abandoned checkouts returns to available. Each release is conditional and idempotent; a run
 * that misses some leaves them to the next.
 */
import { logger } from '#shared/logger.ts';
import { deps } from '../adapters/wiring.ts';
import { type ReapReport, reapExpired } from '../domain/use-cases.ts';

export const handler = async (): Promise<ReapReport> => {
  const report = await reapExpired(deps);
  if (report.found > 0) logger.info('expired reservations', { ...report });
  if (report.failed > 0) logger.warn('expired reservations left for the next run', { failed: report.failed });
  return report;
};
