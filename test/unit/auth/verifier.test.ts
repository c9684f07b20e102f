import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  createTokenVerifier,
  InvalidTokenError,
  RateLimitedFetcher,
} from '../../../lambdas/auth/token-verifier.ts';
import { verifierConfigFromEnv } from '../../../lambdas/auth/verifier-from-env.ts';
import { signerFromJwk, signJwt } from '../../../lambdas/dev/token-signer.ts';

function issuerKeys(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return { signer: signerFromJwk(JSON.stringify(privateJwk)), jwks: { keys: [publicJwk] } as never };
}

const now = () => Math.floor(Date.now() / 1000);
const ISSUER = 'http://127.0.0.1:3000/dev';
const AUDIENCE = 'store-local';
const keys = issuerKeys('k1');

function localClaims(extra: Record<string, unknown> = {}) {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: now(), exp: now() + 600, ...extra };
}

/** A token with a given header, signed or not: verification must fail before or at the signature. */
function forged(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${Buffer.from('not a signature').toString('base64url')}`;
}

describe('local issuer verifier', () => {
  const verify = createTokenVerifier({ kind: 'issuer', issuer: ISSUER, audience: AUDIENCE, jwks: keys.jwks });

  it('accepts a token of the issuer with exp, sub and a list of groups', async () => {
    const token = signJwt(keys.signer, localClaims({ groups: ['admin', 'support,admin'] }));
    await expect(verify(token)).resolves.toEqual({ sub: 'alice', groups: ['admin', 'support,admin'] });
  });

  it.each([
    ['no exp', signJwt(keys.signer, localClaims({ exp: undefined }))],
    ['exp as a string', signJwt(keys.signer, localClaims({ exp: String(now() + 600) }))],
    ['expired', signJwt(keys.signer, localClaims({ exp: now() - 10 }))],
    ['exp more than a day ahead', signJwt(keys.signer, localClaims({ exp: now() + 86_400 + 120 }))],
    ['exp 1e300', signJwt(keys.signer, localClaims({ exp: 1e300 }))],
    ['iat in the future', signJwt(keys.signer, localClaims({ iat: now() + 600 }))],
    ['not yet valid', signJwt(keys.signer, localClaims({ nbf: now() + 600 }))],
    ['no sub', signJwt(keys.signer, localClaims({ sub: undefined }))],
    ['an empty sub', signJwt(keys.signer, localClaims({ sub: '' }))],
    ['no audience', signJwt(keys.signer, localClaims({ aud: undefined }))],
    ['another audience', signJwt(keys.signer, localClaims({ aud: 'other' }))],
    ['another issuer', signJwt(keys.signer, localClaims({ iss: 'https://evil.example.com' }))],
    ['groups as a string', signJwt(keys.signer, localClaims({ groups: 'admin' }))],
    ['groups with a number', signJwt(keys.signer, localClaims({ groups: ['admin', 1] }))],
    ['groups as an object', signJwt(keys.signer, localClaims({ groups: { 0: 'admin' } }))],
    ['an unknown kid', signJwt(keys.signer, localClaims(), { kid: 'no-such-key' })],
    ['no kid', signJwt(keys.signer, localClaims(), { kid: undefined })],
    ['a numeric kid', signJwt(keys.signer, localClaims(), { kid: 7 })],
    ['alg none', forged({ alg: 'none', kid: 'k1' }, localClaims())],
    ['alg HS256', forged({ alg: 'HS256', kid: 'k1' }, localClaims())],
    ['an unknown ES256 kid, unsigned', forged({ alg: 'ES256', kid: 'no-such-key' }, localClaims())],
    ['a header that is not JSON', `${Buffer.from('{').toString('base64url')}.e30.AAAA`],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['another key with the same kid', signJwt(issuerKeys('k1').signer, localClaims())],
  ])('rejects a token with %s as an InvalidTokenError', async (_, token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('never fetches for an unknown kid when the keys are inline', async () => {
    const fetcher = { fetch: vi.fn(async () => new ArrayBuffer(0)) };
    const inline = createTokenVerifier(
      { kind: 'issuer', issuer: ISSUER, audience: AUDIENCE, jwks: keys.jwks },
      { fetcher },
    );
    const token = signJwt(keys.signer, localClaims(), { kid: 'no-such-key' });
    for (let i = 0; i < 5; i++) await expect(inline(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(fetcher.fetch).not.toHaveBeenCalled();
  });
});

describe('JWKS fetches', () => {
  const jwksUri = 'https://issuer.example.com/.well-known/jwks.json';
  const failing = () => ({ fetch: vi.fn(async () => Promise.reject(new Error('connect ECONNREFUSED'))) });

  it('a JWKS that cannot be fetched is a 401 for the caller, reported once per attempt', async () => {
    const fetcher = failing();
    const failures: string[] = [];
    const verify = createTokenVerifier(
      { kind: 'issuer', issuer: 'https://issuer.example.com', audience: 'a', jwksUri },
      { fetcher, onJwksFetchFailure: (uri) => failures.push(uri) },
    );
    const other = issuerKeys('fresh');
    const token = signJwt(other.signer, {
      iss: 'https://issuer.example.com',
      aud: 'a',
      sub: 's',
      exp: now() + 60,
    });
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(failures).toEqual([jwksUri]);
  });

  it('fetches at most once per interval however many unknown kids arrive', async () => {
    let clock = 1_000_000;
    const fetcher = failing();
    const verify = createTokenVerifier(
      { kind: 'issuer', issuer: 'https://issuer.example.com', audience: 'a', jwksUri },
      { fetcher, minFetchIntervalMs: 10_000, now: () => clock },
    );
    const tokenWithKid = (kid: string) =>
      signJwt(issuerKeys(kid).signer, {
        iss: 'https://issuer.example.com',
        aud: 'a',
        sub: 's',
        exp: now() + 60,
      });
    for (let i = 0; i < 50; i++) {
      await expect(verify(tokenWithKid(`kid-${i}`))).rejects.toBeInstanceOf(InvalidTokenError);
    }
    expect(fetcher.fetch).toHaveBeenCalledTimes(1);
    clock += 10_001;
    await expect(verify(tokenWithKid('later'))).rejects.toBeInstanceOf(InvalidTokenError);
    expect(fetcher.fetch).toHaveBeenCalledTimes(2);
  });

  it('a fetched JWKS verifies its tokens, and a rotated-in key is found on the next allowed fetch', async () => {
    const first = issuerKeys('old');
    const second = issuerKeys('new');
    let published = first.jwks as { keys: unknown[] };
    let clock = 0;
    const fetcher = {
      fetch: vi.fn(async () => new TextEncoder().encode(JSON.stringify(published)).buffer as ArrayBuffer),
    };
    const verify = createTokenVerifier(
      { kind: 'issuer', issuer: 'https://issuer.example.com', audience: 'a', jwksUri },
      { fetcher, minFetchIntervalMs: 10_000, now: () => clock },
    );
    const claims = { iss: 'https://issuer.example.com', aud: 'a', sub: 's', exp: now() + 60 };
    await expect(verify(signJwt(first.signer, claims))).resolves.toMatchObject({ sub: 's' });
    published = {
      keys: [...(first.jwks as { keys: unknown[] }).keys, ...(second.jwks as { keys: unknown[] }).keys],
    };
    clock += 10_001;
    await expect(verify(signJwt(second.signer, claims))).resolves.toMatchObject({ sub: 's' });
    expect(fetcher.fetch).toHaveBeenCalledTimes(2);
  });

  it('RateLimitedFetcher refuses without calling through inside the interval', async () => {
    const inner = { fetch: vi.fn(async () => new ArrayBuffer(0)) };
    let clock = 0;
    const limited = new RateLimitedFetcher(inner, 1000, () => clock);
    await limited.fetch(jwksUri);
    await expect(limited.fetch(jwksUri)).rejects.toThrow(/rate limited/);
    clock = 1000;
    await limited.fetch(jwksUri);
    expect(inner.fetch).toHaveBeenCalledTimes(2);
  });
});

describe('Cognito verifier (deployed stages)', () => {
  const userPoolId = 'eu-west-1_TestPool1';
  const iss = `https://cognito-idp.eu-west-1.amazonaws.com/${userPoolId}`;
  const pool = issuerKeys('pool-key');
  const verify = createTokenVerifier(
    { kind: 'cognito', userPoolId, clientIds: ['webclient1', 'mobileclient2'], jwks: pool.jwks },
    { fetcher: { fetch: async () => Promise.reject(new Error('offline')) } },
  );
  const access = (extra: Record<string, unknown> = {}) =>
    signJwt(pool.signer, {
      iss,
      sub: 'u-1',
      token_use: 'access',
      client_id: 'webclient1',
      'cognito:groups': ['admin'],
      exp: now() + 600,
      iat: now(),
      ...extra,
    });

  it('accepts access tokens of the declared app clients, groups from cognito:groups', async () => {
    await expect(verify(access())).resolves.toEqual({ sub: 'u-1', groups: ['admin'] });
    await expect(
      verify(access({ client_id: 'mobileclient2', 'cognito:groups': undefined })),
    ).resolves.toEqual({
      sub: 'u-1',
      groups: [],
    });
  });

  it.each([
    ['an ID token', access({ token_use: 'id', client_id: undefined, aud: 'webclient1' })],
    ['no token_use', access({ token_use: undefined })],
    ['another app client of the pool', access({ client_id: 'otherclient3' })],
    ['no client_id', access({ client_id: undefined })],
    ['no exp', access({ exp: undefined })],
    ['an expired token', access({ exp: now() - 1 })],
    ['another pool', access({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['groups as a string', access({ 'cognito:groups': 'admin' })],
    [
      'an unknown kid',
      signJwt(
        pool.signer,
        { iss, sub: 'u', token_use: 'access', client_id: 'webclient1', exp: now() + 60 },
        { kid: 'no-such-key' },
      ),
    ],
  ])('rejects %s', async (_, token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('verifier configuration from the environment', () => {
  it('reads the Cognito mode with its app clients', () => {
    expect(
      verifierConfigFromEnv({
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: 'eu-west-1_Abc123',
        COGNITO_CLIENT_IDS: 'client1,client2',
      }),
    ).toEqual({ kind: 'cognito', userPoolId: 'eu-west-1_Abc123', clientIds: ['client1', 'client2'] });
  });

  it.each([
    [{}],
    [{ AUTH_MODE: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_Abc123', COGNITO_CLIENT_IDS: '' }],
    [{ AUTH_MODE: 'cognito', COGNITO_CLIENT_IDS: 'client1' }],
    [{ AUTH_MODE: 'issuer', JWT_ISSUER: ISSUER, JWKS_JSON: '{"keys":[]}' }],
    [{ AUTH_MODE: 'issuer', JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }],
    [{ AUTH_MODE: 'none' }],
  ])('refuses an incomplete configuration at cold start: %j', (env) => {
    expect(() => verifierConfigFromEnv(env)).toThrow(/Invalid environment/);
  });
});
