/**
 * Where the end-to-end suite's tokens come from, chosen by the environment:
 *
 * - `E2E_TOKEN_SOURCE` unset or `dev`: the local issuer (the client's own default, stage local).
 * - `E2E_TOKEN_SOURCE=cognito`: a deployed stage's user pool. Every claim set the suite asks for
 *   is one of the test users below, which `npm run test:deployed` creates in the pool; each signs
 *   in with USER_PASSWORD_AUTH on the stage's end-to-end app client and the suite gets its access
 *   token. The pool gives admins their group only with a TOTP factor (docs/identity.md), so the
 *   runner enrolls one for the admin test user (`enrollTotp`) and the admin answers the
 *   SOFTWARE_TOKEN_MFA challenge with a code from its secret. Needs `E2E_COGNITO_USER_POOL_ID`,
 *   `E2E_COGNITO_CLIENT_ID` and `E2E_COGNITO_PASSWORD`, and for the admin
 *   `E2E_COGNITO_TOTP_SECRET` (all set by the runner; `E2E_COGNITO_TOTP_STEPS`, a directory, lets
 *   the run's processes use each code once between them); `E2E_COGNITO_REGION` defaults to the
 *   pool id's own region and `E2E_COGNITO_ENDPOINT` to Cognito's regional endpoint.
 */
import { ADMIN_GROUP } from '../../../lambdas/auth/admin-mfa.ts';
import {
  type Clock,
  directoryLedger,
  freshCode,
  memoryLedger,
  type StepLedger,
  systemClock,
} from './totp.ts';

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

/**
 * The claim sets the deployed files ask for (`adminToken()`, `shopperToken()`), one user each. One
 * admin: the runner enrolls its TOTP factor and passes the secret as E2E_COGNITO_TOTP_SECRET.
 */
export const TEST_USERS: readonly TestUser[] = [
  { sub: 'e2e-admin', groups: ['admin'] },
  { sub: 'e2e-shopper', groups: [] },
];

/** The pool signs users in by email; example.com receives nothing (and creation sends nothing). */
export const testUsername = (user: TestUser) => `${user.sub}@example.com`;

/** Admins get their group only with a TOTP factor enabled (the pool's pre token generation rule). */
export const needsTotp = (user: TestUser) => user.groups.includes(ADMIN_GROUP);

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
  /** The base32 TOTP secret the runner enrolled for the admin test user, if any. */
  totpSecret: string | undefined;
  /** A directory shared by the run's processes that records the TOTP steps used (else per process). */
  totpSteps: string | undefined;
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
    totpSecret: env.E2E_COGNITO_TOTP_SECRET || undefined,
    totpSteps: env.E2E_COGNITO_TOTP_STEPS || undefined,
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

/** What the Cognito user pools API answers the calls below (the fields they read). */
interface CognitoAnswer {
  AuthenticationResult?: { AccessToken?: string };
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
  SecretCode?: string;
  Status?: string;
  __type?: string;
  message?: string;
}

/**
 * One call of the user pools API as plain JSON over HTTP: the calls below are unauthenticated or
 * authorized by the user's own access token, so no AWS credentials or SDK are involved.
 */
async function cognitoCall(
  settings: CognitoSettings,
  fetchFn: typeof fetch,
  operation: string,
  username: string,
  request: Record<string, unknown>,
  hint: (type: string | undefined) => string = () => '',
): Promise<CognitoAnswer> {
  const res = await fetchFn(settings.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(request),
  });
  const text = await res.text();
  let body: CognitoAnswer = {};
  try {
    body = (text ? JSON.parse(text) : {}) as CognitoAnswer;
  } catch {
    // Not JSON (a proxy's error page): the text itself is quoted below.
  }
  if (res.status !== 200) {
    throw new Error(
      `${operation} for ${username} answered ${res.status} ${body.__type ?? ''}: ${body.message ?? text}${hint(body.__type)}`,
    );
  }
  return body;
}

const passwordAuth = (settings: CognitoSettings, username: string) => ({
  AuthFlow: 'USER_PASSWORD_AUTH',
  ClientId: settings.clientId,
  AuthParameters: { USERNAME: username, PASSWORD: settings.password },
});

const TOTP_CHALLENGE = 'SOFTWARE_TOKEN_MFA';

/** The access token of an answer, or what kept Cognito from giving one. */
function accessTokenOf(answer: CognitoAnswer, operation: string, username: string): string {
  const token = answer.AuthenticationResult?.AccessToken;
  if (token) return token;
  const challenge = answer.ChallengeName;
  if (challenge && challenge !== 'NEW_PASSWORD_REQUIRED') {
    throw new Error(
      `${operation} for ${username} answered challenge ${challenge}, which the suite does not answer (it answers ${TOTP_CHALLENGE} for the admin test user)`,
    );
  }
  throw new Error(
    `${operation} for ${username} answered ${challenge ? `challenge ${challenge}` : 'no access token'}: the test users need a permanent password (npm run test:deployed sets one)`,
  );
}

const codeHint = (type: string | undefined) =>
  type === 'CodeMismatchException' || type === 'ExpiredCodeException'
    ? " (E2E_COGNITO_TOTP_SECRET is not the secret of the factor the user has now, or this machine's clock is off)"
    : '';

/** Where the codes of this process come from: the run's shared ledger of used steps, else its own. */
export interface TotpSource {
  ledger: StepLedger;
  clock: Clock;
}

export const totpSourceFor = (settings: CognitoSettings): TotpSource => ({
  ledger: settings.totpSteps ? directoryLedger(settings.totpSteps) : memoryLedger(),
  clock: systemClock,
});

/** Signs the test users in with the pool's end-to-end client; one sign-in per user per process. */
export function cognitoMinter(
  settings: CognitoSettings,
  fetchFn: typeof fetch = fetch,
  totpSource: TotpSource = totpSourceFor(settings),
): TokenMinter {
  const tokens = new Map<string, Promise<string>>();
  const signIn = async (username: string): Promise<string> => {
    const started = await cognitoCall(
      settings,
      fetchFn,
      'InitiateAuth',
      username,
      passwordAuth(settings, username),
    );
    if (started.ChallengeName !== TOTP_CHALLENGE) return accessTokenOf(started, 'InitiateAuth', username);
    if (!settings.totpSecret) {
      throw new Error(
        `InitiateAuth for ${username} answered challenge ${TOTP_CHALLENGE} and E2E_COGNITO_TOTP_SECRET is not set: npm run test:deployed enrolls the user's TOTP factor and passes its secret`,
      );
    }
    const { code } = await freshCode(settings.totpSecret, totpSource.ledger, totpSource.clock);
    const answered = await cognitoCall(
      settings,
      fetchFn,
      'RespondToAuthChallenge',
      username,
      {
        ChallengeName: TOTP_CHALLENGE,
        ClientId: settings.clientId,
        Session: started.Session,
        ChallengeResponses: {
          // The pool signs in by email; the challenge names the user's own username.
          USERNAME: started.ChallengeParameters?.USER_ID_FOR_SRP ?? username,
          SOFTWARE_TOKEN_MFA_CODE: code,
        },
      },
      codeHint,
    );
    return accessTokenOf(answered, 'RespondToAuthChallenge', username);
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
 * Gives a test user a new TOTP factor and answers its base32 secret, with the user's own access
 * token (USER_PASSWORD_AUTH, then AssociateSoftwareToken, VerifySoftwareToken with a code of the
 * secret, SetUserMFAPreference: TOTP enabled and preferred). A factor from an earlier run, whose
 * secret is gone, shows as a SOFTWARE_TOKEN_MFA challenge: `turnOffTotp` (an administrator's
 * AdminSetUserMFAPreference) removes it first, so the user can sign in with its password alone.
 */
export async function enrollTotp(
  settings: CognitoSettings,
  user: TestUser,
  turnOffTotp: (username: string) => void | Promise<void>,
  fetchFn: typeof fetch = fetch,
  totpSource: TotpSource = totpSourceFor(settings),
): Promise<string> {
  const username = testUsername(user);
  const signIn = () =>
    cognitoCall(settings, fetchFn, 'InitiateAuth', username, passwordAuth(settings, username));
  let started = await signIn();
  if (started.ChallengeName === TOTP_CHALLENGE) {
    await turnOffTotp(username);
    started = await signIn();
    if (started.ChallengeName === TOTP_CHALLENGE) {
      throw new Error(
        `InitiateAuth for ${username} still answered challenge ${TOTP_CHALLENGE} after its TOTP factor was turned off`,
      );
    }
  }
  const accessToken = accessTokenOf(started, 'InitiateAuth', username);
  const associated = await cognitoCall(settings, fetchFn, 'AssociateSoftwareToken', username, {
    AccessToken: accessToken,
  });
  const secret = associated.SecretCode;
  if (!secret) throw new Error(`AssociateSoftwareToken for ${username} answered no SecretCode`);
  const { code } = await freshCode(secret, totpSource.ledger, totpSource.clock);
  const verified = await cognitoCall(
    settings,
    fetchFn,
    'VerifySoftwareToken',
    username,
    {
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: 'store e2e',
    },
    (type) =>
      type === 'EnableSoftwareTokenMFAException' || type === 'CodeMismatchException'
        ? " (the code is the new secret's: is this machine's clock off?)"
        : '',
  );
  if (verified.Status !== 'SUCCESS') {
    throw new Error(
      `VerifySoftwareToken for ${username} answered status ${verified.Status ?? 'none'}: Cognito did not take the code of the secret it had just made`,
    );
  }
  await cognitoCall(settings, fetchFn, 'SetUserMFAPreference', username, {
    AccessToken: accessToken,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  return secret;
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
