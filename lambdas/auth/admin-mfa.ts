/**
 * Admins sign in with a second factor; shoppers may. The user pool keeps MFA optional, and this
 * rule, run before Cognito issues tokens, leaves the `admin` group out of the tokens of an admin
 * who has no TOTP factor enabled: the admin routes, which read `cognito:groups`, then answer 403.
 * An enabled factor means this sign-in passed it (Cognito challenges every sign-in of a user with
 * an enabled factor; the pool remembers no devices).
 *
 * Only admins are looked up. When the lookup fails, the group is dropped (fail closed) and the
 * sign-in goes on: the admin is a shopper until the next sign-in or refresh.
 */

export const ADMIN_GROUP = 'admin';
/** Cognito's name for an enabled TOTP (authenticator app) factor in `UserMFASettingList`. */
export const TOTP_FACTOR = 'SOFTWARE_TOKEN_MFA';

/** Port: the MFA factors a user has enabled (AdminGetUser's `UserMFASettingList`). */
export interface MfaFactors {
  enabledFactors(userPoolId: string, username: string): Promise<readonly string[]>;
}

export interface TokenSubject {
  userPoolId: string | undefined;
  username: string | undefined;
  /** The groups Cognito is about to put in the tokens. */
  groups: readonly string[];
}

export type AdminMfaOutcome =
  | { kind: 'unchanged'; reason: 'not-admin' | 'totp-enabled' }
  | {
      kind: 'admin-dropped';
      /** The groups the tokens carry instead. */
      groups: string[];
      reason: 'no-totp' | 'lookup-failed';
      error?: unknown;
    };

const withoutAdmin = (groups: readonly string[]) => groups.filter((g) => g !== ADMIN_GROUP);

/**
 * The rule itself. `factors` undefined: they could not be read, which counts as none.
 */
export function decideAdminGroups(
  groups: readonly string[],
  factors: readonly string[] | undefined,
): AdminMfaOutcome {
  if (!groups.includes(ADMIN_GROUP)) return { kind: 'unchanged', reason: 'not-admin' };
  if (factors?.includes(TOTP_FACTOR)) return { kind: 'unchanged', reason: 'totp-enabled' };
  return {
    kind: 'admin-dropped',
    groups: withoutAdmin(groups),
    reason: factors === undefined ? 'lookup-failed' : 'no-totp',
  };
}

const lookupFailed = (groups: readonly string[], error: unknown): AdminMfaOutcome => ({
  kind: 'admin-dropped',
  groups: withoutAdmin(groups),
  reason: 'lookup-failed',
  error,
});

/** Reads the factors of admins only, and turns any failure into a dropped group. */
export async function enforceAdminMfa(subject: TokenSubject, port: MfaFactors): Promise<AdminMfaOutcome> {
  const { userPoolId, username, groups } = subject;
  if (!groups.includes(ADMIN_GROUP)) return decideAdminGroups(groups, undefined);
  if (!userPoolId || !username)
    return lookupFailed(groups, new Error('the event names no user pool or user'));
  try {
    return decideAdminGroups(groups, await port.enabledFactors(userPoolId, username));
  } catch (error) {
    return lookupFailed(groups, error);
  }
}
