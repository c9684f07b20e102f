/**
 * The delivery workflow, read offline: valid for GitHub (action-validator's schemas), jobs in
 * the order test -> synth -> deploy staging -> e2e on staging -> (approval) deploy prod, AWS only
 * through OIDC on the jobs that need it, prod deployed from the assembly staging got.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../../..');
const workflowsDir = join(root, '.github/workflows');
const source = readFileSync(join(workflowsDir, 'deliver.yml'), 'utf8');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(source) as {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};
const jobs = workflow.jobs;
const job = (id: string): Job => {
  const found = jobs[id];
  if (!found) throw new Error(`no job ${id}`);
  return found;
};
const needsOf = (j: Job) => (j.needs === undefined ? [] : [j.needs].flat());
const environmentOf = (j: Job) => (typeof j.environment === 'string' ? j.environment : j.environment?.name);
const runs = (j: Job) => j.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
/** A GitHub expression as the workflow spells it: `${{ ... }}`. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const uses = (j: Job, action: string) => j.steps.filter((s) => s.uses?.startsWith(`${action}@`));

describe('the delivery workflow', () => {
  it('is a valid workflow, as is every other workflow file', () => {
    const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain('deliver.yml');
    for (const file of files) {
      expect(validateWorkflow(readFileSync(join(workflowsDir, file), 'utf8')).errors, file).toEqual([]);
    }
    // The validator is live: a job without runs-on is refused.
    expect(
      validateWorkflow(source.replace('runs-on: ubuntu-latest', 'runs-onn: ubuntu-latest')).errors,
    ).not.toEqual([]);
  });

  it('runs on pushes to main only', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] } });
  });

  it('chains test -> synth -> deploy-staging -> e2e-staging -> deploy-prod, one job needing the one before', () => {
    expect(Object.keys(jobs)).toEqual(['test', 'synth', 'deploy-staging', 'e2e-staging', 'deploy-prod']);
    expect(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, needsOf(j)]))).toEqual({
      test: [],
      synth: ['test'],
      'deploy-staging': ['synth'],
      'e2e-staging': ['deploy-staging'],
      'deploy-prod': ['e2e-staging'],
    });
    // The approval: prod's environment (its required reviewers gate the job) on the prod deploy only.
    expect(Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, environmentOf(j)]))).toEqual({
      test: undefined,
      synth: undefined,
      'deploy-staging': 'staging',
      'e2e-staging': 'staging',
      'deploy-prod': 'prod',
    });
  });

  it('tests with exactly the commands of .ci/run, in its order', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !/^(set|cd) /.test(l));
    expect(ci).toEqual(['npm ci --no-audit --no-fund', 'npm run setup', 'npm test']);
    expect(runs(job('test'))).toEqual(ci);
  });

  it('synthesizes staging and prod once and keeps both assemblies as one artifact', () => {
    const synth = runs(job('synth')).join('\n');
    expect(synth).toMatch(/npx cdk synth -c stage=staging .*--output cdk\.out\/staging/);
    expect(synth).toMatch(/npx cdk synth -c stage=prod .*--output cdk\.out\/prod/);
    const [upload, ...more] = uses(job('synth'), 'actions/upload-artifact');
    expect(more).toEqual([]);
    expect(upload?.with).toMatchObject({ name: 'cloud-assembly', 'if-no-files-found': 'error' });
    expect(String(upload?.with?.path).trim().split('\n')).toEqual(['cdk.out/staging', 'cdk.out/prod']);
  });

  it('deploys each stage from the synthesized assembly, never from a new synth', () => {
    for (const [id, stage] of [
      ['deploy-staging', 'staging'],
      ['deploy-prod', 'prod'],
    ] as const) {
      const j = job(id);
      expect(
        uses(j, 'actions/download-artifact').map((s) => s.with),
        id,
      ).toEqual([{ name: 'cloud-assembly', path: 'cdk.out' }]);
      const deploys = runs(j).filter((r) => r.includes('cdk deploy'));
      expect(deploys, id).toEqual([
        `npx cdk deploy --app cdk.out/${stage} --all --require-approval never --outputs-file cdk.out/${stage}-outputs.json`,
      ]);
    }
    for (const [id, j] of Object.entries(jobs)) {
      if (id !== 'synth') expect(runs(j).join('\n'), id).not.toMatch(/cdk synth|synth:/);
    }
  });

  it('gives id-token: write to exactly the jobs that assume an AWS role, nowhere else', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const assuming = Object.entries(jobs)
      .filter(([, j]) => uses(j, 'aws-actions/configure-aws-credentials').length > 0)
      .map(([id]) => id);
    expect(assuming).toEqual(['deploy-staging', 'e2e-staging', 'deploy-prod']);
    for (const [id, j] of Object.entries(jobs)) {
      expect(j.permissions?.['id-token'], id).toBe(assuming.includes(id) ? 'write' : undefined);
      if (j.permissions) expect(j.permissions, id).toEqual({ contents: 'read', 'id-token': 'write' });
    }
  });

  it('assumes each role by OIDC: role-to-assume from the environment, no key or secret anywhere', () => {
    for (const id of ['deploy-staging', 'e2e-staging', 'deploy-prod']) {
      const steps = uses(job(id), 'aws-actions/configure-aws-credentials');
      expect(steps, id).toHaveLength(1);
      expect(Object.keys(steps[0]?.with ?? {}).sort(), id).toEqual(
        ['aws-region', 'role-session-name', 'role-to-assume'].sort(),
      );
      // The job that runs the suite's code assumes a role that can only create its test users.
      const role = id === 'e2e-staging' ? 'vars.AWS_E2E_ROLE_ARN' : 'vars.AWS_DEPLOY_ROLE_ARN';
      expect(steps[0]?.with?.['role-to-assume'], id).toBe(gh(role));
    }
    expect(source).not.toMatch(
      /aws-access-key-id|aws-secret-access-key|aws-session-token|AWS_SECRET|AWS_ACCESS_KEY/i,
    );
    expect(source).not.toMatch(/secrets\./);
  });

  it('pins every action to a full commit SHA', () => {
    const all = Object.values(jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it("runs the deployed end-to-end files against staging's outputs, with Cognito tokens", () => {
    const e2e = job('e2e-staging');
    const step = e2e.steps.find((s) => s.run === 'npm run test:deployed');
    expect(step?.env).toEqual({
      E2E_BASE_URL: gh('needs.deploy-staging.outputs.api-url'),
      E2E_TOKEN_SOURCE: 'cognito',
      E2E_COGNITO_USER_POOL_ID: gh('needs.deploy-staging.outputs.user-pool-id'),
      E2E_COGNITO_CLIENT_ID: gh('needs.deploy-staging.outputs.e2e-client-id'),
    });
    const outputs = job('deploy-staging').outputs ?? {};
    expect(Object.keys(outputs).sort()).toEqual(['api-url', 'e2e-client-id', 'user-pool-id']);
    const extract = job('deploy-staging').steps.find((s) => s.id === 'stack-outputs')?.run ?? '';
    for (const key of ['ApiUrl', 'UserPoolId', 'E2eClientId']) expect(extract).toContain(`.${key}`);
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['test:deployed']).toBe('node --import tsx test/e2e/support/deployed-suite.ts');
  });
});
