/**
 * The user pool of the deployed stages (lib/stacks/user-pool.ts, docs/identity.md): mail through
 * SES, case-insensitive sign-in, the web client's hosted sign-in, admin MFA through the pre token
 * generation trigger and threat protection's actions. The whole stage as the app synthesizes it
 * (with `emailFrom`, no hosted sign-in), and the stateful stack alone for the other settings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Stage,
  type StageConfig,
  type StageConfigOverrides,
  stageConfig,
} from '../../lib/config/stage-config.ts';
import type { ServiceFunction } from '../../lib/constructs/service-function.ts';
import { AwsSolutionsChecks } from '../../lib/nag.ts';
import { StatefulStack } from '../../lib/stacks/stateful-stack.ts';
import {
  type CfnTemplate,
  type NagViolation,
  resourcesOf,
  type SynthesizedStage,
  synthesizeStage,
  TEST_EMAIL_FROM,
} from './support/stage.ts';

const DEPLOYED = ['staging', 'prod'] as const;

/** `arn:<partition>:ses:<the stack's region>:<account>:identity/<domain>`, as synthesized. */
const sesIdentityArn = (domain: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:identity/${domain}`,
    ],
  ],
});

const domainOf = (address: string) => address.split('@')[1] as string;

function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0] as T;
}

const poolOf = (t: CfnTemplate) => only(resourcesOf(t, 'AWS::Cognito::UserPool'), 'user pools');
const webClientOf = (t: CfnTemplate, stage: Stage) =>
  only(
    resourcesOf(t, 'AWS::Cognito::UserPoolClient').filter(
      ([, c]) => c.Properties.ClientName === `store-${stage}-web`,
    ),
    'web clients',
  )[1];
const triggerOf = (t: CfnTemplate, stage: Stage) =>
  only(
    resourcesOf(t, 'AWS::Lambda::Function').filter(
      ([, f]) => f.Properties.FunctionName === `store-${stage}-pre-token-generation`,
    ),
    'pre token generation functions',
  );

/** Every statement of every policy attached to the role, with the policy's logical id. */
function statementsOnRole(
  t: CfnTemplate,
  roleId: string,
): { policyId: string; Action?: unknown; Effect?: unknown; Resource?: unknown }[] {
  return resourcesOf(t, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([policyId, p]) =>
      (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.map((st) => ({
        policyId,
        ...st,
      })),
    );
}

describe.each(DEPLOYED)('the user pool of stage %s', (stage) => {
  let s: SynthesizedStage;
  let poolId: string;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
    [poolId] = poolOf(s.statefulJson);
  });

  it('sends its mail through SES from the emailFrom identity, in its own region', () => {
    const from = TEST_EMAIL_FROM[stage] as string;
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: from,
        SourceArn: sesIdentityArn(domainOf(from)),
      },
    });
  });

  it('signs users in case-insensitively: one account per address, however it is typed', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('keeps MFA optional (TOTP only) for everyone, shoppers included', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('has no hosted sign-in without the authCallbackUrls/authLogoutUrls/authDomainPrefix contexts', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: `store-${stage}-web`,
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      AllowedOAuthScopes: Match.absent(),
      CallbackURLs: Match.absent(),
      LogoutURLs: Match.absent(),
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    s.stateful.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
  });

  it('runs the admin MFA function as its version 2 pre token generation trigger', () => {
    const [fnId, fn] = triggerOf(s.statefulJson, stage);
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, LambdaVersion: 'V2_0' },
      },
    });
    const pool = poolOf(s.statefulJson)[1];
    expect(Object.keys(pool.Properties.LambdaConfig as object)).toEqual(['PreTokenGenerationConfig']);
    expect(fn.Properties.FunctionName).toBe(`store-${stage}-pre-token-generation`);
    s.stateful.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `store-${stage}-pre-token-generation`,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      // Within Cognito's 5 s wait for a trigger.
      Timeout: 5,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'identity', STAGE: stage }) },
    });
    // Only Cognito, and only for this pool, may invoke it.
    const permissions = resourcesOf(s.statefulJson, 'AWS::Lambda::Permission').filter(
      ([, p]) =>
        JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }),
    );
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] },
      },
    ]);
  });

  it('grants the trigger exactly cognito-idp:AdminGetUser on this pool, outside its default policy', () => {
    const [, fn] = triggerOf(s.statefulJson, stage);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    const statements = statementsOnRole(s.statefulJson, roleId);
    const grants = statements.filter(
      (st) =>
        ![st.Action].flat().every((a) => String(a).startsWith('xray:') || String(a).startsWith('logs:')),
    );
    expect(grants).toEqual([
      {
        policyId: expect.stringMatching(/^PreTokenGenerationPolicy/),
        Action: 'cognito-idp:AdminGetUser',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [poolId, 'Arn'] },
      },
    ]);
    // The function does not wait for that policy (the pool, which it refers to, waits for the
    // function): the stack has no dependency cycle.
    expect((fn as { DependsOn?: string[] }).DependsOn ?? []).not.toContain(grants[0]?.policyId);
    // (Template refuses a template with a cycle: `Template is undeployable`.)
    expect(() => Template.fromJSON(s.statefulJson)).not.toThrow();
    // No other role of the stage reads users.
    const readers = Object.values(s.templates).flatMap((t) =>
      resourcesOf(t, 'AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties).includes('cognito-idp:'),
      ),
    );
    expect(readers.map(([id]) => id)).toEqual([grants[0]?.policyId]);
  });

  it('states threat protection: leaked passwords refused, risky sign-ins challenged or refused, users told', () => {
    const from = TEST_EMAIL_FROM[stage] as string;
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    s.stateful.resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 1);
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      UserPoolId: { Ref: poolId },
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: {
        Actions: { EventAction: 'BLOCK' },
        EventFilter: ['SIGN_IN', 'SIGN_UP', 'PASSWORD_CHANGE'],
      },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: true },
          HighAction: { EventAction: 'BLOCK', Notify: true },
        },
        NotifyConfiguration: { From: from, SourceArn: sesIdentityArn(domainOf(from)) },
      },
    });
  });

  it('has no unacknowledged cdk-nag finding in the stateful stack', () => {
    const own = (v: NagViolation) => v.constructPaths.some((p) => p.startsWith(`${s.statefulStackName}/`));
    expect(s.nag.filter(own)).toEqual([]);
  });
});

/** The stateful stack alone, for settings the whole-stage synth does not use; no bundling. */
function statefulAlone(config: StageConfig) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `store-${config.stage}-identity-`)),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new StatefulStack(app, 'Stateful', { config });
  const template = Template.fromStack(stack);
  const nag = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
  return { stack, template, json: template.toJSON() as CfnTemplate, nag };
}

/** The reason the pool's acknowledgment of a rule gives (CDK records `{ <qualified id>: reason }`). */
const acknowledgedOn = (stack: StatefulStack, ruleId: string): string | undefined => {
  const entries = (stack.userPool?.node.metadata ?? []).filter(
    (m) => m.type === 'aws:cdk:acknowledged-rules',
  );
  const reasons = entries.flatMap((m) =>
    Object.entries(m.data as Record<string, string>).filter(
      ([id]) => id === ruleId || id.endsWith(`::${ruleId}`),
    ),
  );
  return only(reasons, `acknowledgments of ${ruleId}`)[1];
};

const WEB_OAUTH: StageConfigOverrides['webOAuth'] = {
  callbackUrls: ['https://shop.example.com/auth/callback', 'http://localhost:5173/auth/callback'],
  logoutUrls: ['https://shop.example.com/'],
  domainPrefix: 'serverless-store-signin',
};

describe.each(DEPLOYED)('the user pool of stage %s, other settings', (stage) => {
  const emailFrom = TEST_EMAIL_FROM[stage] as string;

  it('with hosted sign-in: the code grant only, openid and email, the given URLs, Cognito users, the domain', () => {
    const s = statefulAlone(stageConfig(stage, { emailFrom, webOAuth: WEB_OAUTH }));
    const client = webClientOf(s.json, stage);
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: WEB_OAUTH?.callbackUrls,
      LogoutURLs: WEB_OAUTH?.logoutUrls,
      SupportedIdentityProviders: ['COGNITO'],
      // SDK sign-in stays; token lifetimes as without hosted sign-in.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43_200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    const [poolId] = poolOf(s.json);
    s.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: WEB_OAUTH?.domainPrefix,
      UserPoolId: { Ref: poolId },
    });
    expect(Object.keys(s.json.Outputs ?? {})).toContain('UserPoolDomainUrl');
    // The end-to-end client (staging) keeps no OAuth at all.
    for (const [, c] of resourcesOf(s.json, 'AWS::Cognito::UserPoolClient')) {
      if (c.Properties.ClientName === `store-${stage}-e2e`)
        expect(c.Properties).not.toHaveProperty('AllowedOAuthFlows');
    }
    expect(s.nag).toEqual([]);
  });

  it(
    'without emailFrom: ' +
      (stage === 'prod' ? 'refuses to synthesize, naming the context' : "Cognito's sender, no risk mail"),
    () => {
      if (stage === 'prod') {
        expect(() => statefulAlone(stageConfig(stage))).toThrow(/-c emailFrom=<verified SES identity>/);
        return;
      }
      const s = statefulAlone(stageConfig(stage));
      s.template.hasResourceProperties('AWS::Cognito::UserPool', { EmailConfiguration: Match.absent() });
      const [[, risk] = []] = resourcesOf(s.json, 'AWS::Cognito::UserPoolRiskConfigurationAttachment');
      expect(risk?.Properties.AccountTakeoverRiskConfiguration).toEqual({
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
          HighAction: { EventAction: 'BLOCK', Notify: false },
        },
      });
      expect(s.nag).toEqual([]);
    },
  );

  it("would have a dependency cycle with the grant in the trigger's default policy (what the check above catches)", () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new StatefulStack(app, 'Stateful', { config: stageConfig(stage, { emailFrom }) });
    const trigger = stack.node.findChild('PreTokenGeneration') as ServiceFunction;
    trigger.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminGetUser'],
        resources: [stack.userPool?.userPoolArn as string],
      }),
    );
    expect(() => Template.fromStack(stack)).toThrow(
      /dependency cycle: UserPool\w+ -> PreTokenGeneration\w+ -> PreTokenGenerationRoleDefaultPolicy\w+ -> UserPool/,
    );
  });

  it('refuses an emailFrom that is not a plain address', () => {
    expect(() =>
      statefulAlone(stageConfig(stage, { emailFrom: 'Store <no-reply@shop.example.com>' })),
    ).toThrow(/plain address/);
  });

  it('acknowledges COG2 with what is true: optional for shoppers, enforced for admins by the trigger', () => {
    const s = statefulAlone(stageConfig(stage, { emailFrom }));
    expect(acknowledgedOn(s.stack, 'AwsSolutions-COG2')).toMatch(/shoppers.*Admins are held to it.*403/s);
  });

  it('without admin MFA in the config: no trigger, and the acknowledgment does not claim one', () => {
    const base = stageConfig(stage, { emailFrom });
    const s = statefulAlone({ ...base, auth: { ...base.auth, adminMfa: false } });
    s.template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: Match.absent() });
    expect(
      resourcesOf(s.json, 'AWS::Lambda::Function').map(([, f]) => String(f.Properties.FunctionName)),
    ).not.toContain(`store-${stage}-pre-token-generation`);
    expect(acknowledgedOn(s.stack, 'AwsSolutions-COG2')).not.toMatch(/trigger/);
    expect(s.nag).toEqual([]);
  });

  it('without the Plus plan: no risk configuration (Essentials has no threat protection)', () => {
    const base = stageConfig(stage, { emailFrom });
    const s = statefulAlone({ ...base, auth: { ...base.auth, cognitoPlus: false } });
    s.template.resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 0);
    s.template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    expect(s.nag).toEqual([]);
  });
});
