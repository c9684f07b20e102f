import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function; service name and level come from POWERTOOLS_* variables. */
export const logger = new Logger();
