import { describe, expect, it } from 'vitest';
import {
  cognitoMinter,
  cognitoSettings,
  TEST_USERS,
  testUserFor,
  testUsername,
  tokenSourceFromEnv,
  tokenSourceName,
} from '../../e2e/support/token-source.ts';

const POOL = 'eu-west-1_AbCdEf123';
const cognitoEnv = {
  E2E_TOKEN_SOURCE: 'cognito',
  E2E_COGNITO_USER_POOL_ID: POOL,
  E2E_COGNITO_CLIENT_ID: 'client-1',
  E2E_COGNITO_PASSWORD: 'pw-of-this-run',
};

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { AuthFlow: string; ClientId: string; AuthParameters: { USERNAME: string; PASSWORD: string } };
}

/** A Cognito that answers each sign-in with `answer(username)` and records what it was sent. */
function fakeCognito(answer: (username: string) => { status: number; body: unknown }) {
  const sent: Sent[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Sent['body'];
    sent.push({ url, headers: init.headers as Record<string, string>, body });
    const { status, body: out } = answer(body.AuthParameters.USERNAME);
    return new Response(JSON.stringify(out), { status });
  }) as unknown as typeof fetch;
  return { sent, fetchFn };
}

describe('choosing the token source', () => {
  it('is the local issuer unless told otherwise', () => {
    expect(tokenSourceName({})).toBe('dev');
    expect(tokenSourceName({ E2E_TOKEN_SOURCE: 'dev' })).toBe('dev');
    expect(tokenSourceName({ E2E_TOKEN_SOURCE: 'cognito' })).toBe('cognito');
    // The store client keeps its own /dev/token minting.
    expect(tokenSourceFromEnv({})).toBeUndefined();
    expect(tokenSourceFromEnv({ E2E_TOKEN_SOURCE: 'dev' })).toBeUndefined();
    expect(tokenSourceFromEnv(cognitoEnv)).toEqual(expect.any(Function));
  });

  it.each(['Cognito', 'prod', ''])('refuses E2E_TOKEN_SOURCE=%j', (value) => {
    expect(() => tokenSourceName({ E2E_TOKEN_SOURCE: value })).toThrow(/dev .* or cognito/);
  });

  it('names every missing Cognito setting', () => {
    expect(() => tokenSourceFromEnv({ E2E_TOKEN_SOURCE: 'cognito' })).toThrow(
      'E2E_TOKEN_SOURCE=cognito needs E2E_COGNITO_USER_POOL_ID, E2E_COGNITO_CLIENT_ID, E2E_COGNITO_PASSWORD',
    );
    const { E2E_COGNITO_PASSWORD: _, ...noPassword } = cognitoEnv;
    expect(() => cognitoSettings(noPassword)).toThrow(/needs E2E_COGNITO_PASSWORD$/);
    // The runner reads the pool before there is a password.
    expect(cognitoSettings(noPassword, false).userPoolId).toBe(POOL);
  });

  it("takes the region from the pool id, Cognito's regional endpoint, or what it is told", () => {
    expect(cognitoSettings(cognitoEnv)).toEqual({
      region: 'eu-west-1',
      endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      userPoolId: POOL,
      clientId: 'client-1',
      password: 'pw-of-this-run',
    });
    expect(
      cognitoSettings({
        ...cognitoEnv,
        E2E_COGNITO_REGION: 'us-east-2',
        E2E_COGNITO_ENDPOINT: 'http://127.0.0.1:4566/',
      }),
    ).toMatchObject({ region: 'us-east-2', endpoint: 'http://127.0.0.1:4566/' });
    expect(() => cognitoSettings({ ...cognitoEnv, E2E_COGNITO_USER_POOL_ID: 'nopool' })).toThrow(
      /set E2E_COGNITO_REGION/,
    );
  });
});

describe('test users', () => {
  it('maps the claim sets the deployed files ask for to one user each, groups in any order', () => {
    expect(testUserFor({ sub: 'e2e-admin', groups: ['admin'] })).toBe(TEST_USERS[0]);
    expect(testUserFor({ sub: 'e2e-shopper' })).toBe(TEST_USERS[1]);
    expect(testUserFor({ sub: 'e2e-shopper', groups: [] })).toBe(TEST_USERS[1]);
    expect(TEST_USERS.map(testUsername)).toEqual(['e2e-admin@example.com', 'e2e-shopper@example.com']);
  });

  it('refuses claims no test user has, and claims an access token cannot carry', () => {
    expect(() => testUserFor({ sub: 'e2e-admin' })).toThrow(/no test user for .*e2e-admin.*TEST_USERS/);
    expect(() => testUserFor({ sub: 'e2e-shopper', groups: ['admin'] })).toThrow(/no test user/);
    expect(() => testUserFor({ sub: 'bob' })).toThrow(/no test user/);
    expect(() => testUserFor({ sub: 'e2e-shopper', email: 'bob@example.com' })).toThrow(/local cloud only/);
    expect(() => testUserFor({ sub: 'e2e-shopper', phone: '+15555550100' })).toThrow(/local cloud only/);
  });
});

describe('signing in with Cognito', () => {
  const settings = cognitoSettings(cognitoEnv);

  it('asks InitiateAuth (USER_PASSWORD_AUTH on the e2e client) and answers the access token', async () => {
    const { sent, fetchFn } = fakeCognito((u) => ({
      status: 200,
      body: { AuthenticationResult: { AccessToken: `access-${u}`, IdToken: 'not-this-one' } },
    }));
    const mint = cognitoMinter(settings, fetchFn);
    await expect(mint({ sub: 'e2e-admin', groups: ['admin'] })).resolves.toBe('access-e2e-admin@example.com');
    expect(sent).toEqual([
      {
        url: 'https://cognito-idp.eu-west-1.amazonaws.com/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: 'client-1',
          AuthParameters: { USERNAME: 'e2e-admin@example.com', PASSWORD: 'pw-of-this-run' },
        },
      },
    ]);
  });

  it('signs each user in once per process', async () => {
    const { sent, fetchFn } = fakeCognito((u) => ({
      status: 200,
      body: { AuthenticationResult: { AccessToken: u } },
    }));
    const mint = cognitoMinter(settings, fetchFn);
    const tokens = await Promise.all([
      mint({ sub: 'e2e-admin', groups: ['admin'] }),
      mint({ sub: 'e2e-admin', groups: ['admin'] }),
      mint({ sub: 'e2e-shopper' }),
      mint({ sub: 'e2e-shopper', groups: [] }),
    ]);
    expect(tokens).toEqual([
      'e2e-admin@example.com',
      'e2e-admin@example.com',
      'e2e-shopper@example.com',
      'e2e-shopper@example.com',
    ]);
    expect(sent.map((s) => s.body.AuthParameters.USERNAME)).toEqual([
      'e2e-admin@example.com',
      'e2e-shopper@example.com',
    ]);
  });

  it('says what Cognito refused, and tries again on the next ask', async () => {
    let fail = true;
    const { sent, fetchFn } = fakeCognito(() =>
      fail
        ? {
            status: 400,
            body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' },
          }
        : { status: 200, body: { AuthenticationResult: { AccessToken: 'at-last' } } },
    );
    const mint = cognitoMinter(settings, fetchFn);
    await expect(mint({ sub: 'e2e-shopper' })).rejects.toThrow(
      'InitiateAuth for e2e-shopper@example.com answered 400 NotAuthorizedException: Incorrect username or password.',
    );
    fail = false;
    await expect(mint({ sub: 'e2e-shopper' })).resolves.toBe('at-last');
    expect(sent).toHaveLength(2);
  });

  it('refuses a challenge instead of a token (a user whose password is not permanent)', async () => {
    const { fetchFn } = fakeCognito(() => ({
      status: 200,
      body: { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' },
    }));
    await expect(cognitoMinter(settings, fetchFn)({ sub: 'e2e-shopper' })).rejects.toThrow(
      /challenge NEW_PASSWORD_REQUIRED: the test users need a permanent password/,
    );
  });

  it('never asks Cognito for claims it cannot serve', async () => {
    const { sent, fetchFn } = fakeCognito(() => ({ status: 200, body: {} }));
    const mint = cognitoMinter(settings, fetchFn);
    await expect(mint({ sub: 'bob', email: 'bob@example.com' })).rejects.toThrow(/local cloud only/);
    expect(sent).toEqual([]);
  });
});
