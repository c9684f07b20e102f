/**
 * Prod survives a mistaken delete: every stack is termination-protected, and the data (every
 * table, the search domain, the user pool, queues, logs) is retained and, where AWS offers it,
 * deletion-protected. Staging stays disposable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedStage, synthesizeStage } from './support/stage.ts';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

describe.each(['staging', 'prod'] as const)('redeploy safety, stage %s', (stage) => {
  const prod = stage === 'prod';
  let s: SynthesizedStage;
  const all = (type: string): [string, Resource][] =>
    Object.entries(s.templates).flatMap(([stack, t]) =>
      Object.entries(t.Resources as Record<string, Resource>)
        .filter(([, r]) => r.Type === type)
        .map(([id, r]): [string, Resource] => [`${stack}/${id}`, r]),
    );
  beforeAll(async () => {
    s = await synthesizeStage(stage);
  });

  it(prod ? 'protects every stack from termination' : 'leaves its stacks deletable', () => {
    const manifest = JSON.parse(readFileSync(join(s.outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; properties?: { terminationProtection?: boolean } }>;
    };
    const stacks = Object.entries(manifest.artifacts).filter(
      ([, a]) => a.type === 'aws:cloudformation:stack',
    );
    expect(stacks.map(([name]) => name).sort()).toEqual(Object.keys(s.templates).sort());
    for (const [name, a] of stacks) expect(a.properties?.terminationProtection ?? false, name).toBe(prod);
  });

  it(`${prod ? 'retains and deletion-protects' : 'deletes'} every table`, () => {
    const tables = all('AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThanOrEqual(13);
    for (const [id, table] of tables) {
      expect(table.DeletionPolicy, id).toBe(prod ? 'Retain' : 'Delete');
      expect(table.UpdateReplacePolicy, id).toBe(prod ? 'Retain' : 'Delete');
      expect(table.Properties?.DeletionProtectionEnabled, id).toBe(prod);
    }
  });

  it(`${prod ? 'retains' : 'deletes'} the search domain and the user pool`, () => {
    const [domain, ...noOther] = all('AWS::OpenSearchService::Domain');
    expect(noOther).toEqual([]);
    expect(domain?.[1].DeletionPolicy).toBe(prod ? 'Retain' : 'Delete');
    expect(domain?.[1].UpdateReplacePolicy).toBe(prod ? 'Retain' : 'Delete');
    const [pool, ...noOtherPool] = all('AWS::Cognito::UserPool');
    expect(noOtherPool).toEqual([]);
    expect(pool?.[1].DeletionPolicy).toBe(prod ? 'Retain' : 'Delete');
    expect(pool?.[1].Properties?.DeletionProtection).toBe(prod ? 'ACTIVE' : 'INACTIVE');
  });

  it(`${prod ? 'retains' : 'deletes'} every queue and log group`, () => {
    const kept = [...all('AWS::SQS::Queue'), ...all('AWS::Logs::LogGroup')];
    expect(kept.length).toBeGreaterThan(50);
    for (const [id, r] of kept) expect(r.DeletionPolicy, id).toBe(prod ? 'Retain' : 'Delete');
  });
});
