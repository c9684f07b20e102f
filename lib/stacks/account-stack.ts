/**
 * What the store needs once per AWS account and region, whatever stages run there: API Gateway's
 * account-level CloudWatch role, which every REST API of the region logs its executions through.
 * It is one setting shared by all stages of the region, so no stage owns it: a stage that declared
 * it would change it under the others, and deleting that stage would break their logs. Deployed
 * apart from the stages' stacks and before a stage's first deploy (`bin/account.ts`,
 * docs/operations.md, "Edge"): a stage with execution logging fails to deploy without it.
 */
import { type App, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AwsSolutionsChecks, acknowledge } from '../nag.ts';

export const ACCOUNT_STACK_NAME = 'store-account';

export class AccountStack extends Stack {
  readonly apiGatewayCloudWatchRole: iam.Role;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.apiGatewayCloudWatchRole = new iam.Role(this, 'ApiGatewayCloudWatchRole', {
      description:
        "API Gateway's account-level role for execution logs and metrics (every stage of the region)",
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    acknowledge(this.apiGatewayCloudWatchRole, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level CloudWatch role uses AmazonAPIGatewayPushToCloudWatchLogs, the AWS-maintained policy made for exactly this role.",
    });
    const account = new apigw.CfnAccount(this, 'ApiGatewayAccount', {
      cloudWatchRoleArn: this.apiGatewayCloudWatchRole.roleArn,
    });
    // Every stage's execution logging depends on them: a deleted stack must not take them along.
    this.apiGatewayCloudWatchRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/** The account app: one stack, deployed once per account and region. */
export function buildAccount(app: App): AccountStack {
  const stack = new AccountStack(app, ACCOUNT_STACK_NAME, {
    stackName: ACCOUNT_STACK_NAME,
    description:
      "Serverless store: API Gateway's account-level CloudWatch role (once per account and region)",
    // Deleting it would leave every stage of the region without execution logs.
    terminationProtection: true,
    tags: { project: 'serverless-store', 'managed-by': 'cdk' },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
