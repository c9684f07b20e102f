/**
 * GET /dev/outbox?to= (stage local only, admin): the messages the local cloud would have sent
 * to an address, newest first, so tests and demos can see them. One Query.
 */
import { requireAdmin } from '#shared/auth.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, queryParams } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { outbox, stage } from '../adapters/outbox-wiring.ts';
import { OutboxQuerySchema } from '../domain/outbox.ts';

export const handler = httpHandler(async (event) => {
  // Belt and braces: the route only exists in the local stage, and the function refuses elsewhere.
  if (stage !== 'local') throw new NotFoundError('No such route.');
  requireAdmin(event);
  const { to } = validate(OutboxQuerySchema, queryParams(event), 'query');
  // An unencoded `+` of an E.164 number arrives as a space when the query is form-decoded.
  const address = to.replace(/^ (?=\d+$)/, '+');
  return { status: 200, body: { items: await outbox.sentTo(address) } };
});
