/**
 * What every handler that is not an API route shares (saga steps, queue and stream batches,
 * schedules, custom resources): it is traced where tracing is on, and each of its log lines
 * carries Lambda's request id and the keys `keysOf` reads from the event, for this invocation
 * only. The API routes get the same from `http.ts`.
 */
import type { Context } from 'aws-lambda';
import { fieldOf, withLogKeys } from './log-context.ts';
import { traced } from './tracer.ts';

// biome-ignore lint/suspicious/noExplicitAny: any handler shape (event types differ per trigger).
type Handler = (event: any, context: any) => Promise<unknown>;

type KeysOf<F extends Handler> = (event: Parameters<F>[0]) => Record<string, string | undefined>;

export function invocation<F extends Handler>(keysOf: KeysOf<F>, fn: F): F {
  const keyed = (event: Parameters<F>[0], context?: Context) =>
    withLogKeys({ requestId: context?.awsRequestId, ...keysOf(event) }, () => fn(event, context));
  return traced(keyed as F);
}

/** Nothing from the event: a schedule's tick, a custom resource's request. */
export const noKeys = (): Record<string, string | undefined> => ({});

/**
 * A checkout saga step: its lines carry the order (every step's input names it; the execution is
 * named after it too). A failure gets one short line with them before the state machine sees it
 * (the runtime's own error line has the stack but not the order); the logger is loaded only then.
 */
export function sagaStepHandler<E, R>(
  step: string,
  fn: (event: E, context: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const logged = async (event: E, context: Context) => {
    try {
      return await fn(event, context);
    } catch (error) {
      const { logger } = await import('./logger.ts');
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      logger.info('step failed', { step, errorName: name, errorMessage: message });
      throw error;
    }
  };
  // Tests call a step without a context; Lambda always passes one.
  const withContext = logged as (event: E, context?: Context) => Promise<R>;
  return invocation((event: E) => ({ orderId: fieldOf(event, 'orderId') }), withContext);
}
