/**
 * The token verifier both authorizers use, configured from the environment once per container:
 * JWT_ISSUER, JWT_AUDIENCE (empty: not checked), and JWKS_URI or JWKS_JSON.
 */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { createTokenVerifier } from './token-verifier.ts';

export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const config = loadEnv(
    z
      .object({
        JWT_ISSUER: required(),
        JWT_AUDIENCE: z.string().optional(),
        JWKS_URI: z.string().optional(),
        JWKS_JSON: z.string().optional(),
      })
      .refine((e) => e.JWKS_URI || e.JWKS_JSON, 'JWKS_URI or JWKS_JSON is required'),
    env,
  );
  return createTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    jwksUri: config.JWKS_URI || undefined,
    jwks: config.JWKS_JSON ? JSON.parse(config.JWKS_JSON) : undefined,
  });
}
