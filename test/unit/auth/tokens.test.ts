import { generateKeyPairSync } from 'node:crypto';
import type { APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  apiWildcardArn,
  bearerToken,
  createTokenVerifier,
  InvalidTokenError,
} from '../../../lambdas/auth/token-verifier.ts';
import { mintToken, signerFromJwk, signJwt } from '../../../lambdas/dev/token-signer.ts';
import { apiEvent, lambdaContext } from '../support.ts';

const ISSUER = 'http://127.0.0.1:3000/local-issuer';
const AUDIENCE = 'serverless-store';

/** A fresh ES256 key pair as the local issuer keeps it: a private JWK and the public JWKS. */
function issuerKeys(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return { privateJwk: JSON.stringify(privateJwk), jwks: { keys: [publicJwk] } };
}

const keys = issuerKeys('local-1');
const signer = signerFromJwk(keys.privateJwk);
const verify = createTokenVerifier({
  kind: 'issuer',
  issuer: ISSUER,
  audience: AUDIENCE,
  jwks: keys.jwks as never,
});

describe('local issuer tokens', () => {
  it('verify with the public JWKS and carry sub, groups and email', async () => {
    const token = mintToken(
      signer,
      { sub: 'alice', groups: ['admin'], email: 'a@example.com' },
      { issuer: ISSUER, audience: AUDIENCE },
    );
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: 'local-1',
    });
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', groups: ['admin'], email: 'a@example.com' });
  });

  it('reject a tampered signature, a garbage token, another issuer, another audience, an expired token', async () => {
    const good = mintToken(signer, { sub: 'alice' }, { issuer: ISSUER, audience: AUDIENCE });
    const bad = [
      `${good.slice(0, -4)}AAAA`,
      'not.a.jwt',
      mintToken(signer, { sub: 'alice' }, { issuer: 'https://evil.example.com', audience: AUDIENCE }),
      mintToken(signer, { sub: 'alice' }, { issuer: ISSUER, audience: 'other' }),
      mintToken(
        signer,
        { sub: 'alice' },
        { issuer: ISSUER, audience: AUDIENCE, now: new Date(Date.now() - 7200_000) },
      ),
      mintToken(
        signerFromJwk(issuerKeys('local-1').privateJwk),
        { sub: 'alice' },
        { issuer: ISSUER, audience: AUDIENCE },
      ),
    ];
    for (const token of bad) await expect(verify(token), token).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('parses bearer headers and widens the method ARN to the whole API', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    // The TOKEN authorizer's validation expression, exactly: one space, a compact JWS.
    for (const header of [
      'bearer abc',
      'BEARER a.b.c',
      'Bearer  a.b.c',
      'Bearer\ta.b.c',
      'Bearer a.b.c ',
      'Bearer a.b',
    ]) {
      expect(bearerToken(header), header).toBeUndefined();
    }
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(
      apiWildcardArn('arn:aws:execute-api:us-east-1:123456789012:abc123/local/POST/admin/products'),
    ).toBe('arn:aws:execute-api:us-east-1:123456789012:abc123/local/*');
  });
});

describe('POST /dev/token -> authorizer', () => {
  type Handler<E, R> = (event: E, context?: unknown) => Promise<R>;
  let tokenHandler: Handler<ReturnType<typeof apiEvent>, APIGatewayProxyResult>;
  let authorizer: Handler<
    APIGatewayTokenAuthorizerEvent,
    {
      principalId: string;
      context?: Record<string, unknown>;
      policyDocument: { Statement: { Effect: string; Resource: unknown }[] };
    }
  >;

  beforeAll(async () => {
    vi.stubEnv('STAGE', 'local');
    vi.stubEnv('AUTH_MODE', 'issuer');
    vi.stubEnv('JWT_ISSUER', ISSUER);
    vi.stubEnv('JWT_AUDIENCE', AUDIENCE);
    vi.stubEnv('DEV_ISSUER_PRIVATE_JWK', keys.privateJwk);
    vi.stubEnv('JWKS_JSON', JSON.stringify(keys.jwks));
    vi.stubEnv('JWKS_URI', '');
    // The handlers read their configuration at import, as on a cold start.
    tokenHandler = (await import('../../../lambdas/dev/handlers/token.handler.ts')).handler as never;
    authorizer = (await import('../../../lambdas/auth/handlers/authorizer.handler.ts')).handler as never;
  });

  const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api1/local/GET/products';

  it('mints a token the authorizer accepts, with the caller in the context', async () => {
    const res = await tokenHandler(
      apiEvent({ httpMethod: 'POST', body: JSON.stringify({ sub: 'carol', groups: ['admin', 'staff'] }) }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    const { token } = JSON.parse(res.body) as { token: string };
    const result = await authorizer({ type: 'TOKEN', authorizationToken: `Bearer ${token}`, methodArn });
    expect(result.principalId).toBe('carol');
    expect(result.context).toEqual({ sub: 'carol', groups: '["admin","staff"]', email: '', phone: '' });
    expect(result.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:us-east-1:123456789012:api1/local/*',
    });
  });

  it('throws Unauthorized for a bad or missing bearer token', async () => {
    await expect(
      authorizer({ type: 'TOKEN', authorizationToken: 'Bearer not.a.jwt', methodArn }),
    ).rejects.toThrow(/^Unauthorized$/);
    await expect(authorizer({ type: 'TOKEN', authorizationToken: '', methodArn })).rejects.toThrow(
      /^Unauthorized$/,
    );
  });

  it('validates the token request strictly', async () => {
    const res = await tokenHandler(
      apiEvent({ httpMethod: 'POST', body: JSON.stringify({ sub: 'x', role: 'admin' }) }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([{ path: 'role', message: 'Unknown field' }]);
  });
});

describe('the phone_number claim', () => {
  it('is carried from the dev token to the identity, and a malformed number is dropped', async () => {
    const options = { issuer: ISSUER, audience: AUDIENCE };
    const good = await verify(mintToken(signer, { sub: 'dana', phone: '+15551234567' }, options));
    expect(good.phone).toBe('+15551234567');
    expect((await verify(mintToken(signer, { sub: 'dana' }, options))).phone).toBeUndefined();
    // A claim that is not E.164 (another issuer may write anything there) is ignored.
    const now = Math.floor(Date.now() / 1000);
    const odd = signJwt(signer, {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'dana',
      iat: now,
      exp: now + 300,
      phone_number: '555-1234; DROP',
    });
    expect((await verify(odd)).phone).toBeUndefined();
  });
});
