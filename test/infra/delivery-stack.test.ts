/**
 * The delivery stack: GitHub's OIDC provider and the deploy roles, trusted by exactly one
 * repository's jobs in exactly one GitHub environment each, allowed nothing but handing over to the
 * CDK bootstrap roles (and, for staging, creating the end-to-end run's test users). And the staging
 * side those users live on: the e2e app client, and the tags the role's grant relies on.
 */

import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGE_QUALIFIERS } from '../../lib/config/stage-config.ts';
import { AwsSolutionsChecks } from '../../lib/nag.ts';
import { buildDelivery, parseDeliveredStages, parseGithubRepo } from '../../lib/stacks/delivery-stack.ts';
import { type CfnTemplate, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

/** `{ "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ...]] }` as `arn:${AWS::Partition}...`. */
function flat(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flat);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(flat(p))).join(sep);
    }
    if (typeof o.Ref === 'string' && Object.keys(o).length === 1) return `\${${o.Ref}}`;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, flat(v)]));
  }
  return value;
}

function synth(context: Record<string, unknown>) {
  const app = new App({ context });
  const stack = buildDelivery(app);
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as CfnTemplate;
  return { app, stack, template, artifact: assembly.getStackByName(stack.stackName) };
}

const bootstrap = (qualifier: string, role: string) =>
  `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-${qualifier}-${role}-\${AWS::AccountId}-\${AWS::Region}`;
/** Its own stage's bootstrap roles only (each stage is bootstrapped with its own qualifier). */
const handover = (qualifier: string) => ({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Resource: ['deploy-role', 'file-publishing-role', 'lookup-role'].map((r) => bootstrap(qualifier, r)),
});

describe('the delivery stack', () => {
  const { app, stack, template, artifact } = synth({ githubRepo: 'acme/store' });
  const [providerId, provider] = resourcesOf(template, 'AWS::IAM::OIDCProvider')[0] ?? [];
  const roles = Object.fromEntries(
    resourcesOf(template, 'AWS::IAM::Role').map(([id, r]) => [String(r.Properties.RoleName), { id, ...r }]),
  );
  const policiesOf = (roleId: string) =>
    resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) => flat((p.Properties.PolicyDocument as { Statement: unknown[] }).Statement) as unknown[],
      );

  it("holds GitHub's OIDC provider, for STS as the audience", () => {
    expect(provider?.Properties).toEqual({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('holds only the provider and the three roles with their policies: no user, no key', () => {
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect([...new Set(types)].sort()).toEqual([
      'AWS::IAM::OIDCProvider',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
    ]);
    expect(Object.keys(roles).sort()).toEqual([
      'store-prod-deploy',
      'store-staging-deploy',
      'store-staging-e2e',
    ]);
    for (const role of Object.values(roles)) {
      expect(role.Properties, role.id).not.toHaveProperty('ManagedPolicyArns');
      expect(role.Properties, role.id).not.toHaveProperty('Policies');
      expect(role.Properties, role.id).not.toHaveProperty('PermissionsBoundary');
    }
    // Every policy is one of theirs.
    for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
      expect(
        Object.values(roles).some(
          (r) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: r.id }]),
        ),
        id,
      ).toBe(true);
    }
  });

  it.each([
    ['staging', 'store-staging-deploy'],
    ['staging', 'store-staging-e2e'],
    ['prod', 'store-prod-deploy'],
  ] as const)('lets exactly the jobs of acme/store in GitHub environment %s assume %s', (stage, name) => {
    const role = roles[name];
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { Ref: providerId } },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': `repo:acme/store:environment:${stage}`,
            },
          },
        },
      ],
    });
  });

  it("allows each deploy role nothing but assuming its own stage's CDK bootstrap roles", () => {
    expect(policiesOf(roles['store-prod-deploy']?.id ?? '')).toEqual([handover('storeprd')]);
    expect(policiesOf(roles['store-staging-deploy']?.id ?? '')).toEqual([handover('storestg')]);
  });

  it("allows the end-to-end role only creating the test users in the staging pool (and resetting the admin's TOTP)", () => {
    expect(policiesOf(roles['store-staging-e2e']?.id ?? '')).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminSetUserPassword',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminSetUserMFAPreference',
        ],
        Resource: `arn:\${AWS::Partition}:cognito-idp:\${AWS::Region}:\${AWS::AccountId}:userpool/*`,
        Condition: {
          StringEquals: { 'aws:ResourceTag/project': 'serverless-store', 'aws:ResourceTag/stage': 'staging' },
        },
      },
    ]);
  });

  it('names the role ARNs as outputs and is protected from deletion', () => {
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual([
      'ProdDeployRoleArn',
      'StagingDeployRoleArn',
      'StagingEndToEndRoleArn',
    ]);
    expect(stack.terminationProtection).toBe(true);
    expect(artifact.terminationProtection).toBe(true);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
  });

  it('refuses to synthesize without githubRepo, or with something else', () => {
    expect(() => buildDelivery(new App())).toThrow('-c githubRepo=owner/name (got nothing)');
    for (const bad of [
      '',
      'acme',
      'acme/store/extra',
      'https://github.com/acme/store',
      'acme/*',
      'acme/store:x',
    ]) {
      expect(() => parseGithubRepo(bad), bad).toThrow(/-c githubRepo=owner\/name/);
    }
    expect(parseGithubRepo('acme-inc/serverless.store_2')).toBe('acme-inc/serverless.store_2');
  });

  it('deploys the roles of the stages asked for, and reuses a provider the account has', () => {
    const prodOnly = synth({
      githubRepo: 'acme/store',
      deliveryStages: 'prod',
      githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
    expect(resourcesOf(prodOnly.template, 'AWS::IAM::OIDCProvider')).toEqual([]);
    const onlyRoles = resourcesOf(prodOnly.template, 'AWS::IAM::Role');
    expect(onlyRoles.map(([, r]) => r.Properties.RoleName)).toEqual(['store-prod-deploy']);
    expect(JSON.stringify(onlyRoles[0]?.[1].Properties.AssumeRolePolicyDocument)).toContain(
      '"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"',
    );
    expect(parseDeliveredStages(undefined)).toEqual(['staging', 'prod']);
    expect(parseDeliveredStages('staging, prod')).toEqual(['staging', 'prod']);
    for (const bad of ['local', 'prod,prod', 'staging,', 'qa'])
      expect(() => parseDeliveredStages(bad), bad).toThrow();
  });
});

describe.each(['staging', 'prod'] as const)('the end-to-end client, stage %s', (stage) => {
  let s: SynthesizedStage;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it("deploys through the stage's own bootstrap qualifier, the one its deploy role may reach", () => {
    const qualifier = STAGE_QUALIFIERS[stage];
    for (const template of [s.statefulJson, s.template('platform'), s.template('api')]) {
      const parameters = (template as { Parameters?: Record<string, { Default?: string }> }).Parameters;
      expect(parameters?.BootstrapVersion?.Default).toBe(`/cdk-bootstrap/${qualifier}/version`);
    }
  });

  it(stage === 'staging' ? 'exists for password sign-in only' : 'does not exist', () => {
    const clients = resourcesOf(s.statefulJson, 'AWS::Cognito::UserPoolClient');
    const names = clients.map(([, c]) => c.Properties.ClientName);
    if (stage === 'prod') {
      expect(names).toEqual(['store-prod-web']);
      expect(Object.keys(s.statefulJson.Outputs ?? {})).not.toContain('E2eClientId');
      return;
    }
    expect(names).toEqual(['store-staging-web', 'store-staging-e2e']);
    const [e2eId, e2e] = clients[1] ?? [];
    expect(e2e?.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes' },
    });
    for (const key of ['AllowedOAuthFlows', 'CallbackURLs', 'AllowedOAuthScopes']) {
      expect(e2e?.Properties, key).not.toHaveProperty(key);
    }
    expect(s.statefulJson.Outputs?.E2eClientId?.Value).toEqual({ Ref: e2eId });
    // The authorizers (token required, token optional) accept both clients: the ids they read.
    const [, published] =
      resourcesOf(s.statefulJson, 'AWS::SSM::Parameter').find(
        ([, p]) => p.Properties.Name === '/store-staging/auth/client-ids',
      ) ?? [];
    expect(JSON.stringify(published?.Properties.Value)).toContain(`{"Ref":"${e2eId}"}`);
    const readers = resourcesOf(s.template('platform'), 'AWS::Lambda::Function').filter(([, f]) =>
      JSON.stringify(f.Properties.Environment).includes('COGNITO_CLIENT_IDS'),
    );
    expect(readers).toHaveLength(2);
  });

  it("tags the user pool as the staging role's grant expects", () => {
    const [[, pool] = []] = resourcesOf(s.statefulJson, 'AWS::Cognito::UserPool');
    expect(pool?.Properties.UserPoolTags).toMatchObject({ project: 'serverless-store', stage });
  });
});
