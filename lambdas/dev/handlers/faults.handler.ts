/**
 * POST /dev/faults { step, mode, count } and DELETE /dev/faults (stage local only, admin): arm a
 * fault in a saga step's function, or clear every fault, through the local cloud's control
 * endpoint (LOCAL_CONTROL_URL, local/runtime/control.ts), so tests can drive the saga's failure
 * paths through the API.
 */
import * as z from 'zod';
import { requireAdmin } from '#shared/auth.ts';
import { loadEnv } from '#shared/config.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { FaultRequestSchema } from '../faults.ts';

const env = loadEnv(
  z.object({
    STAGE: z.string().default('local'),
    // Set by the local cloud only: a stage-local deploy elsewhere (LocalStack) has no control endpoint.
    LOCAL_CONTROL_URL: z.url().optional(),
  }),
);

export const handler = httpHandler(async (event) => {
  // Belt and braces: the route only exists in the local stage, and the function refuses elsewhere.
  if (env.STAGE !== 'local') throw new NotFoundError('No such route.');
  requireAdmin(event);
  if (!env.LOCAL_CONTROL_URL) throw new NotFoundError('Fault injection is served by the local cloud only.');
  const url = `${env.LOCAL_CONTROL_URL}/_local/faults`;
  if (event.httpMethod === 'DELETE') {
    await control(url, { method: 'DELETE' });
    return { status: 204 };
  }
  const fault = validate(FaultRequestSchema, jsonBody(event), 'fault');
  const armed = await control(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  return { status: 201, body: armed };
});

/** Calls the control endpoint; its 4xx answers become the matching problems. */
async function control(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  const message =
    typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : `HTTP ${res.status}`;
  if (res.status === 404) throw new NotFoundError(message);
  if (res.status === 409) throw new ConflictError(message);
  if (res.status === 400) throw new ValidationError(message);
  if (!res.ok) throw new Error(`the control endpoint answered ${res.status}: ${message}`);
  return body;
}
