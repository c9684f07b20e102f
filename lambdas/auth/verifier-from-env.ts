/**
 * The token verifier both authorizers use, configured from the environment once per container.
 * AUTH_MODE=cognito: COGNITO_USER_POOL_ID and COGNITO_CLIENT_IDS (comma-separated app client ids).
 * AUTH_MODE=issuer (the local issuer): JWT_ISSUER, JWT_AUDIENCE, and JWKS_JSON or JWKS_URI.
 */
import * as z from 'zod';
import { loadEnv, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';
import { createTokenVerifier, JWKS_FETCH_FAILED, type VerifierConfig } from './token-verifier.ts';

const EnvSchema = z.discriminatedUnion('AUTH_MODE', [
  z.object({
    AUTH_MODE: z.literal('cognito'),
    COGNITO_USER_POOL_ID: z.string().regex(/^[\w-]+_[0-9A-Za-z]+$/),
    COGNITO_CLIENT_IDS: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.string().regex(/^[\w+]+$/)).min(1)),
  }),
  z
    .object({
      AUTH_MODE: z.literal('issuer'),
      JWT_ISSUER: required(),
      JWT_AUDIENCE: required(),
      JWKS_URI: z.string().optional(),
      JWKS_JSON: z.string().optional(),
    })
    .refine((e) => e.JWKS_URI || e.JWKS_JSON, 'JWKS_URI or JWKS_JSON is required'),
]);

export function verifierConfigFromEnv(env: NodeJS.ProcessEnv = process.env): VerifierConfig {
  const config = loadEnv(EnvSchema, env);
  if (config.AUTH_MODE === 'cognito') {
    return { kind: 'cognito', userPoolId: config.COGNITO_USER_POOL_ID, clientIds: config.COGNITO_CLIENT_IDS };
  }
  return {
    kind: 'issuer',
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ...(config.JWKS_URI ? { jwksUri: config.JWKS_URI } : {}),
    ...(config.JWKS_JSON ? { jwks: JSON.parse(config.JWKS_JSON) } : {}),
  };
}

export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return createTokenVerifier(verifierConfigFromEnv(env), {
    onJwksFetchFailure: (jwksUri, error) =>
      logger.error(JWKS_FETCH_FAILED, { jwksUri, error: error as Error }),
  });
}
