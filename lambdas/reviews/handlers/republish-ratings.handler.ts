/** Scheduled: publishes ProductRatingChanged for summaries whose publish failed after their write. */
import { deps } from '../adapters/wiring.ts';
import { republishPending } from '../domain/use-cases.ts';

export const handler = async () => ({ published: await republishPending(deps) });
