/**
 * X-Ray tracing through Powertools Tracer, one per cold start. The tracer (and the X-Ray SDK under
 * it) is loaded only where tracing is on: in Lambda with active tracing, not in the local cloud
 * (POWERTOOLS_TRACE_ENABLED=false there) nor in tests. Where it is off, every helper here is a
 * pass-through and nothing of the SDK is loaded or run.
 *
 * Made at module load, before any client: it patches node's http and https, so an HTTP client
 * built afterwards (the OpenSearch connection) sends every request through a subsegment. The
 * bundles take its `node:http` and `node:https` imports through `require` (see the function
 * construct): Node's ES facade of `http` alone loads all of undici, about 30 ms of cold start.
 */
import type * as TracerModule from '@aws-lambda-powertools/tracer';
import type * as TracerMiddleware from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

export type Tracer = TracerModule.Tracer;

/** Powertools' own rule: on in Lambda unless POWERTOOLS_TRACE_ENABLED=false; off under SAM. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' && !!env.AWS_EXECUTION_ENV && !env.AWS_SAM_LOCAL
  );
}

async function load(): Promise<{ tracer: Tracer; middleware: typeof TracerMiddleware }> {
  const [{ Tracer }, middleware] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  return { tracer: new Tracer(), middleware };
}

const loaded = tracingEnabled() ? await load() : undefined;

export const tracer: Tracer | undefined = loaded?.tracer;

/** An SDK v3 client whose calls are subsegments (the client itself where tracing is off). */
export function captureClient<C>(client: C): C {
  return tracer ? (tracer.captureAWSv3Client(client as never) as C) : client;
}

export interface TracingOptions {
  /**
   * Whether an error is a fault of the function. One answered as a client error (a 4xx problem)
   * closes the handler's subsegment without marking it. Default: every error.
   */
  isFault?: (error: unknown) => boolean;
}

/**
 * Powertools' handler middleware: the `## <handler>` subsegment with the ColdStart and Service
 * annotations. Responses are never recorded (they carry addresses, orders, payment tokens), and
 * an error only as `isFault` says. Undefined where tracing is off.
 */
export function tracingMiddleware<E = unknown, R = unknown>(
  options: TracingOptions = {},
): MiddlewareObj<E, R> | undefined {
  if (!loaded) return undefined;
  const inner = loaded.middleware.captureLambdaHandler(loaded.tracer, { captureResponse: false });
  const isFault = options.isFault ?? (() => true);
  return {
    before: inner.before as never,
    after: inner.after as never,
    // `after` only closes the subsegments (responses are not captured).
    onError: ((request: { error: unknown }) =>
      isFault(request.error) ? inner.onError?.(request as never) : inner.after?.(request as never)) as never,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: any handler shape (event types differ per trigger).
type Handler = (event: any, context: Context) => Promise<unknown>;

/** A handler traced as the HTTP ones are; `fn` itself where tracing is off. */
export function traced<F extends Handler>(fn: F): F {
  const middleware = tracingMiddleware();
  if (!middleware) return fn;
  const wrapped = middy().use(middleware).handler(fn);
  return ((event: unknown, context: Context) => wrapped(event, context)) as F;
}
