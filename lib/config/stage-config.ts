/**
 * One typed configuration per stage. Everything that differs between local, staging and prod is
 * decided here, so the stacks read settings instead of comparing stage names.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseOrigins } from '../../lambdas/shared/cors.ts';

export const STAGES = ['local', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Stage local has no domain: the local cloud runs an OpenSearch node. */
export interface LocalSearchConfig {
  kind: 'local';
  endpoint: string;
}

export interface DomainSearchConfig {
  kind: 'domain';
  dataNodes: number;
  dataNodeInstanceType: string;
  /** Dedicated master nodes; 0 = none. */
  masterNodes: number;
  masterNodeInstanceType?: string;
  /** 1 = no zone awareness. */
  availabilityZones: 1 | 2 | 3;
  multiAzWithStandby: boolean;
  ebsVolumeGiB: number;
}

export type SearchConfig = LocalSearchConfig | DomainSearchConfig;

export interface StageConfig {
  stage: Stage;
  /** Prefix of every physical name, so several stages fit one account. */
  prefix: `store-${Stage}`;
  removalPolicy: RemovalPolicy;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN';
  alarms: boolean;
  /** Subscribed to the alarm topic when set (context `alarmEmail`); the topic exists either way. */
  alarmEmail?: string;
  search: SearchConfig;
  auth: {
    issuer: 'cognito' | 'local';
    /** Cognito feature plan Plus (threat protection); priced per MAU, so prod only. */
    cognitoPlus: boolean;
    authorizerCacheTtl: Duration;
  };
  api: {
    throttlingRateLimit: number;
    throttlingBurstLimit: number;
    /** WAFv2 web ACL on the API stage (the local cloud has no WAF). */
    waf: boolean;
    /** API Gateway's account-level CloudWatch role, needed for execution logging in AWS. */
    cloudWatchRole: boolean;
    /**
     * Browser origins that may read the API's answers: `*` (any) or exact origins such as
     * `https://shop.example.com` (context `corsOrigins`, comma-separated). Empty: same-origin only.
     */
    corsOrigins: '*' | string[];
  };
  stepFunctions: {
    /** Execution data carries addresses and payment tokens: logged outside prod only. */
    includeExecutionData: boolean;
  };
  tags: Record<string, string>;
}

/** Reads the `stage` context value; anything but local|staging|prod is an error. */
export function parseStage(value: unknown): Stage {
  if (typeof value === 'string' && (STAGES as readonly string[]).includes(value)) return value as Stage;
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new Error(`Pass the stage as -c stage=${STAGES.join('|')} (got ${got}).`);
}

export const DEFAULT_LOCAL_SEARCH_ENDPOINT = 'http://127.0.0.1:9200';

export interface StageConfigOverrides {
  /** Stage local: where the functions reach OpenSearch (context `searchEndpoint`). */
  searchEndpoint?: string;
  /** Staging and prod: who is told when an alarm fires (context `alarmEmail`). */
  alarmEmail?: string;
  /** Staging and prod: the web origins allowed to read answers (context `corsOrigins`). */
  corsOrigins?: string[];
}

/** Context `corsOrigins`: comma-separated exact origins; anything else fails synthesis. */
export function parseCorsOrigins(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    return parseOrigins(value);
  } catch (error) {
    throw new Error(`corsOrigins: ${(error as Error).message}.`);
  }
}

export function stageConfig(stage: Stage, overrides: StageConfigOverrides = {}): StageConfig {
  const tags = { project: 'serverless-store', stage, 'managed-by': 'cdk' };
  switch (stage) {
    case 'local':
      return {
        stage,
        prefix: 'store-local',
        removalPolicy: RemovalPolicy.DESTROY,
        pointInTimeRecovery: false,
        deletionProtection: false,
        logRetention: RetentionDays.ONE_WEEK,
        logLevel: 'DEBUG',
        alarms: false,
        search: { kind: 'local', endpoint: overrides.searchEndpoint ?? DEFAULT_LOCAL_SEARCH_ENDPOINT },
        // A cached authorizer result would outlive tokens minted by the tests' /dev/token calls.
        auth: { issuer: 'local', cognitoPlus: false, authorizerCacheTtl: Duration.seconds(0) },
        api: {
          throttlingRateLimit: 1000,
          throttlingBurstLimit: 500,
          waf: false,
          cloudWatchRole: false,
          // Any local web app (any port) may call the local cloud.
          corsOrigins: '*',
        },
        stepFunctions: { includeExecutionData: true },
        tags,
      };
    case 'staging':
      return {
        stage,
        prefix: 'store-staging',
        removalPolicy: RemovalPolicy.DESTROY,
        pointInTimeRecovery: true,
        deletionProtection: false,
        logRetention: RetentionDays.ONE_MONTH,
        logLevel: 'INFO',
        alarms: true,
        alarmEmail: overrides.alarmEmail,
        search: {
          kind: 'domain',
          dataNodes: 1,
          dataNodeInstanceType: 't3.small.search',
          masterNodes: 0,
          availabilityZones: 1,
          multiAzWithStandby: false,
          ebsVolumeGiB: 10,
        },
        auth: { issuer: 'cognito', cognitoPlus: false, authorizerCacheTtl: Duration.seconds(300) },
        api: {
          throttlingRateLimit: 200,
          throttlingBurstLimit: 100,
          waf: true,
          cloudWatchRole: true,
          corsOrigins: overrides.corsOrigins ?? [],
        },
        stepFunctions: { includeExecutionData: true },
        tags,
      };
    case 'prod':
      return {
        stage,
        prefix: 'store-prod',
        removalPolicy: RemovalPolicy.RETAIN,
        pointInTimeRecovery: true,
        deletionProtection: true,
        logRetention: RetentionDays.SIX_MONTHS,
        logLevel: 'INFO',
        alarms: true,
        alarmEmail: overrides.alarmEmail,
        search: {
          kind: 'domain',
          // One data node per AZ, every shard replicated across zones: an AZ can go without losing search.
          dataNodes: 3,
          dataNodeInstanceType: 'r6g.large.search',
          masterNodes: 3,
          masterNodeInstanceType: 'm6g.large.search',
          availabilityZones: 3,
          // With standby one of the three data nodes would idle; zone awareness plus replicas already
          // survives the loss of an AZ, and search needs every node serving (2,315 searches/s peak).
          multiAzWithStandby: false,
          ebsVolumeGiB: 100,
        },
        auth: { issuer: 'cognito', cognitoPlus: true, authorizerCacheTtl: Duration.seconds(300) },
        // Below the account's default 10,000 rps / 5,000 burst, above the seed's peak.
        api: {
          throttlingRateLimit: 8000,
          throttlingBurstLimit: 4000,
          waf: true,
          cloudWatchRole: true,
          corsOrigins: overrides.corsOrigins ?? [],
        },
        stepFunctions: { includeExecutionData: false },
        tags,
      };
  }
}
