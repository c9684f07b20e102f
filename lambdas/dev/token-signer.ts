/**
 * The local issuer: ES256 JWTs signed with node:crypto, verifiable with the issuer's public JWKS
 * (which the authorizer gets as JWKS_JSON). Local cloud only.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import * as z from 'zod';
import { boundedString } from '#shared/text.ts';

export const DevTokenRequestSchema = z
  .strictObject({
    sub: boundedString(128),
    groups: z.array(z.string().min(1).max(64)).max(20).optional(),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'An E.164 number, e.g. +15551234567.')
      .optional()
      .meta({ description: 'Becomes the `phone_number` claim: where SMS notifications go.' }),
  })
  .meta({ id: 'DevTokenRequest' });

export const DevTokenResponseSchema = z.object({ token: z.string() }).meta({ id: 'DevTokenResponse' });

export type DevTokenRequest = z.output<typeof DevTokenRequestSchema>;

export interface Signer {
  kid: string;
  key: KeyObject;
}

/** Reads a private EC P-256 JWK (with `kid`). */
export function signerFromJwk(jwkJson: string): Signer {
  const jwk = JSON.parse(jwkJson) as JsonWebKey & { kid?: string };
  if (!jwk.kid) throw new Error('the issuer JWK has no kid');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d)
    throw new Error('the issuer JWK is not a private P-256 key');
  // Only the key members: createPrivateKey has no use for kid, alg or use.
  const key = createPrivateKey({
    key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d },
    format: 'jwk',
  });
  return { kid: jwk.kid, key };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function mintToken(
  signer: Signer,
  claims: DevTokenRequest,
  options: { issuer: string; audience?: string; ttlSeconds?: number; now?: Date },
): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload: Record<string, unknown> = {
    iss: options.issuer,
    sub: claims.sub,
    iat,
    nbf: iat,
    exp: iat + (options.ttlSeconds ?? 3600),
    jti: randomUUID(),
  };
  if (options.audience) payload.aud = options.audience;
  if (claims.groups?.length) payload.groups = claims.groups;
  if (claims.email) payload.email = claims.email;
  if (claims.phone) payload.phone_number = claims.phone;
  return signJwt(signer, payload);
}

/** An ES256 JWS of `payload` with the signer's key id (header fields may be overridden). */
export function signJwt(
  signer: Signer,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const signingInput = `${b64({ alg: 'ES256', typ: 'JWT', kid: signer.kid, ...header })}.${b64(payload)}`;
  // JWS wants the raw r||s signature (IEEE P1363), not DER.
  const signature = sign('sha256', Buffer.from(signingInput), { key: signer.key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}
