/**
 * The user pool of a deployed stage and the app clients whose access tokens the API accepts. Made
 * in the stateful stack's scope, so its logical ids are the stateful stack's. What it does per
 * stage, and why: docs/identity.md.
 */
import { CfnOutput, Duration, Fn, type Stack } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { StageConfig } from '../config/stage-config.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { type Acknowledgment, acknowledge } from '../nag.ts';
import { serviceLambdaAlarms } from '../observability/alarms.ts';
import { defineService } from '../services/manifest.ts';
import { sesIdentity } from '../ses-identity.ts';
import { type Handoff, publish } from './handoff.ts';

export interface StoreUserPool {
  userPool: cognito.UserPool;
  /** The web client first, then the delivery pipeline's client where the stage has one. */
  clients: cognito.UserPoolClient[];
  /**
   * What the authorizers need, handed over through SSM (lib/stacks/handoff.ts): a new pool (its
   * username settings are fixed at creation) must not be blocked by an export.
   */
  userPoolId: Handoff;
  /** The accepted app clients' ids, comma-separated. */
  clientIds: Handoff;
}

/** Functions of the pool itself (its triggers): their alarms are named after this service. */
export const identity = defineService({
  service: 'identity',
  functions: {
    PreTokenGeneration: {
      entry: 'lambdas/auth/handlers/pre-token-generation.handler.ts',
      name: 'pre-token-generation',
      description: 'Leaves the admin group out of the tokens of admins without a TOTP factor',
      // Cognito waits 5 s for a trigger; the lookup gives up before (lambdas/auth/cognito-mfa-factors.ts).
      timeout: Duration.seconds(5),
    },
  },
  routes: [],
});

/** The pool, its admin group and its clients, with the stack outputs apps and the pipeline read. */
export function storeUserPool(stack: Stack, config: StageConfig, alarmAction?: IAlarmAction): StoreUserPool {
  const ses = sesSender(stack, config);
  const { userPool, client } = userPoolFor(stack, config, ses);
  const clients = [client];
  if (config.auth.webOAuth) {
    const domain = userPool.addDomain('WebDomain', {
      cognitoDomain: { domainPrefix: config.auth.webOAuth.domainPrefix },
    });
    new CfnOutput(stack, 'UserPoolDomainUrl', { value: domain.baseUrl() });
  }
  if (config.auth.adminMfa) {
    adminMfaTrigger(stack, config, userPool);
    if (config.alarms) serviceLambdaAlarms(stack, config, identity, alarmAction);
  }
  if (config.auth.cognitoPlus) riskConfiguration(userPool, ses);
  if (config.auth.e2eClient) {
    const e2eClient = e2eClientFor(config, userPool);
    clients.push(e2eClient);
    new CfnOutput(stack, 'E2eClientId', { value: e2eClient.userPoolClientId });
  }
  new CfnOutput(stack, 'UserPoolId', { value: userPool.userPoolId });
  new CfnOutput(stack, 'UserPoolClientId', { value: client.userPoolClientId });
  return {
    userPool,
    clients,
    userPoolId: publish(
      stack,
      config,
      'UserPoolIdParameter',
      'auth/user-pool-id',
      userPool.userPoolId,
      'The user pool whose access tokens the API accepts',
    ),
    clientIds: publish(
      stack,
      config,
      'UserPoolClientIdsParameter',
      'auth/client-ids',
      Fn.join(
        ',',
        clients.map((c) => c.userPoolClientId),
      ),
      'The app clients whose access tokens the API accepts, comma-separated',
    ),
  };
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

/** The SES identity the pool's mail comes from (context `emailFrom`): a verified domain's address. */
interface SesSender {
  from: string;
  /** `arn:...:ses:<stack region>:<account>:identity/<domain>`. */
  identityArn: string;
  email: cognito.UserPoolEmail;
}

function sesSender(stack: Stack, config: StageConfig): SesSender | undefined {
  const from = config.auth.email?.from;
  if (from === undefined) {
    if (!config.auth.sesRequired) return undefined;
    throw new Error(
      `Stage ${config.stage} sends the user pool's mail through SES (Cognito's own sender is capped at test volumes): pass -c emailFrom=<verified SES identity>, an address of a domain verified in SES in the stage's region.`,
    );
  }
  const { domain, identityArn } = sesIdentity(stack, from);
  return {
    from,
    identityArn,
    // The stack's region token keeps SES in the pool's region.
    email: cognito.UserPoolEmail.withSES({
      fromEmail: from,
      sesVerifiedDomain: domain,
      sesRegion: stack.region,
    }),
  };
}

function userPoolFor(
  stack: Stack,
  config: StageConfig,
  ses: SesSender | undefined,
): { userPool: cognito.UserPool; client: cognito.UserPoolClient } {
  const plus = config.auth.cognitoPlus;
  const userPool = new cognito.UserPool(stack, 'UserPool', {
    userPoolName: `${config.prefix}-users`,
    selfSignUpEnabled: true,
    signInAliases: { email: true },
    // `Alice@Example.com` and `alice@example.com` are one account. Fixed at creation: a pool made
    // without it is replaced (docs/identity.md).
    signInCaseSensitive: false,
    ...(ses ? { email: ses.email } : {}),
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
  const oauth = config.auth.webOAuth;
  const client = userPool.addClient('WebClient', {
    userPoolClientName: `${config.prefix}-web`,
    generateSecret: false,
    authFlows: { userSrp: true },
    ...(oauth
      ? {
          // Hosted sign-in: the authorization-code grant only (no tokens in URL fragments, no
          // client credentials for a public client), with the identity claims the app needs and
          // nothing more. No `aws.cognito.signin.user.admin`: a browser's hosted-sign-in token
          // cannot change the user's attributes or factors.
          oAuth: {
            flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
            scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
            callbackUrls: oauth.callbackUrls,
            logoutUrls: oauth.logoutUrls,
          },
          supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        }
      : {
          // Apps sign in with SRP through the SDK. Without this, CDK's OAuth defaults would enable
          // the implicit grant (tokens in URL fragments) with a placeholder callback URL.
          disableOAuth: true,
        }),
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  });

  const suppressions: Acknowledgment[] = [
    {
      id: 'AwsSolutions-COG2',
      reason: config.auth.adminMfa
        ? 'MFA is optional in the pool (TOTP) for shoppers, who sign up in the checkout flow, where a mandatory second factor costs conversions. Admins are held to it: the pre token generation trigger leaves the admin group out of the tokens of an admin without a TOTP factor, so the admin routes answer 403 to them.'
        : 'MFA is offered (TOTP, optional) rather than required: shoppers sign up in the checkout flow, where a mandatory second factor costs conversions.',
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

/**
 * The admin MFA rule (lambdas/auth/admin-mfa.ts) as the pool's pre token generation trigger,
 * event version 2 so that it shapes the access tokens the API reads.
 */
function adminMfaTrigger(stack: Stack, config: StageConfig, userPool: cognito.UserPool): ServiceFunction {
  const trigger = new ServiceFunction(stack, 'PreTokenGeneration', {
    config,
    service: identity.service,
    ...identity.functions.PreTokenGeneration,
  });
  userPool.addTrigger(
    cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
    trigger.fn,
    cognito.LambdaVersion.V2_0,
  );
  // A policy of its own, not the role's default one: the function waits for its default policy,
  // and the pool for the function (its trigger ARN), so a pool ARN in the default policy would be
  // a cycle. This one waits for the pool; a sign-in in the seconds before it is attached finds no
  // factors and gets no admin group (fail closed).
  new iam.Policy(stack, 'PreTokenGenerationPolicy', {
    roles: [trigger.role],
    statements: [
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminGetUser'], resources: [userPool.userPoolArn] }),
    ],
  });
  return trigger;
}

/**
 * Threat protection's actions, stated rather than left to Cognito's defaults (full-function mode
 * only turns it on): a known-leaked password is refused at sign-in, sign-up and password change; a risky
 * sign-in is let through (low), asked for the second factor where the user has one (medium) or
 * refused (high). Users are told of medium and high risk sign-ins by mail, which needs SES.
 */
function riskConfiguration(userPool: cognito.UserPool, ses: SesSender | undefined): void {
  const notify = ses !== undefined;
  new cognito.CfnUserPoolRiskConfigurationAttachment(userPool, 'RiskConfiguration', {
    userPoolId: userPool.userPoolId,
    clientId: 'ALL',
    compromisedCredentialsRiskConfiguration: {
      actions: { eventAction: 'BLOCK' },
      eventFilter: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
    },
    accountTakeoverRiskConfiguration: {
      actions: {
        lowAction: { eventAction: 'NO_ACTION', notify: false },
        mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify },
        highAction: { eventAction: 'BLOCK', notify },
      },
      ...(ses ? { notifyConfiguration: { sourceArn: ses.identityArn, from: ses.from } } : {}),
    },
  });
}
