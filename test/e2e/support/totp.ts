/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps,
 * 6 digits, the secret in base32 (RFC 4648), as Cognito's software token MFA and authenticator
 * apps use them. The deployed suite's admin test user signs in with them (token-source.ts).
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOTP_STEP_MS = 30_000;
export const TOTP_DIGITS = 6;
/** A code sent this close to its window's end could reach Cognito after it: use the next one. */
export const TOTP_MIN_REMAINING_MS = 3_000;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, case-insensitive; padding and spaces (as apps show secrets) are ignored. */
export function base32Decode(text: string): Buffer {
  const chars = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of chars) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`a base32 secret has only A-Z and 2-7, not ${JSON.stringify(char)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  if (bytes.length === 0) throw new Error('the TOTP secret is empty');
  return Buffer.from(bytes);
}

/** RFC 4226: the counter as 8 bytes big-endian, HMAC-SHA1, dynamic truncation, `digits` digits. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 time step (T0 = 0) that a moment, in milliseconds since the epoch, falls in. */
export const timeStep = (ms: number): number => Math.floor(ms / TOTP_STEP_MS);

/** The code of a base32 secret at a moment (milliseconds since the epoch). */
export function totp(secret: string, ms: number, digits = TOTP_DIGITS): string {
  return hotp(base32Decode(secret), timeStep(ms), digits);
}

/**
 * The time steps a run has sent a code for. Cognito accepts a code once, and a run signs the
 * admin in from several processes (the runner enrolls, each test file signs in), so a step is
 * claimed before its code is sent.
 */
export interface StepLedger {
  /** True if the step was free and is now this caller's; false if someone sent its code already. */
  claim(step: number): boolean;
}

/** Within one process. */
export function memoryLedger(): StepLedger {
  const used = new Set<number>();
  return {
    claim: (step) => {
      if (used.has(step)) return false;
      used.add(step);
      return true;
    },
  };
}

/** Across processes: one file per step in `dir`, created exclusively, so two claims never both win. */
export function directoryLedger(dir: string): StepLedger {
  return {
    claim: (step) => {
      try {
        writeFileSync(join(dir, String(step)), '', { flag: 'wx' });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw new Error(`cannot record TOTP step ${step} in ${dir}: ${(error as Error).message}`);
      }
    },
  };
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/**
 * A code no earlier call of the run has used: the current step's if it is free and not about to
 * end, else the next free step's, after waiting for that step to begin.
 */
export async function freshCode(
  secret: string,
  ledger: StepLedger,
  clock: Clock = systemClock,
): Promise<{ code: string; step: number }> {
  // Decoded first: a bad secret uses up no step.
  const key = base32Decode(secret);
  const now = clock.now();
  let step = timeStep(now);
  if ((step + 1) * TOTP_STEP_MS - now < TOTP_MIN_REMAINING_MS) step += 1;
  while (!ledger.claim(step)) step += 1;
  const wait = step * TOTP_STEP_MS - clock.now();
  if (wait > 0) await clock.sleep(wait);
  return { code: hotp(key, step), step };
}
