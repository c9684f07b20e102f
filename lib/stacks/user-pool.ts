/**
 * The user pool of a deployed stage and the app clients whose access tokens the API accepts. Made
 * in the stateful stack's scope, so its logical ids are the stateful stack's.
 */
import { CfnOutput, Duration, type Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { StageConfig } from '../config/stage-config.ts';
import { type Acknowledgment, acknowledge } from '../nag.ts';

export interface StoreUserPool {
  userPool: cognito.UserPool;
  /** The web client first, then the delivery pipeline's client where the stage has one. */
  clients: cognito.UserPoolClient[];
}

/** The pool, its admin group and its clients, with the stack outputs apps and the pipeline read. */
export function storeUserPool(stack: Stack, config: StageConfig): StoreUserPool {
  const { userPool, client } = userPoolFor(stack, config);
  const clients = [client];
  if (config.auth.e2eClient) {
    const e2eClient = e2eClientFor(config, userPool);
    clients.push(e2eClient);
    new CfnOutput(stack, 'E2eClientId', { value: e2eClient.userPoolClientId });
  }
  new CfnOutput(stack, 'UserPoolId', { value: userPool.userPoolId });
  new CfnOutput(stack, 'UserPoolClientId', { value: client.userPoolClientId });
  return { userPool, clients };
}

/**
 * The delivery pipeline's client: the end-to-end run signs its test users in with a password
 * (USER_PASSWORD_AUTH) and nothing else. No secret, no OAuth, no refresh worth keeping: its tokens
 * last one suite run. Only in a stage whose config asks for it (staging), never in prod.
 */
function e2eClientFor(config: StageConfig, userPool: cognito.UserPool): cognito.UserPoolClient {
  return userPool.addClient('E2eClient', {
    userPoolClientName: `${config.prefix}-e2e`,
    generateSecret: false,
    authFlows: { userPassword: true },
    disableOAuth: true,
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.minutes(30),
    idTokenValidity: Duration.minutes(30),
    refreshTokenValidity: Duration.hours(1),
  });
}

function userPoolFor(
  stack: Stack,
  config: StageConfig,
): { userPool: cognito.UserPool; client: cognito.UserPoolClient } {
  const plus = config.auth.cognitoPlus;
  const userPool = new cognito.UserPool(stack, 'UserPool', {
    userPoolName: `${config.prefix}-users`,
    selfSignUpEnabled: true,
    signInAliases: { email: true },
    autoVerify: { email: true },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    mfa: cognito.Mfa.OPTIONAL,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
    ...(plus ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
    deletionProtection: config.deletionProtection,
    removalPolicy: config.removalPolicy,
  });
  // Access tokens carry `cognito:groups`; the admin routes require this group.
  userPool.addGroup('AdminGroup', { groupName: 'admin', description: 'Catalog and store administrators' });
  const client = userPool.addClient('WebClient', {
    userPoolClientName: `${config.prefix}-web`,
    generateSecret: false,
    authFlows: { userSrp: true },
    // Apps sign in with SRP through the SDK. Without this, CDK's OAuth defaults would enable the
    // implicit grant (tokens in URL fragments) with a placeholder callback URL.
    disableOAuth: true,
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  });

  const suppressions: Acknowledgment[] = [
    {
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is offered (TOTP, optional) rather than required: shoppers sign up in the checkout flow, where a mandatory second factor costs conversions. Operators enable it on their own accounts.',
    },
  ];
  if (!plus) {
    suppressions.push({
      id: 'AwsSolutions-COG8',
      reason: `Stage ${config.stage} has test users only; the Plus plan (threat protection, priced per MAU) is enabled in prod.`,
    });
  }
  acknowledge(userPool, ...suppressions);
  return { userPool, client };
}
