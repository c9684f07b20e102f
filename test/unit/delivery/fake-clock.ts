import type { Clock } from '../../e2e/support/totp.ts';

/** A clock that sleeps by moving itself forward, and says how long it slept. */
export function fakeClock(start: number): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}
