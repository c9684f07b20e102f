/** MarkFailed (saga compensation, last): FAILED with the reason the caught error names. */
import { deps } from '../adapters/wiring.ts';
import { MarkFailedInputSchema } from '../domain/steps.ts';
import { markFailed } from '../domain/use-cases.ts';
import { sagaStep } from './saga-step.ts';

export const handler = sagaStep('MarkFailed', MarkFailedInputSchema, (input) => markFailed(deps, input));
