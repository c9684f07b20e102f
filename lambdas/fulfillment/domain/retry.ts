/**
 * Bounded retries with full jitter for writes that met another transaction on the same items:
 * each wait is random in [0, min(cap, base * 2^attempt)), so contenders spread out.
 */
export interface RetryPolicy {
  /** Rounds of read-decide-write before giving up. */
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

/** Waits before round `round` (none before the first). */
export async function pause(policy: RetryPolicy, round: number): Promise<void> {
  if (round === 0) return;
  await policy.sleep(Math.floor(policy.random() * Math.min(policy.capMs, policy.baseMs * 2 ** round)));
}
