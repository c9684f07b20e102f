/** Scheduled: starts the saga of every order left PENDING past the grace period without one. */
import { invocation, noKeys } from '#shared/invocation.ts';
import { deps } from '../adapters/wiring.ts';
import { resumePending } from '../domain/use-cases.ts';

export const handler = invocation(noKeys, async () => resumePending(deps));
