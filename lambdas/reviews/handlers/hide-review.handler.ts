/** DELETE /admin/reviews/{reviewId} (admin): 204, hidden: out of the list and the summary. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { hideReview } from '../domain/use-cases.ts';
import { reviewIdParam } from './params.ts';

export const handler = httpHandler(async (event) => {
  const admin = requireAdmin(event);
  await hideReview(deps, admin, reviewIdParam(event));
  return { status: 204 };
});
