/**
 * Starts the local cloud once for the whole end-to-end run, or points the suite at an API that is
 * already running (E2E_BASE_URL) or deployed to LocalStack (E2E_TARGET=localstack).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The AWS endpoint the store's functions use (moto or LocalStack), for tests that count AWS calls. */
    awsEndpoint: string;
    /** Where Step Functions answers (the local cloud's endpoint, or LocalStack's). */
    stepFunctionsEndpoint: string;
  }
}

const root = resolve(import.meta.dirname, '../..');

function localstackUrl(): string {
  const outputsFile = resolve(root, 'cdk.out/localstack-outputs.json');
  if (!existsSync(outputsFile)) {
    throw new Error(
      'E2E_TARGET=localstack needs `npm run localstack:deploy` first (cdk.out/localstack-outputs.json)',
    );
  }
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
  for (const stack of Object.values(outputs)) {
    for (const [key, value] of Object.entries(stack)) if (/ApiUrl|Endpoint/i.test(key)) return value;
  }
  throw new Error(`no ApiUrl output in ${outputsFile}`);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL);
    project.provide('awsEndpoint', process.env.E2E_AWS_ENDPOINT ?? 'http://127.0.0.1:4566');
    project.provide('stepFunctionsEndpoint', process.env.E2E_SFN_ENDPOINT ?? 'http://127.0.0.1:8083');
    return undefined;
  }
  if (process.env.E2E_TARGET === 'localstack') {
    project.provide('baseUrl', localstackUrl());
    project.provide('awsEndpoint', process.env.E2E_AWS_ENDPOINT ?? 'http://localhost:4566');
    project.provide('stepFunctionsEndpoint', process.env.E2E_SFN_ENDPOINT ?? 'http://localhost:4566');
    return undefined;
  }
  const { startLocalCloud } = await import('../../local/cloud.ts');
  const { freePort } = await import('../../local/support.ts');
  const cdkOut = resolve(root, 'cdk.out', `e2e-${process.pid}`);
  // Ports the OS hands out and its own assembly, so the suite runs beside a developer's `npm start`
  // (or another test run).
  const cloud = await startLocalCloud({
    rootDir: root,
    log: (line: string) => console.log(`[local-cloud] ${line}`),
    ports: {
      api: await freePort(),
      moto: await freePort(),
      opensearch: await freePort(),
      stepFunctions: await freePort(),
    },
    cdkOut,
  });
  project.provide('baseUrl', cloud.url);
  project.provide('awsEndpoint', `http://127.0.0.1:${cloud.ports.moto}`);
  project.provide('stepFunctionsEndpoint', `http://127.0.0.1:${cloud.ports.stepFunctions}`);
  return async () => {
    await cloud.stop();
    rmSync(cdkOut, { recursive: true, force: true });
  };
}
