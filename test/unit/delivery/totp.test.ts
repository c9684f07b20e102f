import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  base32Decode,
  directoryLedger,
  freshCode,
  hotp,
  memoryLedger,
  TOTP_STEP_MS,
  timeStep,
  totp,
} from '../../e2e/support/totp.ts';
import { fakeClock } from './fake-clock.ts';

/** RFC 6238's SHA1 key, the ASCII "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP codes (RFC 6238, HMAC-SHA1, 30 s steps)', () => {
  // RFC 6238, appendix B, the SHA1 rows: time in seconds, 8-digit code.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s is %s (and its last 6 digits with 6 digits)', (seconds, code) => {
    expect(totp(RFC_SECRET, seconds * 1000, 8)).toBe(code);
    expect(totp(RFC_SECRET, seconds * 1000)).toBe(code.slice(-6));
  });

  it('is RFC 4226 HOTP over the time step (its appendix D values)', () => {
    const key = Buffer.from('12345678901234567890');
    expect(Array.from({ length: 10 }, (_, counter) => hotp(key, counter))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ]);
    expect(timeStep(0)).toBe(0);
    expect(timeStep(TOTP_STEP_MS - 1)).toBe(0);
    expect(timeStep(TOTP_STEP_MS)).toBe(1);
  });

  it('reads base32 secrets as Cognito and authenticator apps show them', () => {
    expect(base32Decode(RFC_SECRET).toString()).toBe('12345678901234567890');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(base32Decode(RFC_SECRET));
    expect(base32Decode('MZXW6===').toString()).toBe('foo');
    expect(() => base32Decode('GEZD1')).toThrow('a base32 secret has only A-Z and 2-7, not "1"');
    expect(() => base32Decode('')).toThrow('the TOTP secret is empty');
  });
});

describe('fresh codes (each step sent once in a run)', () => {
  // 10 s into a step.
  const start = 56_666_667 * TOTP_STEP_MS + 10_000;
  const step = timeStep(start);

  it("is the current step's code when no one used it, without waiting", async () => {
    const clock = fakeClock(start);
    await expect(freshCode(RFC_SECRET, memoryLedger(), clock)).resolves.toEqual({
      code: totp(RFC_SECRET, start),
      step,
    });
    expect(clock.slept).toEqual([]);
  });

  it('waits for the next step when the current one was used, then the one after', async () => {
    const clock = fakeClock(start);
    const ledger = memoryLedger();
    const first = await freshCode(RFC_SECRET, ledger, clock);
    const second = await freshCode(RFC_SECRET, ledger, clock);
    const third = await freshCode(RFC_SECRET, ledger, clock);
    expect([first.step, second.step, third.step]).toEqual([step, step + 1, step + 2]);
    expect(new Set([first.code, second.code, third.code]).size).toBe(3);
    // To the start of each next step, and not a moment more.
    expect(clock.slept).toEqual([20_000, 30_000]);
    expect(second.code).toBe(totp(RFC_SECRET, (step + 1) * TOTP_STEP_MS));
  });

  it('skips a step about to end, whose code could arrive too late', async () => {
    const clock = fakeClock((step + 1) * TOTP_STEP_MS - 2_000);
    await expect(freshCode(RFC_SECRET, memoryLedger(), clock)).resolves.toMatchObject({ step: step + 1 });
    expect(clock.slept).toEqual([2_000]);
  });

  it('uses up no step for a secret it cannot read', async () => {
    const ledger = memoryLedger();
    await expect(freshCode('not base32!', ledger, fakeClock(start))).rejects.toThrow(/base32/);
    expect(ledger.claim(step)).toBe(true);
  });
});

describe('the ledger of used steps', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('in a directory, gives each step to one claimant across ledgers (processes)', () => {
    dir = mkdtempSync(join(tmpdir(), 'totp-ledger-'));
    const runner = directoryLedger(dir);
    const testFile = directoryLedger(dir);
    expect(runner.claim(42)).toBe(true);
    expect(testFile.claim(42)).toBe(false);
    expect(runner.claim(42)).toBe(false);
    expect(testFile.claim(43)).toBe(true);
  });

  it('says where it could not record a step', () => {
    const missing = join(tmpdir(), 'no-such-ledger-dir', 'x');
    expect(() => directoryLedger(missing).claim(7)).toThrow(`cannot record TOTP step 7 in ${missing}`);
  });

  it('in memory, gives each step once', () => {
    const ledger = memoryLedger();
    expect([ledger.claim(1), ledger.claim(1), ledger.claim(2)]).toEqual([true, false, true]);
  });
});
