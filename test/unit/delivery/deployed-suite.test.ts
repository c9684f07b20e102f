import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYED_E2E_FILES,
  LOCAL_ONLY_E2E_FILES,
  LOCAL_ONLY_MARKERS,
  newPassword,
  provisioningCalls,
  vitestArgs,
} from '../../e2e/support/deployed-suite.ts';
import { TEST_USERS } from '../../e2e/support/token-source.ts';

const root = resolve(import.meta.dirname, '../../..');
const e2eDir = join(root, 'test/e2e');
/** The delivery machinery itself names local-only things to tell them apart. */
const MACHINERY = ['test/e2e/support/token-source.ts', 'test/e2e/support/deployed-suite.ts'];

/** A file and the modules it imports relatively inside test/e2e, transitively. */
function withHelpers(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || MACHINERY.includes(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(root, file), 'utf8');
  for (const [, spec] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = relative(root, resolve(dirname(join(root, file)), spec as string));
    if (target.startsWith('test/e2e/') && existsSync(join(root, target))) withHelpers(target, seen);
  }
  return seen;
}

const markersIn = (file: string) => {
  const text = readFileSync(join(root, file), 'utf8');
  return LOCAL_ONLY_MARKERS.filter((m) => m.test(text)).map(String);
};

describe('the deployed end-to-end files', () => {
  it('and the local-only ones are every e2e file, each once', () => {
    const onDisk = readdirSync(e2eDir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/e2e/${f}`)
      .sort();
    const listed = [...DEPLOYED_E2E_FILES, ...Object.keys(LOCAL_ONLY_E2E_FILES)].sort();
    expect(listed).toEqual(onDisk);
    expect(new Set(listed).size).toBe(listed.length);
    for (const reason of Object.values(LOCAL_ONLY_E2E_FILES)) expect(reason.length).toBeGreaterThan(10);
  });

  it('use nothing only the local cloud has, nor do the helpers they import', () => {
    for (const file of DEPLOYED_E2E_FILES) {
      for (const used of withHelpers(file)) expect(markersIn(used), `${file} via ${used}`).toEqual([]);
    }
  });

  it('would be caught using what only the local cloud has (the check is live)', () => {
    expect(markersIn('test/e2e/checkout.test.ts')).toEqual(
      expect.arrayContaining([String(/\/dev\//), String(/inject\('awsEndpoint'\)/)]),
    );
    expect(markersIn('test/e2e/auth.test.ts')).toEqual(expect.arrayContaining([String(/local-issuer/)]));
  });

  it('run as the e2e project, with the caller’s extra arguments', () => {
    expect(vitestArgs()).toEqual(['vitest', 'run', '--project', 'e2e', ...DEPLOYED_E2E_FILES]);
    expect(vitestArgs(['--reporter', 'verbose']).slice(-2)).toEqual(['--reporter', 'verbose']);
  });
});

describe('provisioning the test users', () => {
  const calls = provisioningCalls('eu-west-1_Pool', 'Secret-pw-1!');

  it('creates each user quietly, sets its password for good and adds it to its groups', () => {
    const userOf = (c: (typeof calls)[number]) =>
      c.inputJson?.Username ?? c.args[c.args.indexOf('--username') + 1];
    expect(calls.map((c) => [c.args[1], userOf(c)])).toEqual([
      ['admin-create-user', 'e2e-admin@example.com'],
      ['admin-set-user-password', 'e2e-admin@example.com'],
      ['admin-add-user-to-group', 'e2e-admin@example.com'],
      ['admin-create-user', 'e2e-shopper@example.com'],
      ['admin-set-user-password', 'e2e-shopper@example.com'],
    ]);
    expect(calls[0]).toEqual({
      args: [
        'cognito-idp',
        'admin-create-user',
        '--user-pool-id',
        'eu-west-1_Pool',
        '--username',
        'e2e-admin@example.com',
        '--message-action',
        'SUPPRESS',
        '--user-attributes',
        'Name=email,Value=e2e-admin@example.com',
        'Name=email_verified,Value=true',
      ],
      alreadyDone: 'UsernameExistsException',
    });
    expect(calls[2]?.args.slice(-2)).toEqual(['--group-name', 'admin']);
    expect(TEST_USERS.flatMap((u) => u.groups)).toEqual(['admin']);
  });

  it('keeps the password off the command line', () => {
    const setPassword = calls.filter((c) => c.args[1] === 'admin-set-user-password');
    expect(setPassword.map((c) => c.inputJson)).toEqual([
      {
        UserPoolId: 'eu-west-1_Pool',
        Username: 'e2e-admin@example.com',
        Password: 'Secret-pw-1!',
        Permanent: true,
      },
      {
        UserPoolId: 'eu-west-1_Pool',
        Username: 'e2e-shopper@example.com',
        Password: 'Secret-pw-1!',
        Permanent: true,
      },
    ]);
    for (const c of calls) expect(c.args.join(' ')).not.toContain('Secret-pw-1!');
  });

  it("makes a new password each run that meets the pool's policy", () => {
    const passwords = Array.from({ length: 20 }, newPassword);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const p of passwords) {
      expect(p.length).toBeGreaterThanOrEqual(12);
      for (const klass of [/[a-z]/, /[A-Z]/, /\d/, /[!\-_]/]) expect(p).toMatch(klass);
    }
  });
});
