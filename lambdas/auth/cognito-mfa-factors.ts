/**
 * The MFA factors port on Cognito's AdminGetUser. The client is made on the first lookup and kept
 * for the container's life (one per cold start); a function that only ever sees shoppers never
 * loads the SDK.
 *
 * `@aws-sdk/client-cognito-identity-provider` is not among the project's dependencies: the Lambda
 * runtime ships it, and `externalModules: ['@aws-sdk/*']` leaves it to the runtime. The few shapes
 * used are declared here.
 */
import { createRequire } from 'node:module';
import { captureClient } from '#shared/tracer.ts';
import type { MfaFactors } from './admin-mfa.ts';

interface AdminGetUserInput {
  UserPoolId: string;
  Username: string;
}
interface AdminGetUserOutput {
  UserMFASettingList?: string[];
}
interface CognitoClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}
interface CognitoModule {
  CognitoIdentityProviderClient: new (config: Record<string, unknown>) => CognitoClient;
  AdminGetUserCommand: new (input: AdminGetUserInput) => unknown;
}

/**
 * Cognito waits 5 seconds for the trigger and fails the sign-in past that: the lookup gives up
 * well before, so the answer (without the admin group) still arrives in time.
 */
export const LOOKUP_TIMEOUT_MS = 2500;

const require = createRequire(import.meta.url);
let sdk: CognitoModule | undefined;
let client: CognitoClient | undefined;

export class CognitoMfaFactors implements MfaFactors {
  async enabledFactors(userPoolId: string, username: string): Promise<readonly string[]> {
    sdk ??= require('@aws-sdk/client-cognito-identity-provider') as CognitoModule;
    // One retry at most: a second slow attempt would not fit in Cognito's wait either.
    client ??= captureClient(new sdk.CognitoIdentityProviderClient({ maxAttempts: 2 }));
    const output = (await client.send(
      new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
      {
        abortSignal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      },
    )) as AdminGetUserOutput;
    // Absent when the user has no factor enabled.
    return output.UserMFASettingList ?? [];
  }
}
