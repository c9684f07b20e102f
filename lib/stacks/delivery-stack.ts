/**
 * What the delivery pipeline (.github/workflows/deliver.yml) needs in an AWS account: GitHub's OIDC
 * provider and one deploy role per stage, assumable only by a workflow job of this repository
 * running in that stage's GitHub environment. Deployed once per account and region, apart from the
 * stages' stacks (`bin/delivery.ts`, docs/delivery.md): no long-lived key exists anywhere.
 */
import { type App, CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { STAGE_QUALIFIERS, type Stage } from '../config/stage-config.ts';
import { AwsSolutionsChecks, acknowledge, wildcardResourceFinding } from '../nag.ts';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** The stages the pipeline deploys. */
export const DELIVERED_STAGES = ['staging', 'prod'] as const satisfies readonly Stage[];
export type DeliveredStage = (typeof DELIVERED_STAGES)[number];

/** The bootstrap roles `cdk deploy` assumes: CloudFormation calls, asset uploads, lookups. */
const BOOTSTRAP_ROLES = ['deploy-role', 'file-publishing-role', 'lookup-role'] as const;

/** The role a stage's pipeline jobs assume: named, so the workflow's environment can state it. */
export const deployRoleName = (stage: DeliveredStage) => `store-${stage}-deploy`;

/** The OIDC `sub` of a job of `repo` running in GitHub environment `stage`. */
export const githubSubject = (repo: string, stage: DeliveredStage) => `repo:${repo}:environment:${stage}`;

export interface DeliveryStackProps extends StackProps {
  /** `owner/name` of the GitHub repository whose workflow deploys. */
  githubRepo: string;
  /** The stages deployed to this account (both by default). */
  stages?: readonly DeliveredStage[];
  /** An existing GitHub OIDC provider of the account (there can be one per account), else one is made. */
  existingProviderArn?: string;
}

/** Context `githubRepo`: required, `owner/name`. */
export function parseGithubRepo(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(value)) return value;
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new Error(`Pass the repository the pipeline runs in as -c githubRepo=owner/name (got ${got}).`);
}

/** Context `deliveryStages`: comma-separated, default `staging,prod`. */
export function parseDeliveredStages(value: unknown): DeliveredStage[] {
  if (value === undefined || value === '') return [...DELIVERED_STAGES];
  const parts = typeof value === 'string' ? value.split(',').map((p) => p.trim()) : [];
  const stages = parts.filter((p): p is DeliveredStage =>
    (DELIVERED_STAGES as readonly string[]).includes(p),
  );
  if (parts.length === 0 || stages.length !== parts.length || new Set(stages).size !== stages.length) {
    throw new Error(
      `-c deliveryStages takes ${DELIVERED_STAGES.join(', ')} or both, comma-separated (got ${JSON.stringify(value)}).`,
    );
  }
  return stages;
}

export class DeliveryStack extends Stack {
  readonly provider: iam.IOidcProvider;
  readonly deployRoles: Partial<Record<DeliveredStage, iam.Role>> = {};

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, props);
    const repo = parseGithubRepo(props.githubRepo);
    this.provider = props.existingProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', props.existingProviderArn)
      : new iam.OidcProviderNative(this, 'GitHubOidc', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIds: [GITHUB_OIDC_AUDIENCE],
        });

    for (const stage of props.stages ?? DELIVERED_STAGES) {
      const idPrefix = stage === 'prod' ? 'Prod' : 'Staging';
      // Each stage is bootstrapped with its own qualifier: this role reaches its stage's roles only.
      const qualifier = STAGE_QUALIFIERS[stage];
      const role = new iam.Role(this, `${idPrefix}DeployRole`, {
        roleName: deployRoleName(stage),
        description: `Deploys stage ${stage} of the serverless store from ${repo} (GitHub environment ${stage})`,
        assumedBy: this.environmentPrincipal(repo, stage),
      });
      // Everything else is the bootstrap roles' to do: this role only hands over to them.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: BOOTSTRAP_ROLES.map(
            (r) =>
              `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${r}-${this.account}-${this.region}`,
          ),
        }),
      );
      if (stage === 'staging') this.endToEndRole(repo, stage);
      this.deployRoles[stage] = role;
      new CfnOutput(this, `${idPrefix}DeployRoleArn`, {
        value: role.roleArn,
        description: `AWS_DEPLOY_ROLE_ARN of GitHub environment ${stage}`,
      });
    }
  }

  /** Jobs of the repository's workflow that run in GitHub environment `stage` (and only those). */
  private environmentPrincipal(repo: string, stage: DeliveredStage): iam.WebIdentityPrincipal {
    return new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(repo, stage),
      },
    });
  }

  /**
   * The end-to-end run after the staging deploy creates its test users and their admin group
   * membership, and turns off the admin's TOTP factor of the previous run before it enrolls a new
   * one (sign-in and enrollment themselves are unauthenticated or use the user's own token). The
   * pool's id is made at deploy time, so the grant names pools by the tags every stack of the
   * stage carries instead.
   */
  private endToEndRole(repo: string, stage: DeliveredStage): void {
    // Its own role: the job that runs the suite's code holds no deploy rights.
    const role = new iam.Role(this, 'StagingEndToEndRole', {
      roleName: `store-${stage}-e2e`,
      description: `Creates the end-to-end test users of stage ${stage} from ${repo} (GitHub environment ${stage})`,
      assumedBy: this.environmentPrincipal(repo, stage),
    });
    new CfnOutput(this, 'StagingEndToEndRoleArn', {
      value: role.roleArn,
      description: `AWS_E2E_ROLE_ARN of GitHub environment ${stage}`,
    });
    const pools = `arn:${this.partition}:cognito-idp:${this.region}:${this.account}:userpool/*`;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminSetUserPassword',
          'cognito-idp:AdminAddUserToGroup',
          // Turns off the admin test user's TOTP factor of an earlier run, whose secret is gone.
          'cognito-idp:AdminSetUserMFAPreference',
        ],
        resources: [pools],
        conditions: {
          StringEquals: { 'aws:ResourceTag/project': 'serverless-store', 'aws:ResourceTag/stage': stage },
        },
      }),
    );
    acknowledge(role, {
      id: wildcardResourceFinding(this, pools),
      reason: `The user pool's id is made when stage ${stage} deploys, after this stack; the statement is limited to pools tagged project=serverless-store and stage=${stage}.`,
    });
  }
}

/** The delivery app: context `githubRepo` (required), `deliveryStages`, `githubOidcProviderArn`. */
export function buildDelivery(app: App): DeliveryStack {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const provider = context('githubOidcProviderArn');
  const stack = new DeliveryStack(app, 'store-delivery', {
    stackName: 'store-delivery',
    description: 'Serverless store: GitHub OIDC provider and the pipeline deploy roles',
    githubRepo: parseGithubRepo(context('githubRepo')),
    stages: parseDeliveredStages(context('deliveryStages')),
    ...(typeof provider === 'string' && provider !== '' ? { existingProviderArn: provider } : {}),
    // Deleting it would lock the pipeline out of the account.
    terminationProtection: true,
    tags: { project: 'serverless-store', 'managed-by': 'cdk' },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
