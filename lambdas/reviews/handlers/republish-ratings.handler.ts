/** Scheduled: publishes ProductRatingChanged for summaries whose publish failed after their write. */
import { invocation, noKeys } from '#shared/invocation.ts';
import { deps } from '../adapters/wiring.ts';
import { republishPending } from '../domain/use-cases.ts';

export const handler = invocation(noKeys, async () => ({ published: await republishPending(deps) }));
