/**
 * Bundle size and cold module-init time per function, from the stage-local synthesized app
 * (`npm run synth:local` first). Init is measured the way Lambda pays it: a fresh Node 22 process
 * imports the bundle, with the AWS SDK resolved from node_modules as the runtime provides it.
 *
 * The bundles are the deployed stages' too; stage local only turns tracing off in the environment.
 * So init is measured as a deployed stage runs it, in a Lambda environment with active tracing
 * (the tracer and the X-Ray SDK load at init), unless `--tracing off` (as the local cloud runs).
 *
 *   npm run bench:bundles [-- --runs 9] [-- --tracing off]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, tracing: { type: 'string', default: 'on' } },
});
const runs = Number(values.runs);
const tracing = values.tracing !== 'off';
const cdkOut = join(root, 'cdk.out');
const BUDGET_BYTES = 300 * 1024;
const BUDGET_INIT_MS = 80;

interface FunctionResource {
  Type: string;
  Metadata?: Record<string, string>;
  Properties: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Template values that are not plain strings (Refs, imports) become placeholders: init must not call AWS. */
function plainEnv(vars: Record<string, unknown> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : `bench-${k.toLowerCase()}`]),
  );
}

const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as {
  artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
};
const rows: { fn: string; kb: number; initMs: number; cpuMs: number }[] = [];
for (const artifact of Object.values(manifest.artifacts)) {
  const templateFile = artifact.properties?.templateFile;
  if (artifact.type !== 'aws:cloudformation:stack' || !templateFile) continue;
  const template = JSON.parse(readFileSync(join(cdkOut, templateFile), 'utf8')) as {
    Resources: Record<string, FunctionResource>;
  };
  for (const [logicalId, res] of Object.entries(template.Resources)) {
    const assetPath = res.Metadata?.['aws:asset:path'];
    if (res.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
    const dir = join(cdkOut, assetPath);
    const entry = ['index.mjs', 'index.js'].map((f) => join(dir, f)).find(existsSync);
    if (!entry) continue;
    // Only what ships: source maps are uploaded but never loaded unless an error is thrown.
    const bytes = readdirSync(dir)
      .filter((f) => !f.endsWith('.map'))
      .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    const { POWERTOOLS_TRACE_ENABLED, ...functionEnv } = plainEnv(res.Properties.Environment?.Variables);
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      // What Lambda sets for an on-demand environment (the X-Ray SDK's Lambda mode keys on LAMBDA_TASK_ROOT).
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: dir,
      ...functionEnv,
      ...(tracing ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
      NODE_OPTIONS: '',
      NODE_PATH: join(root, 'node_modules'),
    };
    // Wall time, and the process's CPU time over the same span: on a busy machine the wall time
    // includes waiting for a core, the CPU time does not.
    const script = `const c=process.cpuUsage();const t=performance.now();await import(${JSON.stringify(entry)});const u=process.cpuUsage(c);process.stdout.write((performance.now()-t)+' '+(u.user+u.system)/1000);`;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, cwd: dir });
      const [w, c] = out.toString().split(' ').map(Number);
      wall.push(w ?? Number.NaN);
      cpu.push(c ?? Number.NaN);
    }
    rows.push({
      fn: logicalId.replace(/[0-9A-F]{8}$/, ''),
      kb: bytes / 1024,
      initMs: median(wall),
      cpuMs: median(cpu),
    });
  }
}

if (rows.length === 0) throw new Error('no function bundles in cdk.out: run `npm run synth:local` first');
console.log(
  `Node ${process.version}; ${runs} fresh processes per function; tracing ${tracing ? 'on (as deployed)' : 'off (as the local cloud runs)'}; budgets 300 KB and ${BUDGET_INIT_MS} ms`,
);
console.log('function                         bundle KB   init ms (median)   cpu ms (median)');
for (const row of rows.sort((a, b) => a.fn.localeCompare(b.fn))) {
  const flag = row.kb * 1024 > BUDGET_BYTES || row.initMs > BUDGET_INIT_MS ? '  OVER BUDGET' : '';
  console.log(
    `${row.fn.padEnd(32)} ${row.kb.toFixed(1).padStart(9)}   ${row.initMs.toFixed(1).padStart(8)}   ${row.cpuMs.toFixed(1).padStart(15)}${flag}`,
  );
}
const summary = (values: number[], unit: string) =>
  `max ${Math.max(...values).toFixed(1)} ${unit}, median ${median(values).toFixed(1)} ${unit}`;
const kb = summary(
  rows.map((r) => r.kb),
  'KB',
);
const init = summary(
  rows.map((r) => r.initMs),
  'ms',
);
const cpuTime = summary(
  rows.map((r) => r.cpuMs),
  'ms',
);
console.log(`bundle: ${kb}; init: ${init}; cpu: ${cpuTime}`);
