/**
 * PUT /me/notification-preferences (signed in): replaces the caller's choices with the body,
 * which states every kind (400 otherwise), and answers what is stored. One PutItem.
 */
import { requireCaller } from '#shared/auth.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { deps } from '../adapters/wiring.ts';
import { PreferencesSchema } from '../domain/preferences.ts';
import { putPreferences } from '../domain/use-cases.ts';

export const handler = httpHandler(async (event) => {
  const { sub } = requireCaller(event);
  const preferences = validate(PreferencesSchema, jsonBody(event), 'preferences');
  return { status: 200, body: await putPreferences(deps, sub, preferences) };
});
