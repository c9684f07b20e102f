// One Lambda execution environment: a worker thread with its own process.env, importing the
// function's bundle from cdk.out on the first invocation (the cold start), as Lambda's Node runtime does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { codeDir, handler: handlerSpec, functionName, memoryMb, functionArn } = workerData;
let loaded;

async function load() {
  const dot = handlerSpec.lastIndexOf('.');
  const base = handlerSpec.slice(0, dot);
  const exportName = handlerSpec.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => join(codeDir, base + ext)).find((f) => existsSync(f));
  if (!file) throw new Error(`Runtime.ImportModuleError: ${base} not found in ${codeDir}`);
  const started = performance.now();
  const mod = await import(pathToFileURL(file).href);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== 'function') throw new Error(`Runtime.HandlerNotFound: ${handlerSpec} is not a function`);
  return { fn, initMs: performance.now() - started };
}

parentPort.on('message', async ({ id, event, requestId, deadline }) => {
  try {
    loaded ??= load();
    const { fn, initMs } = await loaded;
    const context = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn,
      memoryLimitInMB: String(memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done() {},
      fail() {},
      succeed() {},
    };
    const result = await fn(event, context);
    parentPort.postMessage({ id, ok: true, result, initMs });
  } catch (error) {
    loaded = loaded && error?.message?.startsWith('Runtime.') ? undefined : loaded;
    parentPort.postMessage({
      id,
      ok: false,
      error: {
        errorType: error?.name ?? 'Error',
        errorMessage: String(error?.message ?? error),
        stack: String(error?.stack ?? '').split('\n'),
      },
    });
  }
});
