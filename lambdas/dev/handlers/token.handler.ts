/** POST /dev/token (stage local only): mints a token from the local issuer for tests and demos. */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler, jsonBody } from '#shared/http.ts';
import { validate } from '#shared/validation.ts';
import { DevTokenRequestSchema, mintToken, signerFromJwk } from '../token-signer.ts';

const env = loadEnv(
  z.object({
    STAGE: z.string().default('local'),
    JWT_ISSUER: required(),
    JWT_AUDIENCE: z.string().optional(),
    DEV_ISSUER_PRIVATE_JWK: required(),
  }),
);

const signer = signerFromJwk(env.DEV_ISSUER_PRIVATE_JWK);

export const handler = httpHandler(async (event) => {
  // Belt and braces: the route only exists in the local stage, and the function refuses elsewhere.
  if (env.STAGE !== 'local') throw new NotFoundError('No such route.');
  const claims = validate(DevTokenRequestSchema, jsonBody(event), 'token request');
  const token = mintToken(signer, claims, { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE });
  return { status: 200, body: { token } };
});
