/**
 * The admin test user's TOTP factor: enrolled by the runner with the user's own access token, then
 * answered at every sign-in. Against a stubbed Cognito that checks codes as the real one does
 * (RFC 6238 at its own clock, the previous step accepted, each step taken once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AwsCall, enrollAdminTotp, totpOffCall } from '../../e2e/support/deployed-suite.ts';
import {
  cognitoMinter,
  cognitoSettings,
  enrollTotp,
  needsTotp,
  TEST_USERS,
  type TotpSource,
} from '../../e2e/support/token-source.ts';
import {
  type Clock,
  directoryLedger,
  memoryLedger,
  TOTP_STEP_MS,
  timeStep,
  totp,
} from '../../e2e/support/totp.ts';
import { fakeClock } from './fake-clock.ts';

const ADMIN = TEST_USERS.find((u) => u.sub === 'e2e-admin');
if (!ADMIN) throw new Error('no e2e-admin test user');
const ADMIN_NAME = 'e2e-admin@example.com';
/** The pool signs in by email; the user's own username is its id. */
const ADMIN_ID = '5f1c-admin-uuid';
const OLD_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const NEW_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PASSWORD = 'pw-of-this-run';

const env = {
  E2E_TOKEN_SOURCE: 'cognito',
  E2E_COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
  E2E_COGNITO_CLIENT_ID: 'client-1',
  E2E_COGNITO_PASSWORD: PASSWORD,
};

/** The request fields the stub reads. */
interface Request {
  AuthParameters?: { USERNAME?: string; PASSWORD?: string };
  ChallengeResponses?: { USERNAME?: string; SOFTWARE_TOKEN_MFA_CODE?: string };
  Session?: string;
  AccessToken?: string;
  UserCode?: string;
  SoftwareTokenMfaSettings?: { Enabled?: boolean };
}

interface Call {
  operation: string;
  request: Request;
}

/** The factor e2e-admin has (enabled or not), as Cognito keeps it; other users have none. */
function fakePool(clock: Clock, factor?: { secret: string; enabled: boolean }) {
  const state = { factor, pending: undefined as string | undefined, lastStep: -1, signIns: 0 };
  const calls: Call[] = [];
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const refuse = (type: string, message: string) => answer(400, { __type: type, message });
  /** Cognito's check: this step's code or the previous one's, and no step twice. */
  const codeOk = (secret: string, code: unknown) => {
    const now = clock.now();
    for (const step of [timeStep(now), timeStep(now) - 1]) {
      if (totp(secret, step * TOTP_STEP_MS) === code && step > state.lastStep) {
        state.lastStep = step;
        return true;
      }
    }
    return false;
  };
  const plainToken = 'access-without-mfa';
  const fetchFn = (async (_url: string, init: RequestInit) => {
    const target = (init.headers as Record<string, string>)['x-amz-target'] ?? '';
    const operation = target.replace('AWSCognitoIdentityProviderService.', '');
    const request = JSON.parse(String(init.body)) as Request;
    calls.push({ operation, request });
    switch (operation) {
      case 'InitiateAuth': {
        if (request.AuthParameters?.PASSWORD !== PASSWORD) {
          return refuse('NotAuthorizedException', 'Incorrect username or password.');
        }
        state.signIns += 1;
        if (request.AuthParameters.USERNAME === ADMIN_NAME && state.factor?.enabled) {
          return answer(200, {
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: `session-${state.signIns}`,
            ChallengeParameters: { USER_ID_FOR_SRP: ADMIN_ID },
          });
        }
        return answer(200, { AuthenticationResult: { AccessToken: plainToken } });
      }
      case 'RespondToAuthChallenge': {
        const { USERNAME, SOFTWARE_TOKEN_MFA_CODE } = request.ChallengeResponses ?? {};
        if (request.Session !== `session-${state.signIns}` || USERNAME !== ADMIN_ID) {
          return refuse('NotAuthorizedException', 'Invalid session for the user.');
        }
        if (!state.factor || !codeOk(state.factor.secret, SOFTWARE_TOKEN_MFA_CODE)) {
          return refuse('CodeMismatchException', 'Invalid code received for user');
        }
        return answer(200, { AuthenticationResult: { AccessToken: `access-with-mfa-${state.signIns}` } });
      }
      case 'AssociateSoftwareToken':
        if (request.AccessToken !== plainToken) return refuse('NotAuthorizedException', 'Invalid token');
        state.pending = NEW_SECRET;
        return answer(200, { SecretCode: NEW_SECRET });
      case 'VerifySoftwareToken':
        if (!state.pending || !codeOk(state.pending, request.UserCode)) {
          return refuse(
            'EnableSoftwareTokenMFAException',
            'Code mismatch and fail enable Software Token MFA',
          );
        }
        state.factor = { secret: state.pending, enabled: false };
        return answer(200, { Status: 'SUCCESS' });
      case 'SetUserMFAPreference':
        if (state.factor) state.factor.enabled = request.SoftwareTokenMfaSettings?.Enabled === true;
        return answer(200, {});
      default:
        return refuse('UnknownOperationException', operation);
    }
  }) as unknown as typeof fetch;
  /** What AdminSetUserMFAPreference with TOTP disabled does. */
  const turnOff = () => {
    if (state.factor) state.factor.enabled = false;
  };
  return { state, calls, fetchFn, turnOff, operations: () => calls.map((c) => c.operation) };
}

// 10 s into a step.
const START = 56_666_667 * TOTP_STEP_MS + 10_000;
const source = (clock: Clock, ledger = memoryLedger()): TotpSource => ({ clock, ledger });

describe('the admin test user', () => {
  it('is the one test user that needs TOTP', () => {
    expect(TEST_USERS.filter(needsTotp)).toEqual([ADMIN]);
  });

  it('gets its secret and the run’s ledger of used steps from the environment', () => {
    expect(
      cognitoSettings({ ...env, E2E_COGNITO_TOTP_SECRET: NEW_SECRET, E2E_COGNITO_TOTP_STEPS: '/tmp/steps' }),
    ).toMatchObject({ totpSecret: NEW_SECRET, totpSteps: '/tmp/steps' });
    expect(cognitoSettings(env)).toMatchObject({ totpSecret: undefined, totpSteps: undefined });
  });
});

describe('signing the admin in with its TOTP factor', () => {
  it('answers the SOFTWARE_TOKEN_MFA challenge with the current code and gets the access token', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: NEW_SECRET, enabled: true });
    const settings = cognitoSettings({ ...env, E2E_COGNITO_TOTP_SECRET: NEW_SECRET });
    const mint = cognitoMinter(settings, pool.fetchFn, source(clock));
    await expect(mint({ sub: 'e2e-admin', groups: ['admin'] })).resolves.toBe('access-with-mfa-1');
    expect(pool.calls).toEqual([
      {
        operation: 'InitiateAuth',
        request: {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: 'client-1',
          AuthParameters: { USERNAME: ADMIN_NAME, PASSWORD },
        },
      },
      {
        operation: 'RespondToAuthChallenge',
        request: {
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          ClientId: 'client-1',
          Session: 'session-1',
          ChallengeResponses: { USERNAME: ADMIN_ID, SOFTWARE_TOKEN_MFA_CODE: totp(NEW_SECRET, START) },
        },
      },
    ]);
    expect(clock.slept).toEqual([]);
    // The shopper has no factor: one call, no challenge.
    await expect(mint({ sub: 'e2e-shopper' })).resolves.toBe('access-without-mfa');
    expect(pool.operations()).toHaveLength(3);
  });

  it('never sends a code twice: a second process in the same step waits for the next', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: NEW_SECRET, enabled: true });
    const dir = mkdtempSync(join(tmpdir(), 'totp-steps-'));
    try {
      const settings = cognitoSettings({
        ...env,
        E2E_COGNITO_TOTP_SECRET: NEW_SECRET,
        E2E_COGNITO_TOTP_STEPS: dir,
      });
      // Two test files: two processes, each with its own minter, sharing the run's directory.
      const catalogFile = cognitoMinter(settings, pool.fetchFn, source(clock, directoryLedger(dir)));
      const opsFile = cognitoMinter(settings, pool.fetchFn, source(clock, directoryLedger(dir)));
      await expect(catalogFile({ sub: 'e2e-admin', groups: ['admin'] })).resolves.toBe('access-with-mfa-1');
      await expect(opsFile({ sub: 'e2e-admin', groups: ['admin'] })).resolves.toBe('access-with-mfa-2');
      expect(clock.slept).toEqual([20_000]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused, as Cognito refuses a reused code, without a shared ledger (why the runner makes one)', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: NEW_SECRET, enabled: true });
    const settings = cognitoSettings({ ...env, E2E_COGNITO_TOTP_SECRET: NEW_SECRET });
    await cognitoMinter(settings, pool.fetchFn, source(clock))({ sub: 'e2e-admin', groups: ['admin'] });
    await expect(
      cognitoMinter(settings, pool.fetchFn, source(clock))({ sub: 'e2e-admin', groups: ['admin'] }),
    ).rejects.toThrow(
      'RespondToAuthChallenge for e2e-admin@example.com answered 400 CodeMismatchException: Invalid code received for user (E2E_COGNITO_TOTP_SECRET is not the secret of the factor the user has now',
    );
  });

  it('says the secret is missing instead of answering without one', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: NEW_SECRET, enabled: true });
    const mint = cognitoMinter(cognitoSettings(env), pool.fetchFn, source(clock));
    await expect(mint({ sub: 'e2e-admin', groups: ['admin'] })).rejects.toThrow(
      'InitiateAuth for e2e-admin@example.com answered challenge SOFTWARE_TOKEN_MFA and E2E_COGNITO_TOTP_SECRET is not set: npm run test:deployed enrolls',
    );
    expect(pool.operations()).toEqual(['InitiateAuth']);
  });

  it('names a challenge it does not answer', async () => {
    const fetchFn = (async () =>
      new Response(JSON.stringify({ ChallengeName: 'MFA_SETUP', Session: 's' }), {
        status: 200,
      })) as unknown as typeof fetch;
    await expect(cognitoMinter(cognitoSettings(env), fetchFn)({ sub: 'e2e-shopper' })).rejects.toThrow(
      'InitiateAuth for e2e-shopper@example.com answered challenge MFA_SETUP, which the suite does not answer',
    );
  });
});

describe('enrolling the admin’s factor', () => {
  it('with its own access token: associate, verify a code of the new secret, enable and prefer TOTP', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock);
    const settings = cognitoSettings(env);
    const turnedOff: string[] = [];
    const ledger = memoryLedger();
    const secret = await enrollTotp(
      settings,
      ADMIN,
      (u) => {
        turnedOff.push(u);
      },
      pool.fetchFn,
      source(clock, ledger),
    );
    expect(secret).toBe(NEW_SECRET);
    expect(turnedOff).toEqual([]);
    expect(pool.calls.slice(1)).toEqual([
      { operation: 'AssociateSoftwareToken', request: { AccessToken: 'access-without-mfa' } },
      {
        operation: 'VerifySoftwareToken',
        request: {
          AccessToken: 'access-without-mfa',
          UserCode: totp(NEW_SECRET, START),
          FriendlyDeviceName: 'store e2e',
        },
      },
      {
        operation: 'SetUserMFAPreference',
        request: {
          AccessToken: 'access-without-mfa',
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        },
      },
    ]);
    expect(pool.state.factor).toEqual({ secret: NEW_SECRET, enabled: true });

    // Then the admin signs in again with a fresh code: the enrollment used this step's.
    const mint = cognitoMinter({ ...settings, totpSecret: secret }, pool.fetchFn, source(clock, ledger));
    await expect(mint({ sub: 'e2e-admin', groups: ['admin'] })).resolves.toMatch(/^access-with-mfa-/);
    expect(clock.slept).toEqual([20_000]);
    expect(pool.operations().slice(-2)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('turns off the factor of an earlier run (its secret is gone) and enrolls a new one', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: OLD_SECRET, enabled: true });
    const turnedOff: string[] = [];
    const secret = await enrollTotp(
      cognitoSettings(env),
      ADMIN,
      (u) => {
        turnedOff.push(u);
        pool.turnOff();
      },
      pool.fetchFn,
      source(clock),
    );
    expect(turnedOff).toEqual([ADMIN_NAME]);
    expect(pool.operations()).toEqual([
      'InitiateAuth',
      'InitiateAuth',
      'AssociateSoftwareToken',
      'VerifySoftwareToken',
      'SetUserMFAPreference',
    ]);
    expect(secret).toBe(NEW_SECRET);
    expect(pool.state.factor).toEqual({ secret: NEW_SECRET, enabled: true });
  });

  it('stops when the factor stays on, and says so', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: OLD_SECRET, enabled: true });
    await expect(
      enrollTotp(cognitoSettings(env), ADMIN, () => {}, pool.fetchFn, source(clock)),
    ).rejects.toThrow(
      'InitiateAuth for e2e-admin@example.com still answered challenge SOFTWARE_TOKEN_MFA after its TOTP factor was turned off',
    );
    expect(pool.operations()).toEqual(['InitiateAuth', 'InitiateAuth']);
  });

  it('says what Cognito refused, with a hint', async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock);
    // Cognito has taken later steps already, as when this machine's clock is behind.
    pool.state.lastStep = timeStep(START) + 10;
    await expect(
      enrollTotp(cognitoSettings(env), ADMIN, () => {}, pool.fetchFn, source(clock)),
    ).rejects.toThrow(
      "VerifySoftwareToken for e2e-admin@example.com answered 400 EnableSoftwareTokenMFAException: Code mismatch and fail enable Software Token MFA (the code is the new secret's: is this machine's clock off?)",
    );
    expect(pool.operations()).not.toContain('SetUserMFAPreference');
  });
});

describe('the runner', () => {
  it('turns the factor off with AdminSetUserMFAPreference (AWS CLI)', () => {
    expect(totpOffCall('eu-west-1_Pool', ADMIN_NAME)).toEqual({
      args: [
        'cognito-idp',
        'admin-set-user-mfa-preference',
        '--user-pool-id',
        'eu-west-1_Pool',
        '--username',
        ADMIN_NAME,
        '--software-token-mfa-settings',
        'Enabled=false,PreferredMfa=false',
      ],
    });
  });

  it("enrolls the admin's factor, calling the AWS CLI only when one is left from an earlier run", async () => {
    const clock = fakeClock(START);
    const pool = fakePool(clock, { secret: OLD_SECRET, enabled: true });
    const settings = cognitoSettings(env);
    const aws: AwsCall[] = [];
    const runAwsCall = (call: AwsCall) => {
      aws.push(call);
      pool.turnOff();
    };
    await expect(enrollAdminTotp(settings, runAwsCall, pool.fetchFn, source(clock))).resolves.toBe(
      NEW_SECRET,
    );
    expect(aws).toEqual([totpOffCall('eu-west-1_AbCdEf123', ADMIN_NAME)]);
    // The next run: the factor is on again, so it is turned off again.
    await clock.sleep(TOTP_STEP_MS);
    await expect(enrollAdminTotp(settings, runAwsCall, pool.fetchFn, source(clock))).resolves.toBe(
      NEW_SECRET,
    );
    expect(aws).toHaveLength(2);
  });
});
