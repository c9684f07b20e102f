/**
 * Tiny ESM functions for the Lambda runtime's conformance tests, written into a temporary
 * directory and registered with the runtime directly (no synth, no bundling).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionDefinition } from '../../../local/runtime/lambda-runtime.ts';

/**
 * One handler whose event says what to do. Its module scope holds an id for the execution
 * environment, a count of the invocations it served and the id of the invocation in progress,
 * so a reply shows which environment answered and whether another invocation ran in between.
 */
export const PROBE_HANDLER = `
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const environment = randomUUID();
let invocations = 0;
let current;
// A slow cold start, for the Init phase.
await sleep(Number(process.env.INIT_MS ?? 0));

export const handler = async (event) => {
  invocations++;
  current = event.id;
  if (event.exit !== undefined) process.exit(event.exit);
  if (event.uncaught) setTimeout(() => { throw new TypeError(event.uncaught); }, 0);
  if (event.reject) Promise.reject(new Error(event.reject));
  if (event.hang) await new Promise(() => {});
  await sleep(event.ms ?? 0);
  if (event.respond) return event.respond.repeat(event.times);
  return { id: event.id, seen: current, environment, invocations, length: event.text?.length };
};
`;

export interface ProbeReply {
  id: string;
  /** The invocation id the module held when this one finished: another's if they shared a scope. */
  seen: string;
  environment: string;
  invocations: number;
  length?: number;
}

export interface LambdaSandbox {
  logDir: string;
  define(name: string, overrides?: Partial<FunctionDefinition>): FunctionDefinition;
  remove(): void;
}

export function lambdaSandbox(): LambdaSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-conformance-'));
  return {
    logDir: join(dir, 'logs'),
    define(name, overrides = {}) {
      const codeDir = join(dir, name);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(join(codeDir, 'index.mjs'), PROBE_HANDLER);
      return {
        logicalId: name,
        name,
        arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
        codeDir,
        handler: 'index.handler',
        env: {},
        timeoutSeconds: 1,
        memoryMb: 128,
        ...overrides,
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
