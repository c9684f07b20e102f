import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MfaFactors } from '../../../lambdas/auth/admin-mfa.ts';
import { preTokenGeneration } from '../../../lambdas/auth/handlers/pre-token-generation.handler.ts';
import { logger } from '../../../lambdas/shared/logger.ts';

const POOL = 'eu-west-1_AbC123';

/** A version 2 event as Cognito sends it: the response's override details are null. */
function event(
  groups: string[],
  overrides: Partial<PreTokenGenerationV2TriggerEvent> = {},
): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'eu-west-1',
    userPoolId: POOL,
    userName: 'b1f2c3d4-user',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'web-client' },
    request: {
      userAttributes: { sub: 'b1f2c3d4-user', email: 'ada@example.com' },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null as never },
    ...overrides,
  } as PreTokenGenerationV2TriggerEvent;
}

/** The AdminGetUser port, stubbed: its answer, and the lookups made. */
function stubFactors(answer: readonly string[] | Error) {
  const enabledFactors = vi.fn<MfaFactors['enabledFactors']>(async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { enabledFactors };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pre token generation trigger', () => {
  it("returns a shopper's event untouched, without a lookup", async () => {
    const factors = stubFactors([]);
    const input = event(['support']);
    const before = structuredClone(input);
    const output = await preTokenGeneration(factors)(input);
    expect(output).toEqual(before);
    expect(output.response.claimsAndScopeOverrideDetails).toBeNull();
    expect(factors.enabledFactors).not.toHaveBeenCalled();
  });

  it('issues the admin group to an admin with TOTP enabled', async () => {
    const factors = stubFactors(['SOFTWARE_TOKEN_MFA']);
    const output = await preTokenGeneration(factors)(event(['admin']));
    expect(output.response.claimsAndScopeOverrideDetails).toBeNull();
    expect(factors.enabledFactors).toHaveBeenCalledExactlyOnceWith(POOL, 'b1f2c3d4-user');
  });

  it.each([
    'TokenGeneration_Authentication',
    'TokenGeneration_HostedAuth',
    'TokenGeneration_RefreshTokens',
    'TokenGeneration_NewPasswordChallenge',
  ] as const)('overrides the groups of an admin without TOTP (%s) and logs it', async (triggerSource) => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const output = await preTokenGeneration(stubFactors([]))(
      event(['support', 'admin'], { triggerSource } as Partial<PreTokenGenerationV2TriggerEvent>),
    );
    expect(output.response.claimsAndScopeOverrideDetails).toEqual({
      groupOverrideDetails: { groupsToOverride: ['support'] },
    });
    expect(warn).toHaveBeenCalledWith(
      'admin group dropped: no TOTP factor enabled',
      expect.objectContaining({ userName: 'b1f2c3d4-user', triggerSource, reason: 'no-totp' }),
    );
  });

  it('keeps what the response already says beside the groups', async () => {
    const input = event(['admin']);
    input.response.claimsAndScopeOverrideDetails = {
      accessTokenGeneration: { scopesToSuppress: ['profile'] },
      groupOverrideDetails: { preferredRole: 'arn:aws:iam::123456789012:role/shopper' },
    };
    vi.spyOn(logger, 'warn').mockImplementation(() => {});
    const output = await preTokenGeneration(stubFactors(['SMS_MFA']))(input);
    expect(output.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { scopesToSuppress: ['profile'] },
      groupOverrideDetails: { preferredRole: 'arn:aws:iam::123456789012:role/shopper', groupsToOverride: [] },
    });
  });

  it('fails closed when AdminGetUser fails: no admin group, the sign-in goes on, the error is logged', async () => {
    const error = Object.assign(
      new Error('User: ... is not authorized to perform: cognito-idp:AdminGetUser'),
      {
        name: 'AccessDeniedException',
      },
    );
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const output = await preTokenGeneration(stubFactors(error))(event(['admin']));
    expect(output.response.claimsAndScopeOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual([]);
    expect(logged).toHaveBeenCalledWith(
      'admin group dropped: MFA factors could not be read',
      expect.objectContaining({ reason: 'lookup-failed', error }),
    );
  });

  it('fails closed on an event without groups or username it can read', async () => {
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    const factors = stubFactors(['SOFTWARE_TOKEN_MFA']);
    const noUser = await preTokenGeneration(factors)(event(['admin'], { userName: undefined as never }));
    expect(noUser.response.claimsAndScopeOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual([]);
    expect(factors.enabledFactors).not.toHaveBeenCalled();
    // Not a list: no group is issued from it, and nothing is looked up.
    const odd = event([]);
    (odd.request.groupConfiguration as { groupsToOverride: unknown }).groupsToOverride = 'admin';
    const output = await preTokenGeneration(factors)(odd);
    expect(output.response.claimsAndScopeOverrideDetails).toBeNull();
    expect(factors.enabledFactors).not.toHaveBeenCalled();
  });
});
