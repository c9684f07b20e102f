/**
 * moto server in a project-local virtualenv: DynamoDB (with Streams), SQS and EventBridge on the
 * port LocalStack uses, so one AWS_ENDPOINT_URL serves both.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertPortFree, captureTail, type Log, run, stamp, stopChild, waitFor } from './support.ts';

/** Pinned: DynamoDB transactions, Streams and SQS redrive behave as the project expects from 5.2.3 on. */
export const MOTO_REQUIREMENT = 'moto[server,dynamodb,dynamodbstreams,sqs,events]==5.2.5';

function venvDir(rootDir: string): string {
  return join(rootDir, '.local', 'venv');
}

function python(): string {
  return process.env.PYTHON ?? 'python3';
}

/** Creates `.local/venv` with moto, once; a stamp of the requirement makes later calls instant. */
export async function ensureMoto(rootDir: string, log: Log): Promise<void> {
  const venv = venvDir(rootDir);
  const marker = stamp(join(venv, '.store-stamp'), [MOTO_REQUIREMENT]);
  if (marker.fresh && existsSync(join(venv, 'bin', 'moto_server'))) return;
  log(`installing ${MOTO_REQUIREMENT} into .local/venv (once)`);
  await run(python(), ['-m', 'venv', venv]);
  await run(join(venv, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    MOTO_REQUIREMENT,
  ]);
  marker.write();
}

export async function startMoto(options: {
  rootDir: string;
  port: number;
  log: Log;
}): Promise<{ url: string; stop(): Promise<void> }> {
  await ensureMoto(options.rootDir, options.log);
  await assertPortFree(options.port, 'moto');
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    join(venvDir(options.rootDir), 'bin', 'python'),
    [join(import.meta.dirname, 'moto', 'server.py'), '-H', '127.0.0.1', '-p', String(options.port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Werkzeug's request log is one line per call; the local cloud's own log is enough.
      env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_PORT: String(options.port) },
    },
  );
  const output = captureTail(child);
  await waitFor('moto', async () => (await fetch(`${url}/moto-api/`)).ok, {
    timeoutMs: 30_000,
    child,
    output,
  });
  return { url, stop: () => stopChild(child, 5000) };
}
