/**
 * Synthesizes a stage once for the whole infra run and shares it across test files.
 *
 * Vitest runs each file in its own worker, and synthesizing a stage bundles every function with
 * esbuild (most of the ~10 s a stage takes). The first worker that needs a stage builds it in a
 * fresh App (`context: { stage }`) with lib/app.ts, exactly as bin/app.ts does, into a cache
 * directory keyed by the stage and a hash of everything synthesis reads; the other workers wait
 * for it and read the same cloud assembly. A source change makes a new key, so a stale assembly
 * is never used.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStore } from '../../../lib/app.ts';
import type { Stage } from '../../../lib/config/stage-config.ts';
import { AwsSolutionsChecks } from '../../../lib/nag.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'store-infra-tests');
/** Everything synthesis reads. */
const INPUTS = [
  'bin',
  'lib',
  'lambdas',
  'state-machines',
  'package-lock.json',
  'cdk.json',
  'test/infra/support',
];

export interface NagViolation {
  ruleName: string;
  severity: string;
  constructPaths: string[];
}

export interface SynthesizedStage {
  stage: Stage;
  /** The cloud assembly directory (what `cdk synth` writes to cdk.out). */
  outdir: string;
  statefulStackName: string;
  stateful: Template;
  statefulJson: CfnTemplate;
  /** Every stack's template by stack name (`store-<stage>-catalog`...). */
  templates: Record<string, CfnTemplate>;
  /** The template of `store-<stage>-<part>`. */
  template(part: string): CfnTemplate;
  /**
   * All stacks but the stateful one as one template (logical ids are unique across them: the
   * merge refuses a clash), for assertions about the stateless side as a whole.
   */
  statelessJson: CfnTemplate;
  stateless: Template;
  /** cdk-nag AwsSolutions run over the whole app, errors and warnings alike. */
  nag: NagViolation[];
  /** The key file the local issuer was created in (stage local). */
  issuerKeyFile: string;
}

export interface CfnTemplate {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
  Outputs?: Record<string, { Value: unknown }>;
}

interface Done {
  stackNames: string[];
  nag: NagViolation[];
}

function inputsHash(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') visit(join(path, entry));
    } else {
      hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const input of INPUTS) visit(join(ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Browser origins the deployed stages are synthesized with: several for staging (the preflight
 * echoes the caller's origin), one for prod (stated as is).
 */
export const TEST_CORS_ORIGINS: Record<Stage, string | undefined> = {
  local: undefined,
  staging: 'https://shop.example.com,https://admin.example.com',
  prod: 'https://shop.example.com',
};

/**
 * The verified SES identity (context `emailFrom`) the deployed stages are synthesized with: prod
 * refuses to synthesize without one, and staging sends through SES too, as prod does.
 */
export const TEST_EMAIL_FROM: Record<Stage, string | undefined> = {
  local: undefined,
  staging: 'no-reply@staging.shop.example.com',
  prod: 'no-reply@shop.example.com',
};

function build(stage: Stage, dir: string, issuerKeyFile: string): void {
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  // Asset metadata on, as the CDK CLI sets it: the local cloud finds function code through it.
  const app = new App({
    outdir: staging,
    context: {
      stage,
      issuerKeyFile,
      'aws:cdk:enable-asset-metadata': true,
      ...(TEST_CORS_ORIGINS[stage] ? { corsOrigins: TEST_CORS_ORIGINS[stage] } : {}),
      ...(TEST_EMAIL_FROM[stage] ? { emailFrom: TEST_EMAIL_FROM[stage] } : {}),
    },
  });
  const store = buildStore(app);
  // The plugin also runs inside app.synth() and fails it on errors; run directly too, so warnings
  // are seen and the test can show every finding.
  const report = new AwsSolutionsChecks().validateScope(app);
  const nag = report.violations.map((v) => ({
    ruleName: v.ruleName,
    severity: v.severity ?? 'error',
    constructPaths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?'),
  }));
  app.synth();
  const stacks = [
    store.stateful,
    store.platform,
    ...store.services,
    store.api,
    ...(store.dashboard ? [store.dashboard] : []),
  ];
  const done: Done = { stackNames: stacks.map((st) => st.stackName), nag };
  writeFileSync(join(staging, 'infra-test-done.json'), JSON.stringify(done));
  renameSync(staging, dir);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function ensureBuilt(stage: Stage, dir: string, issuerKeyFile: string): Promise<void> {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 170_000;
  while (!existsSync(join(dir, 'infra-test-done.json'))) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building. A lock older than the longest build is left from a killed run.
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 300_000) {
        rmSync(lock, { recursive: true, force: true });
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for another worker to synthesize ${stage}`);
      await sleep(250);
      continue;
    }
    try {
      if (existsSync(join(dir, 'infra-test-done.json'))) return;
      // Older assemblies of this stage are dead weight (each holds every bundle).
      for (const entry of readdirSync(CACHE)) {
        if (entry.startsWith(`${stage}-`) && !entry.endsWith('.lock') && join(CACHE, entry) !== dir) {
          rmSync(join(CACHE, entry), { recursive: true, force: true });
        }
      }
      build(stage, dir, issuerKeyFile);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

const loaded = new Map<Stage, Promise<SynthesizedStage>>();

export function synthesizeStage(stage: Stage): Promise<SynthesizedStage> {
  let found = loaded.get(stage);
  if (!found) {
    found = (async () => {
      mkdirSync(CACHE, { recursive: true });
      const dir = join(CACHE, `${stage}-${inputsHash()}`);
      const issuerKeyFile = join(CACHE, 'issuer-key.json');
      await ensureBuilt(stage, dir, issuerKeyFile);
      const done = JSON.parse(readFileSync(join(dir, 'infra-test-done.json'), 'utf8')) as Done;
      const read = (name: string) =>
        JSON.parse(readFileSync(join(dir, `${name}.template.json`), 'utf8')) as CfnTemplate;
      const templates = Object.fromEntries(done.stackNames.map((name) => [name, read(name)]));
      const statefulStackName = `store-${stage}-stateful`;
      const statefulJson = templates[statefulStackName] as CfnTemplate;
      const statelessJson: CfnTemplate = { Resources: {}, Outputs: {} };
      for (const [name, t] of Object.entries(templates)) {
        if (name === statefulStackName) continue;
        for (const [id, resource] of Object.entries(t.Resources)) {
          if (id in statelessJson.Resources) throw new Error(`logical id ${id} is in two stacks`);
          statelessJson.Resources[id] = resource;
        }
        Object.assign(statelessJson.Outputs ?? {}, t.Outputs ?? {});
      }
      return {
        stage,
        outdir: dir,
        statefulStackName,
        stateful: Template.fromJSON(statefulJson),
        statefulJson,
        templates,
        template: (part: string) => {
          const t = templates[`store-${stage}-${part}`];
          if (!t) throw new Error(`no stack store-${stage}-${part}`);
          return t;
        },
        statelessJson,
        stateless: Template.fromJSON(statelessJson),
        nag: done.nag,
        issuerKeyFile,
      };
    })();
    loaded.set(stage, found);
  }
  return found;
}

/** Logical id -> resource, for the resources of one type. */
export function resourcesOf(
  template: CfnTemplate,
  type: string,
): [string, Required<CfnTemplate['Resources'][string]>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, { Properties: {}, Metadata: {}, ...r }]);
}

/**
 * Every method of the stage's REST API as `VERB /path` -> its properties, across stacks: a
 * resource's parent may be another stack's resource (or the API root) through an export.
 */
export function apiRoutes(s: Pick<SynthesizedStage, 'templates'>): Map<string, Record<string, unknown>> {
  type Ref = { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::ImportValue'?: string };
  const exported = new Map<string, { stack: string; value: Ref }>();
  for (const [stack, t] of Object.entries(s.templates)) {
    for (const output of Object.values(t.Outputs ?? {}) as { Value: Ref; Export?: { Name: string } }[]) {
      if (output.Export) exported.set(output.Export.Name, { stack, value: output.Value });
    }
  }
  const resolve = (stack: string, ref: Ref | string): string => {
    // A literal id is an imported root (a stack synthesized alone, on a stub platform).
    if (typeof ref === 'string') return 'root';
    if (ref.Ref) return `${stack}:${ref.Ref}`;
    if (ref['Fn::GetAtt']?.[1] === 'RootResourceId') return 'root';
    const target = ref['Fn::ImportValue'] ? exported.get(ref['Fn::ImportValue']) : undefined;
    if (target) return resolve(target.stack, target.value);
    throw new Error(`cannot resolve ${JSON.stringify(ref)} in ${stack}`);
  };
  const parents = new Map<string, { parent: string; part: string }>();
  for (const [stack, t] of Object.entries(s.templates)) {
    for (const [id, res] of resourcesOf(t, 'AWS::ApiGateway::Resource')) {
      parents.set(`${stack}:${id}`, {
        parent: resolve(stack, res.Properties.ParentId as Ref),
        part: String(res.Properties.PathPart),
      });
    }
  }
  const pathOf = (key: string): string => {
    if (key === 'root') return '';
    const node = parents.get(key);
    if (!node) throw new Error(`no API resource ${key}`);
    return `${pathOf(node.parent)}/${node.part}`;
  };
  const routes = new Map<string, Record<string, unknown>>();
  for (const [stack, t] of Object.entries(s.templates)) {
    for (const [, method] of resourcesOf(t, 'AWS::ApiGateway::Method')) {
      const key = resolve(stack, method.Properties.ResourceId as Ref);
      const route = `${String(method.Properties.HttpMethod)} ${pathOf(key) || '/'}`;
      if (routes.has(route)) throw new Error(`${route} is declared twice`);
      routes.set(route, method.Properties);
    }
  }
  return routes;
}
