import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { logKeys } from './log-context.ts';

/**
 * Every line carries the correlation keys in force where it is written (`log-context.ts`):
 * the request id, and the order or event being worked on. A key the call itself names wins.
 */
class CorrelatedLogger extends Logger {
  protected override createAndPopulateLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): LogItem {
    const keys = logKeys();
    const extra = Object.keys(keys).length > 0 ? ([keys, ...extraInput] as LogItemExtraInput) : extraInput;
    return super.createAndPopulateLogItem(logLevel, input, extra);
  }
}

/** One structured logger per function; service name and level come from POWERTOOLS_* variables. */
export const logger: Logger = new CorrelatedLogger();
