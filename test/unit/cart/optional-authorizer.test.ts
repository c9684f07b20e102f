import { generateKeyPairSync } from 'node:crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mintToken, signerFromJwk } from '../../../lambdas/dev/token-signer.ts';

const ISSUER = 'http://127.0.0.1:3000/local-issuer';
const AUDIENCE = 'serverless-store';
const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api1/local/POST/carts/*/items';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateJwk = JSON.stringify({
  ...privateKey.export({ format: 'jwk' }),
  kid: 'k1',
  alg: 'ES256',
  use: 'sig',
});
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' }] };
const signer = signerFromJwk(privateJwk);

function event(headers: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return { type: 'REQUEST', methodArn, headers } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('optional authorizer (cart routes)', () => {
  let handler: (e: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

  beforeAll(async () => {
    vi.stubEnv('AUTH_MODE', 'issuer');
    vi.stubEnv('JWT_ISSUER', ISSUER);
    vi.stubEnv('JWT_AUDIENCE', AUDIENCE);
    vi.stubEnv('JWKS_JSON', JSON.stringify(jwks));
    vi.stubEnv('JWKS_URI', '');
    // Configuration is read at import, as on a cold start.
    handler = (await import('../../../lambdas/auth/handlers/optional-authorizer.handler.ts')).handler;
  });

  it('allows a request without Authorization, with no caller in the context', async () => {
    for (const headers of [{}, { authorization: '' }] as Record<string, string>[]) {
      const result = await handler(event(headers));
      expect(result.context).toEqual({});
      expect(result.principalId).toBe('anonymous');
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn },
      ]);
    }
  });

  it('puts a verified caller in the context, whatever the header spelling', async () => {
    const token = mintToken(
      signer,
      { sub: 'dana', groups: ['staff'] },
      { issuer: ISSUER, audience: AUDIENCE },
    );
    const result = await handler(event({ Authorization: `Bearer ${token}` }));
    expect(result.principalId).toBe('dana');
    expect(result.context).toEqual({ sub: 'dana', groups: '["staff"]', email: '', phone: '' });
  });

  it('turns away a header that is present but not a valid bearer token (401, never anonymous)', async () => {
    const expired = mintToken(
      signer,
      { sub: 'dana' },
      { issuer: ISSUER, audience: AUDIENCE, now: new Date(Date.now() - 7_200_000) },
    );
    for (const value of ['Bearer not.a.jwt', 'Basic dXNlcjpwYXNz', `Bearer ${expired}`, 'Bearer']) {
      await expect(handler(event({ authorization: value })), value).rejects.toThrow(/^Unauthorized$/);
    }
  });
});
