/**
 * The end-to-end files that run against a deployed stage, and `npm run test:deployed`, which runs
 * them there (docs/delivery.md, "End-to-end against staging").
 *
 * Most of the suite reaches past the API into what only the local cloud has: the /dev routes,
 * moto's tables and queues, the local issuer's key. The files below speak the public contract
 * only; every other file is listed with what keeps it local, and a unit test holds the two lists
 * to the directory and to what the files contain.
 *
 * `npm run test:deployed` needs E2E_BASE_URL (the stage's `ApiUrl`). With E2E_TOKEN_SOURCE=cognito,
 * E2E_COGNITO_USER_POOL_ID and E2E_COGNITO_CLIENT_ID (the stage's outputs) and AWS credentials that
 * may administer the pool's users, it first creates the test users (token-source.ts) with a fresh
 * password no one else sees and enrolls a new TOTP factor for the admin, then runs the files with
 * the password and the factor's secret.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CognitoSettings,
  cognitoSettings,
  enrollTotp,
  needsTotp,
  TEST_USERS,
  type TotpSource,
  testUsername,
  tokenSourceName,
  totpSourceFor,
} from './token-source.ts';

/** Public contract only: these run against staging after every deploy. */
export const DEPLOYED_E2E_FILES = [
  'test/e2e/catalog.test.ts',
  'test/e2e/ops.test.ts',
  'test/e2e/search.test.ts',
];

/** Every other file, with what ties it to the local cloud. */
export const LOCAL_ONLY_E2E_FILES: Record<string, string> = {
  'test/e2e/after-the-order.test.ts':
    'reads the outbox (/dev/outbox), the sandbox PSP (/dev/psp) and queues in moto',
  'test/e2e/auth.test.ts': "signs its own tokens with the local issuer's key",
  'test/e2e/carts.test.ts': 'counts the AWS calls each operation makes and writes tables directly, in moto',
  'test/e2e/checkout.test.ts':
    'injects faults (/dev/faults), reads the sandbox PSP (/dev/psp) and tables and queues in moto',
  'test/e2e/contract.test.ts':
    'drives every operation of the local OpenAPI document, /dev routes included (it disarms /dev/faults), and buys as buyers whose tokens carry email claims',
  'test/e2e/cors.test.ts':
    'calls from http://localhost:5173, an origin the deployed stages do not allow, and /dev/token',
  'test/e2e/gateway-input.test.ts':
    "sends raw requests without a User-Agent, with dot segments and undecodable percent-encoding: a deployed stage's WAF (AWS managed common rule set) answers those 403 before API Gateway does",
  'test/e2e/inventory.test.ts': 'writes and reads stock tables directly, in moto',
  'test/e2e/payments.test.ts':
    'runs the payment steps against tables in moto and reads the sandbox PSP (/dev/psp)',
  'test/e2e/reviews.test.ts': 'reads and feeds queues in moto',
};

/** What only the local cloud has: none of it may appear in a deployed file or the helpers it imports. */
export const LOCAL_ONLY_MARKERS: readonly RegExp[] = [
  /\/dev\//,
  /inject\('awsEndpoint'\)/,
  /inject\('stepFunctionsEndpoint'\)/,
  /from '@aws-sdk\//,
  /local\/template\.ts/,
  /local-issuer/,
  /token-signer/,
];

/** One call of the AWS CLI. */
export interface AwsCall {
  args: string[];
  /**
   * Parameters passed as `--cli-input-json` from a file only this user can read, deleted after the
   * call: a password stays out of the process list.
   */
  inputJson?: Record<string, unknown>;
  /** An error naming this exception means the call's work is already done. */
  alreadyDone?: string;
}

/** Creates (or keeps) every test user, sets its password for good, puts it in its groups. */
export function provisioningCalls(userPoolId: string, password: string): AwsCall[] {
  return TEST_USERS.flatMap((user) => {
    const username = testUsername(user);
    const pool = ['--user-pool-id', userPoolId, '--username', username];
    return [
      {
        args: [
          'cognito-idp',
          'admin-create-user',
          ...pool,
          '--message-action',
          'SUPPRESS',
          '--user-attributes',
          `Name=email,Value=${username}`,
          'Name=email_verified,Value=true',
        ],
        alreadyDone: 'UsernameExistsException',
      },
      {
        args: ['cognito-idp', 'admin-set-user-password'],
        inputJson: { UserPoolId: userPoolId, Username: username, Password: password, Permanent: true },
      },
      ...user.groups.map((group) => ({
        args: ['cognito-idp', 'admin-add-user-to-group', ...pool, '--group-name', group],
      })),
    ];
  });
}

/**
 * Turns off the TOTP factor an earlier run enrolled: its secret lived only in that run, and the
 * user's own calls that could replace it need an access token, which needs a code.
 */
export function totpOffCall(userPoolId: string, username: string): AwsCall {
  return {
    args: [
      'cognito-idp',
      'admin-set-user-mfa-preference',
      '--user-pool-id',
      userPoolId,
      '--username',
      username,
      '--software-token-mfa-settings',
      'Enabled=false,PreferredMfa=false',
    ],
  };
}

/**
 * Enrolls a new TOTP factor for the admin test user (after its password is set) and answers the
 * secret, or undefined if no test user needs one.
 */
export async function enrollAdminTotp(
  settings: CognitoSettings,
  runAwsCall: (call: AwsCall) => void = runAws,
  fetchFn: typeof fetch = fetch,
  totpSource: TotpSource = totpSourceFor(settings),
): Promise<string | undefined> {
  const admin = TEST_USERS.find(needsTotp);
  if (!admin) return undefined;
  const turnOff = (username: string) => runAwsCall(totpOffCall(settings.userPoolId, username));
  return enrollTotp(settings, admin, turnOff, fetchFn, totpSource);
}

/** Meets the pool's policy (12+ characters, lower, upper, digit, symbol); new every run. */
export function newPassword(): string {
  return `${randomBytes(24).toString('base64url')}aA1!`;
}

/** The vitest command line: the deployed files of the e2e project, plus the caller's arguments. */
export function vitestArgs(extra: readonly string[] = []): string[] {
  return ['vitest', 'run', '--project', 'e2e', ...DEPLOYED_E2E_FILES, ...extra];
}

/** Runs the provisioning calls with the AWS CLI (credentials and region from the environment). */
export function provisionTestUsers(userPoolId: string, password: string): void {
  for (const call of provisioningCalls(userPoolId, password)) runAws(call);
}

function runAws(call: AwsCall): void {
  const dir = call.inputJson ? mkdtempSync(join(tmpdir(), 'store-e2e-')) : undefined;
  try {
    const args = [...call.args];
    if (dir) {
      const file = join(dir, 'input.json');
      writeFileSync(file, JSON.stringify(call.inputJson), { mode: 0o600 });
      args.push('--cli-input-json', `file://${file}`);
    }
    execFileSync('aws', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    if (call.alreadyDone && stderr.includes(call.alreadyDone)) return;
    throw new Error(
      `aws ${call.args.slice(0, 2).join(' ')} failed: ${stderr.trim() || (error as Error).message}`,
    );
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const env = { ...process.env };
  if (!env.E2E_BASE_URL) {
    console.error('npm run test:deployed needs E2E_BASE_URL: the ApiUrl output of store-<stage>-api.');
    return 2;
  }
  // In GitHub Actions, any later echo of a secret in the job's log is masked.
  const mask = (secret: string) => {
    if (env.GITHUB_ACTIONS === 'true') console.log(`::add-mask::${secret}`);
  };
  const cognito = tokenSourceName(env) === 'cognito';
  // The TOTP steps used: the runner and every test file's process sign the admin in, each with a
  // code no other has sent (Cognito takes a code once).
  const steps = cognito ? mkdtempSync(join(tmpdir(), 'store-e2e-totp-')) : undefined;
  try {
    if (steps) env.E2E_COGNITO_TOTP_STEPS = steps;
    if (cognito && !env.E2E_COGNITO_PASSWORD) {
      const { userPoolId } = cognitoSettings(env, false);
      const password = newPassword();
      mask(password);
      provisionTestUsers(userPoolId, password);
      env.E2E_COGNITO_PASSWORD = password;
      const secret = await enrollAdminTotp(cognitoSettings(env));
      if (secret) {
        mask(secret);
        env.E2E_COGNITO_TOTP_SECRET = secret;
      }
      const users = TEST_USERS.map((u) => `${testUsername(u)}${needsTotp(u) ? ' (new TOTP factor)' : ''}`);
      console.log(`test users ready in ${userPoolId}: ${users.join(', ')}`);
    }
    const root = resolve(import.meta.dirname, '../../..');
    const run = spawnSync('npx', vitestArgs(process.argv.slice(2)), { cwd: root, env, stdio: 'inherit' });
    return run.status ?? 1;
  } finally {
    if (steps) rmSync(steps, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      console.error(`npm run test:deployed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
