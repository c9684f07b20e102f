/**
 * Synthesizes one stack on its own: its inputs come from a stateful stack and a stub API platform
 * (literal ids), so a stack's test needs neither the other services nor the REST API's stacks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { type LocalIssuer, loadOrCreateLocalIssuer } from '../../../lib/config/local-issuer.ts';
import {
  parseCorsOrigins,
  type Stage,
  type StageConfig,
  stageConfig,
} from '../../../lib/config/stage-config.ts';
import { AwsSolutionsChecks } from '../../../lib/nag.ts';
import { methodsByPath } from '../../../lib/services/manifest.ts';
import { servicesOf } from '../../../lib/services/registry.ts';
import type { ApiPlatform } from '../../../lib/services/service-stack.ts';
import { StatefulStack } from '../../../lib/stacks/stateful-stack.ts';
import type { CfnTemplate, NagViolation } from './stage.ts';
import { apiRoutes, TEST_CORS_ORIGINS, TEST_EMAIL_FROM } from './stage.ts';

export const STUB_PLATFORM_IDS = {
  restApiId: 'stub-api',
  rootResourceId: 'stub-root',
  tokenAuthorizerId: 'stub-token-authorizer',
  optionalAuthorizerId: 'stub-optional-authorizer',
} as const;

export interface StackInputs {
  app: App;
  config: StageConfig;
  stateful: StatefulStack;
  platform: ApiPlatform;
  issuer: LocalIssuer;
}

export interface AloneStack<S extends Stack> {
  stack: S;
  template: Template;
  json: CfnTemplate;
  /** cdk-nag findings on this stack's resources. */
  nag: NagViolation[];
}

export function synthAlone<S extends Stack>(stage: Stage, build: (inputs: StackInputs) => S): AloneStack<S> {
  const cors = TEST_CORS_ORIGINS[stage];
  const emailFrom = TEST_EMAIL_FROM[stage];
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `store-${stage}-alone-`)),
    // Bundles are the whole-app synth's concern (test/infra/support/stage.ts): skipped here.
    context: {
      stage,
      'aws:cdk:bundling-stacks': [],
      ...(cors ? { corsOrigins: cors } : {}),
      ...(emailFrom ? { emailFrom } : {}),
    },
  });
  const config = stageConfig(stage, { corsOrigins: parseCorsOrigins(cors), emailFrom });
  const stateful = new StatefulStack(app, 'Inputs', { config });
  const platform: ApiPlatform = {
    ...STUB_PLATFORM_IDS,
    sharedResources: new Map(),
    methodsByPath: methodsByPath(servicesOf(stage)),
  };
  const issuer = loadOrCreateLocalIssuer(join(tmpdir(), 'store-infra-alone-issuer.json'));
  const stack = build({ app, config, stateful, platform, issuer });
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks().validateScope(stack);
  const nag = report.violations.map((v) => ({
    ruleName: v.ruleName,
    severity: v.severity ?? 'error',
    constructPaths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?'),
  }));
  return { stack, template, json: template.toJSON() as CfnTemplate, nag };
}

/** Logical id without its hash (`CreateProduct1A2B3C4D` -> `CreateProduct`) -> function properties. */
export function functionsById(t: CfnTemplate): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const [logicalId, fn] of Object.entries(t.Resources)) {
    if (fn.Type === 'AWS::Lambda::Function')
      byId.set(logicalId.replace(/[0-9A-F]{8}$/, ''), fn.Properties ?? {});
  }
  return byId;
}

export function envOf(fn: Record<string, unknown> | undefined): Record<string, unknown> {
  return (fn?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
}

/** The statements of the DefaultPolicy attached to a function's role. */
export function statementsOf(t: CfnTemplate, id: string): { Action: string | string[]; Resource: unknown }[] {
  const policy = Object.entries(t.Resources).find(
    ([logicalId, r]) => r.Type === 'AWS::IAM::Policy' && logicalId.startsWith(`${id}RoleDefaultPolicy`),
  );
  if (!policy) throw new Error(`no policy for ${id}`);
  const document = policy[1].Properties?.PolicyDocument as { Statement: never[] } | undefined;
  return document?.Statement ?? [];
}

export const actionsOf = (t: CfnTemplate, id: string): string[] =>
  statementsOf(t, id).flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));

/** The stack's own routes: `VERB /path` (paths built from its resources; the root is the stub). */
export function routesOf(t: CfnTemplate): Map<string, Record<string, unknown>> {
  return apiRoutes({ templates: { alone: t } });
}

/**
 * A function's grants but tracing and its log group (every function has those):
 * `<table>[/index/<name>] -> actions` for the named tables, `<service> -> actions` for the listed
 * services, the resource itself for anything else. No grant may name `index/*` or `*`.
 */
export function grantsByResource(
  t: CfnTemplate,
  id: string,
  tables: readonly string[],
  services: readonly string[] = [],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const st of statementsOf(t, id)) {
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    if (actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))) continue;
    const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
    for (const resource of resources) {
      const text = JSON.stringify(resource);
      const table = tables.find((name) => text.includes(name));
      const index = text.match(/\/index\/(\w+)/)?.[1];
      const service = actions[0]?.split(':')[0] ?? '';
      const key = table ? `${table}${index ? `/${index}` : ''}` : services.includes(service) ? service : text;
      out[key] = [...(out[key] ?? []), ...actions].sort();
      expect(text, id).not.toMatch(/\/index\/\*|"\*"/);
    }
  }
  return out;
}
