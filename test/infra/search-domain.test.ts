import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../lib/config/stage-config.ts';
import { OFF_PEAK_WINDOW_START } from '../../lib/stacks/search-domain.ts';
import { StatefulStack } from '../../lib/stacks/stateful-stack.ts';
import { envOf, functionsById } from './support/alone.ts';
import {
  type CfnTemplate,
  resourcesOf,
  type SynthesizedStage,
  synthesizeStage,
  TEST_EMAIL_FROM,
} from './support/stage.ts';

type Props = Record<string, unknown>;

const domainOf = (s: SynthesizedStage): Props => {
  const [entry, ...others] = resourcesOf(s.statefulJson, 'AWS::OpenSearchService::Domain');
  if (!entry || others.length > 0) throw new Error('expected one domain');
  return entry[1].Properties;
};

/** The domain's settings that are features, not size: what staging must share with prod. */
function featuresOf(domain: Props): Props {
  const logs = domain.LogPublishingOptions as Record<string, { Enabled: boolean }>;
  const security = domain.AdvancedSecurityOptions as Props;
  return {
    EngineVersion: domain.EngineVersion,
    NodeToNodeEncryptionOptions: domain.NodeToNodeEncryptionOptions,
    EncryptionAtRestOptions: domain.EncryptionAtRestOptions,
    DomainEndpointOptions: domain.DomainEndpointOptions,
    fineGrainedAccessControl: security.Enabled,
    logs: Object.fromEntries(Object.entries(logs).map(([kind, l]) => [kind, l.Enabled])),
    OffPeakWindowOptions: domain.OffPeakWindowOptions,
    SoftwareUpdateOptions: domain.SoftwareUpdateOptions,
    zoneAware: (domain.ClusterConfig as Props).ZoneAwarenessEnabled,
    standby: (domain.ClusterConfig as Props).MultiAZWithStandbyEnabled,
  };
}

/** Every `Fn::ImportValue` in a template, with the export name it reads. */
function importsOf(t: CfnTemplate): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::ImportValue') found.push(JSON.stringify(value));
        walk(value);
      }
    }
  };
  walk(t.Resources);
  walk(t.Outputs ?? {});
  return found;
}

describe.each(['staging', 'prod'] as const)('search domain, stage %s', (stage) => {
  let s: SynthesizedStage;
  let domain: Props;
  const domainName = `store-${stage}-search`;
  const parameterName = `/store-${stage}/search/endpoint`;
  beforeAll(async () => {
    s = await synthesizeStage(stage);
    domain = domainOf(s);
  });

  it('publishes audit logs to their own log group, which the logs resource policy lets the service write', () => {
    const groups = resourcesOf(s.statefulJson, 'AWS::Logs::LogGroup').filter(([, g]) =>
      String(g.Properties.LogGroupName).startsWith(`/aws/opensearch/${domainName}/`),
    );
    const audit = groups.find(([, g]) => g.Properties.LogGroupName === `/aws/opensearch/${domainName}/audit`);
    if (!audit) throw new Error('no audit log group');
    const [auditId] = audit;
    expect(domain.LogPublishingOptions).toMatchObject({
      AUDIT_LOGS: { Enabled: true, CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [auditId, 'Arn'] } },
    });
    // FGAC on: audit logs need it.
    expect(domain.AdvancedSecurityOptions).toMatchObject({ Enabled: true });
    const [, policy] = resourcesOf(s.statefulJson, 'AWS::Logs::ResourcePolicy').find(
      ([, p]) => p.Properties.PolicyName === `${domainName}-logs`,
    ) as [string, { Properties: Props }];
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    // Every domain log group, the audit one among them, is in the one policy.
    expect(groups.length).toBe(4);
    for (const [id] of groups) expect(document, id).toContain(id);
  });

  it('allows TLS 1.2+ with perfect forward secrecy only, over HTTPS', () => {
    expect(domain.DomainEndpointOptions).toMatchObject({
      EnforceHTTPS: true,
      TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10',
    });
  });

  it('has an off-peak window at 06:00 UTC and takes software updates in it', () => {
    expect(OFF_PEAK_WINDOW_START).toEqual({ hours: 6, minutes: 0 });
    expect(domain.OffPeakWindowOptions).toEqual({
      Enabled: true,
      OffPeakWindow: { WindowStartTime: { Hours: 6, Minutes: 0 } },
    });
    expect(domain.SoftwareUpdateOptions).toEqual({ AutoSoftwareUpdateEnabled: true });
  });

  it('is zone-aware with a replica on every other data node, without Multi-AZ standby', () => {
    const cluster = domain.ClusterConfig as Props;
    const config = stageConfig(stage).search;
    if (config.kind !== 'domain') throw new Error('a deployed stage has a domain');
    expect(cluster).toMatchObject({
      InstanceCount: config.dataNodes,
      ZoneAwarenessEnabled: true,
      ZoneAwarenessConfig: { AvailabilityZoneCount: config.availabilityZones },
      MultiAZWithStandbyEnabled: false,
    });
    expect(config.dataNodes % config.availabilityZones).toBe(0);
    // The index setup's replicas: one copy per data node, at least one replica.
    const setup = functionsById(s.template('search')).get('SearchIndexSetup');
    expect(Number(envOf(setup).SEARCH_REPLICAS)).toBe(config.dataNodes - 1);
    expect(config.dataNodes - 1).toBeGreaterThanOrEqual(1);
  });

  it('writes its endpoint to an SSM String parameter', () => {
    const [, parameter] =
      resourcesOf(s.statefulJson, 'AWS::SSM::Parameter').find(
        ([, p]) => p.Properties.Name === parameterName,
      ) ?? [];
    const [domainId] = resourcesOf(s.statefulJson, 'AWS::OpenSearchService::Domain')[0] ?? [];
    expect(parameter?.Properties).toMatchObject({
      Name: parameterName,
      Type: 'String',
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [domainId, 'DomainEndpoint'] }]] },
    });
  });

  it('exports nothing of the domain: the search and ops stacks read the endpoint parameter', () => {
    const [domainId] = resourcesOf(s.statefulJson, 'AWS::OpenSearchService::Domain')[0] ?? [];
    if (!domainId) throw new Error('no domain');
    // The stateful stack offers no export of a domain attribute, and no stack imports one.
    const exported = Object.values(s.statefulJson.Outputs ?? {}).filter(
      (o) => (o as { Export?: unknown }).Export && JSON.stringify(o).includes(domainId),
    );
    expect(exported).toEqual([]);
    for (const [name, t] of Object.entries(s.templates)) {
      expect(
        importsOf(t).filter((i) => i.includes(domainId)),
        name,
      ).toEqual([]);
    }
    for (const part of ['search', 'ops']) {
      const t = s.template(part);
      const parameters = Object.entries(
        (t as { Parameters?: Record<string, Props> }).Parameters ?? {},
      ).filter(([, p]) => p.Default === parameterName);
      expect(
        parameters.map(([, p]) => p.Type),
        part,
      ).toEqual(['AWS::SSM::Parameter::Value<String>']);
      const [parameterId] = parameters[0] ?? [];
      const fns = functionsById(t);
      const readers = [...fns].filter(([, fn]) => 'SEARCH_ENDPOINT' in envOf(fn)).map(([id]) => id);
      expect(readers, part).toEqual(
        expect.arrayContaining(
          part === 'search' ? ['Search', 'Suggest', 'Indexer', 'SearchIndexSetup'] : ['Health'],
        ),
      );
      for (const id of readers) {
        expect(envOf(fns.get(id)).SEARCH_ENDPOINT, `${part} ${id}`).toEqual({ Ref: parameterId });
      }
    }
  });

  it('acknowledges no single-zone finding (AwsSolutions-OS7): the domain is zone-aware', () => {
    const app = new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } });
    const emailFrom = TEST_EMAIL_FROM[stage];
    const stateful = new StatefulStack(app, 'Stateful', { config: stageConfig(stage, { emailFrom }) });
    if (stateful.search.kind !== 'domain') throw new Error('a deployed stage has a domain');
    const acknowledged = stateful.search.domain.node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.keys(m.data as Props));
    expect(acknowledged.join(' ')).not.toContain('OS7');
    expect(acknowledged.join(' ')).toContain(stage === 'prod' ? 'OS1' : 'OS4');
  });
});

describe('staging rehearses prod', () => {
  it("has prod's feature set: FGAC, audit logs, PFS, off-peak updates, encryption, logs, zone awareness", async () => {
    const [staging, prod] = await Promise.all([synthesizeStage('staging'), synthesizeStage('prod')]);
    expect(featuresOf(domainOf(staging))).toEqual(featuresOf(domainOf(prod)));
    expect(featuresOf(domainOf(prod))).toMatchObject({
      fineGrainedAccessControl: true,
      logs: { AUDIT_LOGS: true, SEARCH_SLOW_LOGS: true, INDEX_SLOW_LOGS: true, ES_APPLICATION_LOGS: true },
      zoneAware: true,
    });
  });
});
