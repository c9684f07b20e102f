/**
 * Every minute (EventBridge schedule): releases HELD reservations past their expiry, so stock held
 * by abandoned checkouts returns to available. Each release is conditional and idempotent; a run
 * that misses some leaves them to the next.
 */
import { invocation, noKeys } from '#shared/invocation.ts';
import { businessMetrics, withMetrics } from '#shared/metrics.ts';
import { deps } from '../adapters/wiring.ts';
import { reaper } from './reaper.ts';

export const handler = withMetrics(invocation(noKeys, reaper(deps, businessMetrics)));
