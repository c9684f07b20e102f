// One Lambda execution environment: a worker thread with its own process.env, importing the
// function's bundle from cdk.out on its first invocation (the cold start) and serving one
// invocation at a time, as Lambda's Node.js runtime does. Events arrive and responses leave as
// JSON text, so the handler sees what Lambda would deliver and the response is measured as Lambda
// measures it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { codeDir, handler: handlerSpec, functionName, memoryMb, functionArn } = workerData;
// The synchronous response limit as Lambda enforces it (6 MB; its error names 6291556 bytes).
const MAX_RESPONSE_BYTES = 6_291_556;
let loaded;
// The invocation in progress, which a crash outside the handler fails.
let current;

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

function toError(error, errorType = error?.name ?? 'Error') {
  return {
    errorType,
    errorMessage: String(error?.message ?? error),
    stack: String(error?.stack ?? '').split('\n'),
  };
}

// As the Node.js runtime does: an uncaught exception fails the invocation in progress with that
// error, an unhandled rejection as Runtime.UnhandledPromiseRejection, and then the runtime exits
// (129 and 128), so the environment is not reused.
function crash(label, error, code) {
  console.error(label, error.stack.join('\n'));
  parentPort.postMessage({ id: current, ok: false, error, fatal: true });
  process.exit(code);
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', toError(error), 129));
process.on('unhandledRejection', (reason) =>
  crash(
    'Unhandled Promise Rejection',
    { ...toError(reason, 'Runtime.UnhandledPromiseRejection'), errorMessage: String(reason) },
    128,
  ),
);

parentPort.on('message', async ({ id, payload, timeoutMs }) => {
  current = id;
  let reply;
  try {
    const cold = loaded === undefined;
    loaded ??= load();
    const { fn, initMs } = await loaded;
    // Init is over: the function's timeout runs from here.
    parentPort.postMessage({ id, started: true });
    const deadline = Date.now() + timeoutMs;
    const context = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn,
      memoryLimitInMB: String(memoryMb),
      awsRequestId: id,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done() {},
      fail() {},
      succeed() {},
    };
    const result = await fn(JSON.parse(payload), context);
    const body = JSON.stringify(result === undefined ? null : result);
    const bytes = Buffer.byteLength(body);
    reply =
      bytes > MAX_RESPONSE_BYTES
        ? {
            id,
            ok: false,
            error: {
              errorType: 'Function.ResponseSizeTooLarge',
              errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            },
          }
        : { id, ok: true, payload: body };
    if (cold) reply.initMs = initMs;
  } catch (error) {
    loaded = loaded && error?.message?.startsWith('Runtime.') ? undefined : loaded;
    reply = { id, ok: false, error: toError(error) };
  }
  current = undefined;
  parentPort.postMessage(reply);
});
