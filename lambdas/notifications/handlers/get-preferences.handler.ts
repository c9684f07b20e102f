/** GET /me/notification-preferences (signed in): the caller's choices, the defaults if none saved. One GetItem. */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler } from '#shared/http.ts';
import { deps } from '../adapters/wiring.ts';
import { getPreferences } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  const { sub } = requireCaller(event);
  return { status: 200, body: await getPreferences(deps, sub) };
});
