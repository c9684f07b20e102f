/** DELETE /admin/reviews/{reviewId} (admin): 204, hidden: out of the list and the summary. */
import { requireAdmin } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { hideReview } from '../domain/use-cases.ts';
import { adminReviewPath } from './params.ts';

export const handler = httpHandler(async (event) => {
  const admin = requireAdmin(event);
  await hideReview(deps, admin, adminReviewPath(event).reviewId);
  return { status: 204 };
});
