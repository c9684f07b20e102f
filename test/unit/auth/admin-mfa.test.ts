import { describe, expect, it } from 'vitest';
import {
  ADMIN_GROUP,
  decideAdminGroups,
  enforceAdminMfa,
  type MfaFactors,
  TOTP_FACTOR,
} from '../../../lambdas/auth/admin-mfa.ts';

/** A port that answers with the given factors (or fails) and records every lookup. */
function factorsPort(answer: readonly string[] | Error): MfaFactors & { calls: [string, string][] } {
  const calls: [string, string][] = [];
  return {
    calls,
    async enabledFactors(userPoolId, username) {
      calls.push([userPoolId, username]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const POOL = 'eu-west-1_AbC123';

describe('the admin MFA rule', () => {
  it('leaves the groups of a user outside the admin group as they are', () => {
    expect(decideAdminGroups([], [])).toEqual({ kind: 'unchanged', reason: 'not-admin' });
    expect(decideAdminGroups(['support', 'Admin', 'admins'], undefined)).toEqual({
      kind: 'unchanged',
      reason: 'not-admin',
    });
  });

  it('keeps the admin group of an admin with a TOTP factor enabled', () => {
    expect(decideAdminGroups([ADMIN_GROUP], [TOTP_FACTOR])).toEqual({
      kind: 'unchanged',
      reason: 'totp-enabled',
    });
    expect(decideAdminGroups(['support', ADMIN_GROUP], ['SMS_MFA', TOTP_FACTOR]).kind).toBe('unchanged');
  });

  it.each([
    ['no factor', []],
    ['an SMS factor only', ['SMS_MFA']],
    ['an email factor only', ['EMAIL_OTP']],
  ])('drops the admin group, and only it, of an admin with %s', (_, factors) => {
    expect(decideAdminGroups(['support', ADMIN_GROUP, 'beta'], factors)).toEqual({
      kind: 'admin-dropped',
      groups: ['support', 'beta'],
      reason: 'no-totp',
    });
  });

  it('drops the admin group when the factors are unknown', () => {
    expect(decideAdminGroups([ADMIN_GROUP], undefined)).toEqual({
      kind: 'admin-dropped',
      groups: [],
      reason: 'lookup-failed',
    });
  });
});

describe('enforcing it', () => {
  it('never looks up a user outside the admin group', async () => {
    const port = factorsPort([]);
    await expect(
      enforceAdminMfa({ userPoolId: POOL, username: 'u-1', groups: ['support'] }, port),
    ).resolves.toEqual({ kind: 'unchanged', reason: 'not-admin' });
    await enforceAdminMfa({ userPoolId: POOL, username: 'u-1', groups: [] }, port);
    expect(port.calls).toEqual([]);
  });

  it("looks up an admin's factors in the event's pool, by the event's username", async () => {
    const port = factorsPort([TOTP_FACTOR]);
    const outcome = await enforceAdminMfa({ userPoolId: POOL, username: 'u-2', groups: [ADMIN_GROUP] }, port);
    expect(outcome).toEqual({ kind: 'unchanged', reason: 'totp-enabled' });
    expect(port.calls).toEqual([[POOL, 'u-2']]);
  });

  it('drops the group of an admin without TOTP', async () => {
    const outcome = await enforceAdminMfa(
      { userPoolId: POOL, username: 'u-3', groups: [ADMIN_GROUP, 'support'] },
      factorsPort([]),
    );
    expect(outcome).toEqual({ kind: 'admin-dropped', groups: ['support'], reason: 'no-totp' });
  });

  it('fails closed when the lookup fails: the group is dropped, the error kept for the log', async () => {
    const error = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const outcome = await enforceAdminMfa(
      { userPoolId: POOL, username: 'u-4', groups: [ADMIN_GROUP] },
      factorsPort(error),
    );
    expect(outcome).toEqual({ kind: 'admin-dropped', groups: [], reason: 'lookup-failed', error });
  });

  it.each([
    ['no username', { userPoolId: POOL, username: undefined }],
    ['an empty username', { userPoolId: POOL, username: '' }],
    ['no user pool', { userPoolId: undefined, username: 'u-5' }],
  ])('fails closed on an event with %s, without a lookup', async (_, who) => {
    const port = factorsPort([TOTP_FACTOR]);
    const outcome = await enforceAdminMfa({ ...who, groups: [ADMIN_GROUP] }, port);
    expect(outcome).toMatchObject({ kind: 'admin-dropped', groups: [], reason: 'lookup-failed' });
    expect(port.calls).toEqual([]);
  });
});
