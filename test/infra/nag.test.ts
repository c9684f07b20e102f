import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from '../../lib/nag.ts';
import { synthesizeStage } from './support/stage.ts';

/**
 * cdk-nag v3 is a CDK policy validation plugin: findings are not construct annotations but plugin
 * reports (and synth fails on errors). Every remaining finding must be acknowledged per resource,
 * with a reason, in the stacks.
 */
describe('cdk-nag AwsSolutions', () => {
  it('finds problems in this toolchain (the check is live, not silently passing)', () => {
    const app = new App();
    new Queue(new Stack(app, 'Probe'), 'Unencrypted');
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS4']));
  });

  it.each(['staging', 'prod', 'local'] as const)(
    'has no unacknowledged finding in stage %s',
    async (stage) => {
      const s = await synthesizeStage(stage);
      // Errors and warnings alike.
      expect(s.nag).toEqual([]);
      // What synth itself recorded in the cloud assembly agrees.
      const report = JSON.parse(readFileSync(join(s.outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; violations?: unknown[] }[];
      };
      const nagReports = report.pluginReports.filter((r) => r.pluginName === 'AwsSolutions');
      expect(nagReports.flatMap((r) => r.violations ?? [])).toEqual([]);
      // No construct annotation (CDK's own warnings and errors) on any stack either.
      const manifest = JSON.parse(readFileSync(join(s.outdir, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { metadata?: Record<string, { type: string; data: unknown }[]> }>;
      };
      const annotations = Object.values(manifest.artifacts)
        .flatMap((a) => Object.entries(a.metadata ?? {}))
        .flatMap(([path, entries]) => entries.map((e) => ({ path, ...e })))
        .filter((e) => e.type === 'aws:cdk:error' || e.type === 'aws:cdk:warning');
      expect(annotations).toEqual([]);
    },
  );
});
