/**
 * Where the end-to-end suite's tokens come from, chosen by the environment:
 *
 * - `E2E_TOKEN_SOURCE` unset or `dev`: the local issuer (the client's own default, stage local).
 * - `E2E_TOKEN_SOURCE=cognito`: a deployed stage's user pool. Every claim set the suite asks for
 *   is one of the test users below, which `npm run test:deployed` creates in the pool; each signs
 *   in with USER_PASSWORD_AUTH on the stage's end-to-end app client and the suite gets its access
 *   token. Needs `E2E_COGNITO_USER_POOL_ID`, `E2E_COGNITO_CLIENT_ID` and `E2E_COGNITO_PASSWORD`
 *   (set by the runner); `E2E_COGNITO_REGION` defaults to the pool id's own region and
 *   `E2E_COGNITO_ENDPOINT` to Cognito's regional endpoint.
 */

/** The claims a test asks a token for (a subset of the store client's token request). */
export interface TokenClaims {
  sub: string;
  groups?: string[];
  email?: string;
  phone?: string;
}

export type TokenMinter = (claims: TokenClaims) => Promise<string>;

export interface TestUser {
  sub: string;
  groups: readonly string[];
}

/** The claim sets the deployed files ask for (`adminToken()`, `shopperToken()`), one user each. */
export const TEST_USERS: readonly TestUser[] = [
  { sub: 'e2e-admin', groups: ['admin'] },
  { sub: 'e2e-shopper', groups: [] },
];

/** The pool signs users in by email; example.com receives nothing (and creation sends nothing). */
export const testUsername = (user: TestUser) => `${user.sub}@example.com`;

export type TokenSourceName = 'dev' | 'cognito';

export function tokenSourceName(env: NodeJS.ProcessEnv = process.env): TokenSourceName {
  const value = env.E2E_TOKEN_SOURCE ?? 'dev';
  if (value === 'dev' || value === 'cognito') return value;
  throw new Error(
    `E2E_TOKEN_SOURCE is dev (the local issuer) or cognito (a deployed stage), not ${JSON.stringify(value)}`,
  );
}

export interface CognitoSettings {
  region: string;
  endpoint: string;
  userPoolId: string;
  clientId: string;
  password: string;
}

/** The Cognito settings from the environment; every missing variable is named. */
export function cognitoSettings(env: NodeJS.ProcessEnv = process.env, needPassword = true): CognitoSettings {
  const required = [
    'E2E_COGNITO_USER_POOL_ID',
    'E2E_COGNITO_CLIENT_ID',
    ...(needPassword ? ['E2E_COGNITO_PASSWORD'] : []),
  ];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`E2E_TOKEN_SOURCE=cognito needs ${missing.join(', ')}`);
  const userPoolId = env.E2E_COGNITO_USER_POOL_ID as string;
  // A pool id is `<region>_<suffix>`.
  const region = env.E2E_COGNITO_REGION || userPoolId.split('_')[0] || '';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new Error(`no region in user pool id ${JSON.stringify(userPoolId)}: set E2E_COGNITO_REGION`);
  }
  return {
    region,
    endpoint: env.E2E_COGNITO_ENDPOINT || `https://cognito-idp.${region}.amazonaws.com/`,
    userPoolId,
    clientId: env.E2E_COGNITO_CLIENT_ID as string,
    password: env.E2E_COGNITO_PASSWORD ?? '',
  };
}

/** The test user a claim set stands for; claims no Cognito access token can carry are refused. */
export function testUserFor(claims: TokenClaims): TestUser {
  if (claims.email !== undefined || claims.phone !== undefined) {
    throw new Error(
      `a Cognito access token carries no email or phone claim (asked for ${JSON.stringify(claims)}): this test runs against the local cloud only`,
    );
  }
  const groups = [...(claims.groups ?? [])].sort();
  const user = TEST_USERS.find((u) => u.sub === claims.sub && [...u.groups].sort().join() === groups.join());
  if (!user) {
    const known = TEST_USERS.map((u) => JSON.stringify({ sub: u.sub, groups: u.groups })).join(', ');
    throw new Error(
      `no test user for ${JSON.stringify(claims)}: the deployed suite has ${known} (TEST_USERS)`,
    );
  }
  return user;
}

/** Signs the test users in with the pool's end-to-end client; one sign-in per user per process. */
export function cognitoMinter(settings: CognitoSettings, fetchFn: typeof fetch = fetch): TokenMinter {
  const tokens = new Map<string, Promise<string>>();
  const signIn = async (username: string): Promise<string> => {
    const res = await fetchFn(settings.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: settings.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: settings.password },
      }),
    });
    const text = await res.text();
    const body = (text ? JSON.parse(text) : {}) as {
      AuthenticationResult?: { AccessToken?: string };
      ChallengeName?: string;
      __type?: string;
      message?: string;
    };
    if (res.status !== 200) {
      throw new Error(
        `InitiateAuth for ${username} answered ${res.status} ${body.__type ?? ''}: ${body.message ?? text}`,
      );
    }
    const token = body.AuthenticationResult?.AccessToken;
    if (!token) {
      throw new Error(
        `InitiateAuth for ${username} answered ${body.ChallengeName ? `challenge ${body.ChallengeName}` : 'no access token'}: the test users need a permanent password (npm run test:deployed sets one)`,
      );
    }
    return token;
  };
  return async (claims) => {
    const username = testUsername(testUserFor(claims));
    let token = tokens.get(username);
    if (!token) {
      token = signIn(username);
      tokens.set(username, token);
      // A failed sign-in is not kept: the next ask tries again.
      token.catch(() => tokens.delete(username));
    }
    return token;
  };
}

/**
 * The token source the environment asks for: a Cognito minter, or undefined for the local issuer
 * (the store client's default), so `new StoreClient(baseUrl, tokenSourceFromEnv())` fits both.
 */
export function tokenSourceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  fetchFn: typeof fetch = fetch,
): TokenMinter | undefined {
  return tokenSourceName(env) === 'cognito' ? cognitoMinter(cognitoSettings(env), fetchFn) : undefined;
}
