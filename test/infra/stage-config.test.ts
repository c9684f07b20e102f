import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildStore } from '../../lib/app.ts';
import { parseStage, STAGES, stageConfig } from '../../lib/config/stage-config.ts';

describe('stage config', () => {
  it.each([undefined, '', 'dev', 'Prod', 42])(
    'rejects stage %j with a message naming the choices',
    (value) => {
      expect(() => parseStage(value)).toThrow(/-c stage=local\|staging\|prod/);
    },
  );

  it('refuses to build an app without a stage', () => {
    expect(() => buildStore(new App())).toThrow(/-c stage=local\|staging\|prod \(got nothing\)/);
  });

  it.each(STAGES)('derives names and tags from stage %s', (stage) => {
    const config = stageConfig(parseStage(stage));
    expect(config.prefix).toBe(`store-${stage}`);
    expect(config.tags).toMatchObject({ stage });
  });

  it('differs where stages should differ', () => {
    const [local, staging, prod] = STAGES.map((s) => stageConfig(s));
    expect(local?.search).toEqual({ kind: 'local', endpoint: 'http://127.0.0.1:9200' });
    expect(stageConfig('local', { searchEndpoint: 'http://127.0.0.1:9333' }).search).toMatchObject({
      endpoint: 'http://127.0.0.1:9333',
    });
    expect([local, staging, prod].map((c) => c?.auth.issuer)).toEqual(['local', 'cognito', 'cognito']);
    expect([local, staging, prod].map((c) => c?.pointInTimeRecovery)).toEqual([false, true, true]);
    expect([local, staging, prod].map((c) => c?.deletionProtection)).toEqual([false, false, true]);
    expect([local, staging, prod].map((c) => c?.alarms)).toEqual([false, true, true]);
    expect([local, staging, prod].map((c) => c?.auth.authorizerCacheTtl.toSeconds())).toEqual([0, 300, 300]);
    expect(prod?.search).toMatchObject({ dataNodes: 3, availabilityZones: 3, masterNodes: 3 });
    expect(staging?.search).toMatchObject({ dataNodes: 2, availabilityZones: 2, masterNodes: 0 });
  });
});
