/**
 * API Gateway's account-level CloudWatch role is one setting per account and region: the account
 * stack owns it, exactly once, and no stack of a stage declares it.
 */
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from '../../lib/nag.ts';
import { ACCOUNT_STACK_NAME, buildAccount } from '../../lib/stacks/account-stack.ts';
import { type CfnTemplate, resourcesOf, type SynthesizedStage, synthesizeStage } from './support/stage.ts';

const PUSH_POLICY = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/** Roles API Gateway assumes with the push-to-CloudWatch policy. */
const cloudWatchRoles = (t: CfnTemplate) =>
  resourcesOf(t, 'AWS::IAM::Role').filter(
    ([, r]) =>
      JSON.stringify(r.Properties.ManagedPolicyArns ?? []).includes(PUSH_POLICY) ||
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('apigateway.amazonaws.com'),
  );

describe('the account stack', () => {
  const app = new App();
  const stack = buildAccount(app);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template as CfnTemplate;

  it("holds API Gateway's account settings, exactly once, with their role", () => {
    const accounts = resourcesOf(template, 'AWS::ApiGateway::Account');
    expect(accounts).toHaveLength(1);
    const roles = cloudWatchRoles(template);
    expect(roles).toHaveLength(1);
    const [[roleId, role] = []] = roles;
    expect(accounts[0]?.[1].Properties).toEqual({ CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'apigateway.amazonaws.com' } },
      ],
    });
    expect(JSON.stringify(role?.Properties.ManagedPolicyArns)).toContain(`:iam::aws:policy/${PUSH_POLICY}`);
    // Nothing else: it is not a place for a stage's resources.
    expect([...new Set(Object.values(template.Resources).map((r) => r.Type))].sort()).toEqual([
      'AWS::ApiGateway::Account',
      'AWS::IAM::Role',
    ]);
  });

  it('survives its own deletion (every stage of the region logs through it) and is protected', () => {
    for (const [id, resource] of Object.entries(template.Resources) as [
      string,
      { DeletionPolicy?: string },
    ][]) {
      expect(resource.DeletionPolicy, id).toBe('Retain');
    }
    expect(stack.stackName).toBe(ACCOUNT_STACK_NAME);
    expect(artifact.terminationProtection).toBe(true);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe.each(['staging', 'prod'] as const)(
  "stage %s leaves API Gateway's account settings alone",
  (stage) => {
    let s: SynthesizedStage;
    beforeAll(async () => {
      s = await synthesizeStage(stage);
    });

    it('declares no AWS::ApiGateway::Account and no CloudWatch role for API Gateway in any stack', () => {
      for (const [name, t] of Object.entries(s.templates)) {
        expect(resourcesOf(t, 'AWS::ApiGateway::Account'), name).toEqual([]);
        expect(
          cloudWatchRoles(t).map(([id]) => id),
          name,
        ).toEqual([]);
      }
    });
  },
);
