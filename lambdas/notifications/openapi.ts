/**
 * The notifications routes of the OpenAPI document (API.md, "Notifications"), and the local
 * cloud's outbox route ("Local cloud only"), registered by `lambdas/ops/openapi.ts` from the same
 * schemas the handlers validate with. Only the OpenApi function imports this.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type * as z from 'zod';
import type { ServiceDocOptions } from '#shared/openapi-doc.ts';
import { OutboxPageSchema, OutboxQuerySchema } from './domain/outbox.ts';
import { PreferencesSchema } from './domain/preferences.ts';

const json = (schema: z.ZodType, description: string): ResponseConfig => ({
  description,
  headers: {
    'x-request-id': { description: 'Correlates the response with logs.', schema: { type: 'string' } },
  },
  content: { 'application/json': { schema } },
});

export function registerNotificationsPaths(
  registry: OpenAPIRegistry,
  { bearer, problem }: ServiceDocOptions,
): void {
  const signedIn = [{ [bearer]: [] }];
  const unauthorized = problem('No bearer token, or one that is not valid (expired, wrong issuer).');
  const path = '/me/notification-preferences';

  registry.registerPath({
    method: 'get',
    path,
    tags: ['notifications'],
    summary: "The caller's notification preferences",
    description:
      'Per kind of message, email and SMS on or off; a user who never chose gets the defaults (email on, SMS off).',
    security: signedIn,
    responses: { 200: json(PreferencesSchema, 'The preferences'), 401: unauthorized },
  });
  registry.registerPath({
    method: 'put',
    path,
    tags: ['notifications'],
    summary: "Replace the caller's notification preferences",
    description: 'Full replacement: the body states every kind of message, each with `email` and `sms`.',
    security: signedIn,
    request: { body: { required: true, content: { 'application/json': { schema: PreferencesSchema } } } },
    responses: {
      200: json(PreferencesSchema, 'The preferences as stored'),
      400: problem(
        'No body or one that is not JSON, or a body that is not the whole set of preferences (a kind or channel missing, a value not a boolean, an unknown field); `errors` lists each field.',
      ),
      401: unauthorized,
    },
  });
}

/** GET /dev/outbox: register in stage local only, where the route exists. */
export function registerOutboxPath(registry: OpenAPIRegistry, { bearer, problem }: ServiceDocOptions): void {
  registry.registerPath({
    method: 'get',
    path: '/dev/outbox',
    tags: ['local cloud'],
    summary: 'Notifications the local cloud would have sent to an address (stage local only, admin)',
    security: [{ [bearer]: [] }],
    request: { query: OutboxQuerySchema },
    responses: {
      200: json(OutboxPageSchema, 'The messages, newest first'),
      400: problem(
        'No `to`, an empty one or one over 320 characters, or a query parameter other than `to`; `errors` names it.',
      ),
      401: problem('No bearer token, or one that is not valid (expired, wrong issuer).'),
      403: problem('Not an administrator.'),
    },
  });
}
