/**
 * Bounded retries with full jitter for writes that met another transaction on the same items
 * (TransactionConflict): each wait is random in [0, min(cap, base * 2^attempt)), so contenders
 * spread out instead of colliding again in step.
 */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseMs: 20,
  capMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export function backoffMs(policy: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'>, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/**
 * Runs `attempt` until it answers something other than `contended`, at most `policy.attempts`
 * times; then `busy()` is thrown.
 */
export async function untilUncontended<R extends { kind: string }>(
  policy: RetryPolicy,
  attempt: () => Promise<R | { kind: 'contended' }>,
  busy: () => Error,
): Promise<Exclude<R, { kind: 'contended' }>> {
  for (let i = 0; i < policy.attempts; i++) {
    if (i > 0) await policy.sleep(backoffMs(policy, i));
    const result = await attempt();
    if (result.kind !== 'contended') return result as Exclude<R, { kind: 'contended' }>;
  }
  throw busy();
}

/** Waits before round `round` of a read-decide-write loop (none before the first). */
export async function pause(policy: RetryPolicy, round: number): Promise<void> {
  if (round === 0) return;
  await policy.sleep(backoffMs(policy, round));
}
