/**
 * The search domain of each deployed stage, sized from the load it must carry: the stage config
 * takes its `search` block from here, and docs/capacity.md ("OpenSearch") states the same figures
 * (a test keeps the two equal).
 *
 * The model: a data node's vCPUs each answer the measured number of queries a second; at the peak
 * the nodes may be only so busy with every zone up, and only so busy with one zone lost (zone-aware
 * domains spread the nodes evenly over the zones). Of the node types that fit, the cheapest wins;
 * at equal cost, fewer nodes (fewer shard copies to keep in step).
 */
import type { DomainSearchConfig } from './stage-config.ts';

/** The seed's peak (docs/capacity.md). */
export const PEAK_SEARCHES_PER_SECOND = 2315;

/**
 * `npm run bench:search -- --bulk 100000`: the local node sustained 187 faceted queries/s with 16
 * in flight on a 2-core machine it shared with the load generator, about 95 per core. Taken as the
 * rate of one data-node vCPU until a load test against a real domain says otherwise.
 */
export const MEASURED_QUERIES_PER_VCPU = 95;

/** List prices assumed (on-demand, us-east-1); docs/capacity.md, "Assumptions". */
export const EBS_GP3_USD_PER_GB_MONTH = 0.122;
export const HOURS_PER_MONTH = 730;

export interface NodeType {
  name: string;
  vcpus: number;
  usdPerHour: number;
}

export const NODE_TYPES = {
  'm6g.large.search': { name: 'm6g.large.search', vcpus: 2, usdPerHour: 0.128 },
  'r6g.large.search': { name: 'r6g.large.search', vcpus: 2, usdPerHour: 0.167 },
  'r6g.xlarge.search': { name: 'r6g.xlarge.search', vcpus: 4, usdPerHour: 0.335 },
  'r6g.2xlarge.search': { name: 'r6g.2xlarge.search', vcpus: 8, usdPerHour: 0.669 },
  'r6g.4xlarge.search': { name: 'r6g.4xlarge.search', vcpus: 16, usdPerHour: 1.338 },
  'r6g.8xlarge.search': { name: 'r6g.8xlarge.search', vcpus: 32, usdPerHour: 2.676 },
} as const satisfies Record<string, NodeType>;

export type NodeTypeName = keyof typeof NODE_TYPES;

export interface SearchProfile {
  peakSearchesPerSecond: number;
  /** Zone-aware over this many AZs: the data node count is a multiple of it. */
  availabilityZones: 1 | 2 | 3;
  /** Highest share of the data nodes' CPU the peak may use with every zone up. */
  targetUtilization: number;
  /** Highest share the peak may use on the nodes left after losing one zone (zone-aware only). */
  zoneLossUtilization: number;
  dataNodeTypes: readonly NodeTypeName[];
  /** Upper bound on data nodes, e.g. what the dedicated masters' size is right for. */
  maxDataNodes: number;
  masters?: { count: number; type: NodeTypeName };
  ebsVolumeGiB: number;
}

export interface SearchSizing {
  dataNodes: number;
  dataNodeType: NodeTypeName;
  vcpus: number;
  /** Queries a second the data nodes answer at full CPU, at the measured rate. */
  queriesPerSecond: number;
  /** Share of that the peak takes, every zone up. */
  utilizationAtPeak: number;
  /** Share of the remaining nodes' capacity the peak takes with one zone lost (zone-aware only). */
  utilizationOneZoneLost?: number;
  /** One shard, a copy on every data node: every node holds the index and serves searches. */
  replicas: number;
  usdPerHour: number;
  usdPerMonth: number;
}

/** Hourly cost of a domain: data nodes, dedicated masters, gp3 volumes (one per data node). */
export function domainUsdPerHour(profile: SearchProfile, dataNodes: number, type: NodeTypeName): number {
  const data = dataNodes * NODE_TYPES[type].usdPerHour;
  const masters = profile.masters ? profile.masters.count * NODE_TYPES[profile.masters.type].usdPerHour : 0;
  const ebs = (dataNodes * profile.ebsVolumeGiB * EBS_GP3_USD_PER_GB_MONTH) / HOURS_PER_MONTH;
  return data + masters + ebs;
}

/** The fewest nodes of `type` that carry the profile's peak, or undefined if over the bound. */
function nodesOf(profile: SearchProfile, type: NodeTypeName): number | undefined {
  const zones = profile.availabilityZones;
  const perNode = NODE_TYPES[type].vcpus * MEASURED_QUERIES_PER_VCPU;
  const fits = (n: number) => {
    if (profile.peakSearchesPerSecond > n * perNode * profile.targetUtilization) return false;
    if (zones === 1) return true;
    const left = n - n / zones;
    return profile.peakSearchesPerSecond <= left * perNode * profile.zoneLossUtilization;
  };
  // Zone awareness places the same number of nodes in each zone, and at least one.
  for (let n = zones; n <= profile.maxDataNodes; n += zones) if (fits(n)) return n;
  return undefined;
}

export function sizeSearch(profile: SearchProfile): SearchSizing {
  const options = profile.dataNodeTypes.flatMap((type) => {
    const dataNodes = nodesOf(profile, type);
    // In hundredths of a cent, so equal prices compare equal (6 × $0.669 against 3 × $1.338).
    const cents = dataNodes === undefined ? 0 : Math.round(domainUsdPerHour(profile, dataNodes, type) * 1e4);
    return dataNodes === undefined ? [] : [{ type, dataNodes, cents }];
  });
  options.sort((a, b) => a.cents - b.cents || a.dataNodes - b.dataNodes);
  const best = options[0];
  if (!best) {
    throw new Error(
      `no data node type of ${profile.dataNodeTypes.join(', ')} carries ${profile.peakSearchesPerSecond} searches/s within ${profile.maxDataNodes} nodes`,
    );
  }
  const { type, dataNodes } = best;
  const vcpus = dataNodes * NODE_TYPES[type].vcpus;
  const queriesPerSecond = vcpus * MEASURED_QUERIES_PER_VCPU;
  const zones = profile.availabilityZones;
  const usdPerHour = domainUsdPerHour(profile, dataNodes, type);
  return {
    dataNodes,
    dataNodeType: type,
    vcpus,
    queriesPerSecond,
    utilizationAtPeak: profile.peakSearchesPerSecond / queriesPerSecond,
    ...(zones > 1
      ? { utilizationOneZoneLost: profile.peakSearchesPerSecond / (queriesPerSecond * (1 - 1 / zones)) }
      : {}),
    replicas: dataNodes - 1,
    usdPerHour,
    usdPerMonth: usdPerHour * HOURS_PER_MONTH,
  };
}

/** The stage config's search block for a profile. */
export function searchDomainFor(profile: SearchProfile): DomainSearchConfig {
  const sizing = sizeSearch(profile);
  return {
    kind: 'domain',
    dataNodes: sizing.dataNodes,
    dataNodeInstanceType: sizing.dataNodeType,
    masterNodes: profile.masters?.count ?? 0,
    ...(profile.masters ? { masterNodeInstanceType: profile.masters.type } : {}),
    availabilityZones: profile.availabilityZones,
    // Multi-AZ with standby, decided here for every stage: off. Standby brings the 99.99% SLA and
    // a faster recovery from a lost zone (the standby zone takes the traffic at once), but its
    // nodes, a third of the data nodes, serve no searches, while the model counts every node
    // serving: the same vCPUs serving would take 1.5 times the data nodes. Zone awareness with a
    // copy of the index on every node already keeps serving with a zone lost (docs/capacity.md).
    // Staging could not have it anyway: standby needs three AZs and dedicated masters.
    multiAzWithStandby: false,
    ebsVolumeGiB: profile.ebsVolumeGiB,
  };
}

/**
 * Prod: the seed's peak on three zones. At 60% with every zone up, the two zones left after losing
 * one run at 90%: still serving, with no room for more. Data nodes at most 10, the cluster size AWS
 * pairs with large dedicated masters.
 */
export const PROD_SEARCH_PROFILE: SearchProfile = {
  peakSearchesPerSecond: PEAK_SEARCHES_PER_SECOND,
  availabilityZones: 3,
  targetUtilization: 0.6,
  zoneLossUtilization: 0.9,
  dataNodeTypes: [
    'r6g.large.search',
    'r6g.xlarge.search',
    'r6g.2xlarge.search',
    'r6g.4xlarge.search',
    'r6g.8xlarge.search',
  ],
  maxDataNodes: 10,
  masters: { count: 3, type: 'm6g.large.search' },
  ebsVolumeGiB: 100,
};

/**
 * Staging: the end-to-end suite and people trying things, assumed at most 50 searches/s. It
 * rehearses prod's layout: zone-aware over two AZs, a replica on the second node, and prod's
 * features (FGAC, audit logs, TLS with forward secrecy, the off-peak window). Prod's data node
 * family, not a burstable t3: T3 types support neither Auto-Tune nor Multi-AZ with standby and
 * throttle once their CPU credits run out, so a test on them would not say how prod behaves. No
 * dedicated masters: three would cost more than the two data nodes (the nag acknowledgment in
 * lib/stacks/search-domain.ts says what that risks).
 */
export const STAGING_SEARCH_PROFILE: SearchProfile = {
  peakSearchesPerSecond: 50,
  availabilityZones: 2,
  targetUtilization: 0.6,
  zoneLossUtilization: 0.9,
  dataNodeTypes: ['r6g.large.search'],
  maxDataNodes: 2,
  ebsVolumeGiB: 10,
};
