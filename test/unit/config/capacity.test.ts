import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  domainUsdPerHour,
  MEASURED_QUERIES_PER_VCPU,
  PEAK_SEARCHES_PER_SECOND,
  PROD_SEARCH_PROFILE,
  type SearchProfile,
  STAGING_SEARCH_PROFILE,
  searchDomainFor,
  sizeSearch,
} from '../../../lib/config/capacity.ts';
import { stageConfig } from '../../../lib/config/stage-config.ts';

const root = resolve(import.meta.dirname, '../../..');
/** docs/capacity.md with every run of whitespace made one space (its sentences wrap). */
const doc = readFileSync(resolve(root, 'docs/capacity.md'), 'utf8');
const flat = doc.replace(/\s+/g, ' ');

const count = (x: number) => x.toLocaleString('en-US');
const percent = (x: number) => `${Math.round(x * 100)}%`;
const perHour = (x: number) => `$${x.toFixed(2)}`;
const perMonth = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

describe('the search capacity model', () => {
  const prod = sizeSearch(PROD_SEARCH_PROFILE);

  it("sizes prod for the seed's peak on three AZs", () => {
    expect(PEAK_SEARCHES_PER_SECOND).toBe(2315);
    expect(MEASURED_QUERIES_PER_VCPU).toBe(95);
    expect(prod).toMatchObject({
      dataNodes: 3,
      dataNodeType: 'r6g.4xlarge.search',
      vcpus: 48,
      queriesPerSecond: 4560,
      replicas: 2,
    });
    expect(prod.dataNodes % 3).toBe(0);
    expect(prod.dataNodes).toBeLessThanOrEqual(PROD_SEARCH_PROFILE.maxDataNodes);
    expect(prod.utilizationAtPeak).toBeLessThanOrEqual(PROD_SEARCH_PROFILE.targetUtilization);
    expect(prod.utilizationOneZoneLost).toBeLessThanOrEqual(PROD_SEARCH_PROFILE.zoneLossUtilization);
    // A copy of the index in every AZ.
    expect(prod.replicas).toBeGreaterThanOrEqual(PROD_SEARCH_PROFILE.availabilityZones - 1);
  });

  it('picks the cheapest type that fits, and the fewest nodes of it', () => {
    for (const type of PROD_SEARCH_PROFILE.dataNodeTypes) {
      const alone = { ...PROD_SEARCH_PROFILE, dataNodeTypes: [type] };
      let other: ReturnType<typeof sizeSearch> | undefined;
      try {
        other = sizeSearch(alone);
      } catch {
        continue;
      }
      expect(other.usdPerHour, type).toBeGreaterThanOrEqual(prod.usdPerHour - 1e-9);
    }
    // Three fewer nodes (one per AZ) would not carry the peak with an AZ lost.
    const fewer = { ...PROD_SEARCH_PROFILE, maxDataNodes: prod.dataNodes - 3 };
    expect(() => sizeSearch({ ...fewer, dataNodeTypes: [prod.dataNodeType] })).toThrow(/no data node type/);
  });

  it('finds the domain it replaces a quarter of the peak (3 × r6g.large.search, 570 queries/s)', () => {
    const old: SearchProfile = {
      ...PROD_SEARCH_PROFILE,
      dataNodeTypes: ['r6g.large.search'],
      maxDataNodes: 3,
    };
    expect(() => sizeSearch(old)).toThrow(
      /no data node type of r6g.large.search carries 2315 searches\/s within 3 nodes/,
    );
    expect(sizeSearch({ ...old, peakSearchesPerSecond: 570 * 0.6 }).queriesPerSecond).toBe(570);
  });

  it('grows with the peak and keeps zone awareness', () => {
    const double = sizeSearch({
      ...PROD_SEARCH_PROFILE,
      peakSearchesPerSecond: 2 * PEAK_SEARCHES_PER_SECOND,
    });
    expect(double.vcpus).toBeGreaterThan(prod.vcpus);
    expect(double.dataNodes % 3).toBe(0);
    expect(() => sizeSearch({ ...PROD_SEARCH_PROFILE, peakSearchesPerSecond: 100_000 })).toThrow(
      /within 10 nodes/,
    );
  });

  it("sizes staging as a rehearsal of prod: two AZs, a replica, prod's data node family", () => {
    const staging = sizeSearch(STAGING_SEARCH_PROFILE);
    expect(staging).toMatchObject({
      dataNodes: 2,
      dataNodeType: 'r6g.large.search',
      vcpus: 4,
      queriesPerSecond: 380,
      replicas: 1,
    });
    expect(STAGING_SEARCH_PROFILE.availabilityZones).toBe(2);
    expect(staging.utilizationOneZoneLost).toBeLessThanOrEqual(STAGING_SEARCH_PROFILE.zoneLossUtilization);
    // Not a burstable t3 (no Auto-Tune, no Multi-AZ with standby, CPU credits): prod's family.
    expect(staging.dataNodeType.split('.')[0]).toBe(prod.dataNodeType.split('.')[0]);
  });

  it('leaves Multi-AZ with standby off in every stage', () => {
    expect(searchDomainFor(PROD_SEARCH_PROFILE).multiAzWithStandby).toBe(false);
    expect(searchDomainFor(STAGING_SEARCH_PROFILE).multiAzWithStandby).toBe(false);
  });
});

describe('the stage config', () => {
  it("takes prod's and staging's search blocks from the model", () => {
    expect(stageConfig('prod').search).toEqual(searchDomainFor(PROD_SEARCH_PROFILE));
    expect(stageConfig('prod').search).toEqual({
      kind: 'domain',
      dataNodes: 3,
      dataNodeInstanceType: 'r6g.4xlarge.search',
      masterNodes: 3,
      masterNodeInstanceType: 'm6g.large.search',
      availabilityZones: 3,
      multiAzWithStandby: false,
      ebsVolumeGiB: 100,
    });
    expect(stageConfig('staging').search).toEqual(searchDomainFor(STAGING_SEARCH_PROFILE));
    expect(stageConfig('staging').search).toEqual({
      kind: 'domain',
      dataNodes: 2,
      dataNodeInstanceType: 'r6g.large.search',
      masterNodes: 0,
      availabilityZones: 2,
      multiAzWithStandby: false,
      ebsVolumeGiB: 10,
    });
  });
});

describe('docs/capacity.md', () => {
  const prod = sizeSearch(PROD_SEARCH_PROFILE);
  const staging = sizeSearch(STAGING_SEARCH_PROFILE);

  it("states prod's size, capacity and cost as the model computes them", () => {
    const stated = flat.match(
      /Prod, as sized by the model: \*\*(\d+) × ([\w.]+)\*\* data nodes, (\d+) vCPUs, \*\*([\d,]+) queries\/s\*\* at the measured rate; the peak takes (\d+%) of it, (\d+%) with an AZ lost\. The domain costs \*\*(\$[\d.]+) per hour, about (\$[\d,]+) per month\*\*/,
    );
    expect(stated?.slice(1)).toEqual([
      String(prod.dataNodes),
      prod.dataNodeType,
      String(prod.vcpus),
      count(prod.queriesPerSecond),
      percent(prod.utilizationAtPeak),
      percent(prod.utilizationOneZoneLost ?? 0),
      perHour(prod.usdPerHour),
      perMonth(prod.usdPerMonth),
    ]);
    const old = domainUsdPerHour(PROD_SEARCH_PROFILE, 3, 'r6g.large.search');
    expect(flat).toContain(`(${perHour(old)} per hour, ${perMonth(old * 730)} per month)`);
    expect(flat).toContain(`plus the OpenSearch domain at ${perHour(prod.usdPerHour)}`);
  });

  it('lists every candidate type as the model sizes it', () => {
    const rows = doc
      .split('\n')
      .filter((line) => /^\s*\| r6g\./.test(line))
      .map((line) =>
        line
          .trim()
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim()),
      );
    const expected = PROD_SEARCH_PROFILE.dataNodeTypes.map((type) => {
      const s = sizeSearch({ ...PROD_SEARCH_PROFILE, dataNodeTypes: [type], maxDataNodes: 1000 });
      const fits = s.dataNodes <= PROD_SEARCH_PROFILE.maxDataNodes;
      return [
        type,
        String(s.dataNodes),
        String(s.vcpus),
        count(s.queriesPerSecond),
        percent(s.utilizationAtPeak),
        percent(s.utilizationOneZoneLost ?? 0),
        perHour(s.usdPerHour),
        fits ? 'yes' : `no (${s.dataNodes})`,
      ];
    });
    expect(rows).toEqual(expected);
  });

  it('prices the standby alternative as the model would', () => {
    // Standby idles one AZ of three: serving prod's vCPUs takes 1.5 times the data nodes.
    const type = 'r6g.2xlarge.search';
    const nodes = (prod.vcpus / 8) * 1.5;
    expect(nodes).toBe(9);
    const standby = domainUsdPerHour(PROD_SEARCH_PROFILE, nodes, type);
    expect(flat).toContain(
      `would take 1.5 times the data nodes (${nodes} × ${type}, ${perHour(standby)} per hour with the masters, against ${perHour(prod.usdPerHour)})`,
    );
  });

  it("states staging's size as the model computes it", () => {
    const stated = flat.match(
      /Staging, as sized by the model: \*\*(\d+) × ([\w.]+)\*\* data nodes over (\d) AZs, ([\d,]+) queries\/s; its assumed peak of (\d+) searches\/s takes (\d+%) of it, (\d+%) with an AZ lost/,
    );
    expect(stated?.slice(1)).toEqual([
      String(staging.dataNodes),
      staging.dataNodeType,
      String(STAGING_SEARCH_PROFILE.availabilityZones),
      count(staging.queriesPerSecond),
      String(STAGING_SEARCH_PROFILE.peakSearchesPerSecond),
      percent(staging.utilizationAtPeak),
      percent(staging.utilizationOneZoneLost ?? 0),
    ]);
  });

  it('prices each stage as the model does', () => {
    expect(flat).toContain(
      `| staging | ${perHour(staging.usdPerHour)} (${staging.dataNodes} × ${staging.dataNodeType}, ${staging.dataNodes} × ${STAGING_SEARCH_PROFILE.ebsVolumeGiB} GB), about ${perMonth(staging.usdPerMonth)} per month |`,
    );
    expect(flat).toContain(
      `| prod | ${perHour(prod.usdPerHour)} (${prod.dataNodes} × ${prod.dataNodeType}, 3 masters, ${prod.dataNodes} × ${PROD_SEARCH_PROFILE.ebsVolumeGiB} GB), about ${perMonth(prod.usdPerMonth)} per month |`,
    );
  });
});
