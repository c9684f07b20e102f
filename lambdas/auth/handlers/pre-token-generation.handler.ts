/**
 * Pre token generation trigger (event version 2: ID and access tokens) of a deployed stage's user
 * pool: an admin without a TOTP factor gets tokens without the `admin` group (admin-mfa.ts).
 * Every other token is issued as Cognito would. This function never fails a sign-in itself: a
 * failed lookup is logged and the group dropped.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { traced } from '#shared/tracer.ts';
import { enforceAdminMfa, type MfaFactors } from '../admin-mfa.ts';
import { CognitoMfaFactors } from '../cognito-mfa-factors.ts';

const groupsOf = (event: PreTokenGenerationV2TriggerEvent): string[] => {
  const groups: unknown = event.request?.groupConfiguration?.groupsToOverride;
  return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
};

export function preTokenGeneration(
  factors: MfaFactors,
): (event: PreTokenGenerationV2TriggerEvent) => Promise<PreTokenGenerationV2TriggerEvent> {
  return async (event) => {
    const outcome = await enforceAdminMfa(
      { userPoolId: event.userPoolId, username: event.userName, groups: groupsOf(event) },
      factors,
    );
    if (outcome.kind === 'unchanged') return event;
    const details = { userName: event.userName, triggerSource: event.triggerSource, reason: outcome.reason };
    if (outcome.reason === 'lookup-failed') {
      logger.error('admin group dropped: MFA factors could not be read', {
        ...details,
        error: outcome.error,
      });
    } else {
      logger.warn('admin group dropped: no TOTP factor enabled', details);
    }
    // The override replaces `cognito:groups` in both tokens; the rest of the response is kept.
    event.response = {
      ...event.response,
      claimsAndScopeOverrideDetails: {
        ...event.response?.claimsAndScopeOverrideDetails,
        groupOverrideDetails: {
          ...event.response?.claimsAndScopeOverrideDetails?.groupOverrideDetails,
          groupsToOverride: outcome.groups,
        },
      },
    };
    return event;
  };
}

export const handler = traced(preTokenGeneration(new CognitoMfaFactors()));
