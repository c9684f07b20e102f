/**
 * One typed configuration per stage. Everything that differs between local, staging and prod is
 * decided here, so the stacks read settings instead of comparing stage names.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseOrigins } from '../../lambdas/shared/cors.ts';
import { PROD_SEARCH_PROFILE, STAGING_SEARCH_PROFILE, searchDomainFor } from './capacity.ts';
import { type LambdaLimits, type MethodThrottle, PROD_LIMITS, STAGING_LIMITS } from './limits.ts';

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

export interface ObservabilityConfig {
  /** The API's p99 latency above this in 3 of 5 minutes raises `<prefix>-api-latency-p99`. */
  apiLatencyP99Ms: number;
  /** Unexpected errors of one service's functions in 5 minutes that raise its errors alarm. */
  lambdaErrorsPer5Min: number;
  /** Orders failed for an INTERNAL reason (not the buyer's) in 5 minutes that raise an alarm. */
  internalOrderFailuresPer5Min: number;
}

/**
 * 1.5 s p99: warm requests take tens to a few hundred milliseconds, far from the functions' 10 s
 * timeout and API Gateway's 29 s; a minute of cold starts after a deploy can pass 1.5 s, which the
 * 3-of-5 rule absorbs, while a slow dependency keeps it there. Staging runs tests, where a single
 * unexpected error deserves a look; prod's retries absorb a stray one, a handful is a pattern.
 */
const STAGING_OBSERVABILITY: ObservabilityConfig = {
  apiLatencyP99Ms: 1500,
  lambdaErrorsPer5Min: 1,
  internalOrderFailuresPer5Min: 1,
};
const PROD_OBSERVABILITY: ObservabilityConfig = {
  apiLatencyP99Ms: 1500,
  lambdaErrorsPer5Min: 5,
  internalOrderFailuresPer5Min: 3,
};

export interface StageConfig {
  stage: Stage;
  /** Prefix of every physical name, so several stages fit one account. */
  prefix: `store-${Stage}`;
  removalPolicy: RemovalPolicy;
  pointInTimeRecovery: boolean;
  deletionProtection: boolean;
  /** CloudFormation refuses to delete the stage's stacks until this is turned off. */
  terminationProtection: boolean;
  /**
   * The CDK bootstrap qualifier the stage deploys through (`cdk bootstrap --qualifier`): one per
   * deployed stage, so staging's deploy role cannot reach prod's bootstrap roles in a shared
   * account. Absent: CDK's default (stage local, LocalStack).
   */
  bootstrapQualifier?: string;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO' | 'WARN';
  alarms: boolean;
  /** Alarm thresholds (read where `alarms` is on; docs/operations.md). */
  observability: ObservabilityConfig;
  /** Subscribed to the alarm topic when set (context `alarmEmail`); the topic exists either way. */
  alarmEmail?: string;
  search: SearchConfig;
  auth: {
    issuer: 'cognito' | 'local';
    /** Cognito feature plan Plus (threat protection); priced per MAU, so prod only. */
    cognitoPlus: boolean;
    /**
     * An app client for the delivery pipeline's end-to-end run (docs/delivery.md): password sign-in
     * of the test users it creates, which SRP-only web clients cannot do without an SRP library.
     */
    e2eClient: boolean;
    authorizerCacheTtl: Duration;
    /**
     * The user pool's own mail (codes, password resets) goes through SES from this verified
     * identity (context `emailFrom`, the notifications' sender too). Absent: Cognito's built-in
     * sender, which AWS limits to test volumes; `sesRequired` stages refuse to synthesize then.
     */
    email?: { from: string };
    sesRequired: boolean;
    /**
     * Hosted sign-in for the web app client: the authorization-code grant (with PKCE) only, back to
     * these URLs, on this Cognito domain prefix (contexts `authCallbackUrls`, `authLogoutUrls`,
     * `authDomainPrefix`). Absent: OAuth off, apps sign in with SRP through the SDK.
     */
    webOAuth?: { callbackUrls: string[]; logoutUrls: string[]; domainPrefix: string };
    /**
     * Admins (who change prices) sign in with a second factor: a token of an admin without a TOTP
     * factor carries no admin group, so admin routes answer 403.
     */
    adminMfa: boolean;
  };
  api: {
    /** Every method's default throttle (API Gateway applies stage limits per method). */
    throttlingRateLimit: number;
    throttlingBurstLimit: number;
    /** Per-method throttles, `'GET /search'` -> limits (lib/config/limits.ts). */
    methodThrottling: Record<string, MethodThrottle>;
    /** WAFv2 web ACL on the API stage (the local cloud has no WAF). */
    waf: boolean;
    /**
     * The API's enhanced TLS security policy (lib/stacks/platform-stack.ts, API_TLS). Off in stage
     * local: the local cloud serves plain HTTP, and LocalStack's REST API predates the property.
     */
    tlsPolicy: boolean;
    /**
     * A custom domain for the API (contexts `apiDomainName`, `apiCertificateArn`): TLS 1.2 policy,
     * and the default execute-api endpoint is disabled so clients cannot go around it.
     */
    customDomain?: { domainName: string; certificateArn: string };
    /**
     * Browser origins that may read the API's answers: `*` (any) or exact origins such as
     * `https://shop.example.com` (context `corsOrigins`, comma-separated). Empty: same-origin only.
     */
    corsOrigins: '*' | string[];
  };
  /** Reserved concurrency and the account quota it is planned against (lib/config/limits.ts). */
  lambda: LambdaLimits;
  /**
   * How stacks hand each other values a replacement would change (lib/stacks/handoff.ts): SSM
   * parameters, which never block a replacement as an imported export does; or plain references
   * in stage local, whose local cloud resolves no SSM parameters.
   */
  handoffs: 'ssm' | 'references';
  events: {
    /**
     * How long the bus's archive keeps events; absent: no archive. Events carry ids, lines,
     * amounts, the buyer's user id and, on the four Notify takes, their email and phone; no
     * payment data, no address (lambdas/events/catalog.ts). Prod: 90 days, a quarter in which to
     * notice a consumer that did the wrong thing without failing (nothing in a DLQ, which keeps 14
     * days) and replay its events; no longer, since the archive keeps the buyers' contact as long.
     * Staging: 30 days to rehearse a replay on test data. Stage local: none; the local cloud's
     * deploy has no counterpart for AWS::Events::Archive, and its events go with it.
     */
    archiveRetention?: Duration;
  };
  stepFunctions: {
    /** Execution data carries addresses and payment tokens: logged outside prod only. */
    includeExecutionData: boolean;
  };
  tags: Record<string, string>;
}

/** The deployed stages' bootstrap qualifiers (at most 10 lowercase letters and digits). */
export const STAGE_QUALIFIERS = { staging: 'storestg', prod: 'storeprd' } as const;

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
  /** Staging and prod: the verified SES identity account mail comes from (context `emailFrom`). */
  emailFrom?: string;
  /** Staging and prod: hosted sign-in of the web client (contexts `authCallbackUrls`, ...). */
  webOAuth?: { callbackUrls: string[]; logoutUrls: string[]; domainPrefix: string };
  /** Staging and prod: the API's custom domain (contexts `apiDomainName`, `apiCertificateArn`). */
  customDomain?: { domainName: string; certificateArn: string };
}

const sesEmail = (overrides: StageConfigOverrides) =>
  overrides.emailFrom ? { from: overrides.emailFrom } : undefined;

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
        terminationProtection: false,
        logRetention: RetentionDays.ONE_WEEK,
        logLevel: 'DEBUG',
        alarms: false,
        // Unread: stage local has no alarms.
        observability: STAGING_OBSERVABILITY,
        search: { kind: 'local', endpoint: overrides.searchEndpoint ?? DEFAULT_LOCAL_SEARCH_ENDPOINT },
        // A cached authorizer result would outlive tokens minted by the tests' /dev/token calls.
        auth: {
          issuer: 'local',
          cognitoPlus: false,
          e2eClient: false,
          authorizerCacheTtl: Duration.seconds(0),
          sesRequired: false,
          // The local issuer mints whatever token a test asks for.
          adminMfa: false,
        },
        api: {
          throttlingRateLimit: 1000,
          throttlingBurstLimit: 500,
          methodThrottling: {},
          waf: false,
          tlsPolicy: false,
          // Any local web app (any port) may call the local cloud.
          corsOrigins: '*',
        },
        // The local cloud runs every function in-process, with no account quota to plan against.
        lambda: { accountConcurrency: 0, reservedConcurrency: {} },
        handoffs: 'references',
        events: {},
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
        terminationProtection: false,
        bootstrapQualifier: STAGE_QUALIFIERS.staging,
        logRetention: RetentionDays.ONE_MONTH,
        logLevel: 'INFO',
        alarms: true,
        observability: STAGING_OBSERVABILITY,
        alarmEmail: overrides.alarmEmail,
        // One small node in one zone (lib/config/capacity.ts).
        search: searchDomainFor(STAGING_SEARCH_PROFILE),
        // Prod's tier and settings, so threat protection and admin MFA are exercised before prod.
        auth: {
          issuer: 'cognito',
          cognitoPlus: true,
          e2eClient: true,
          authorizerCacheTtl: Duration.seconds(300),
          email: sesEmail(overrides),
          sesRequired: false,
          webOAuth: overrides.webOAuth,
          adminMfa: true,
        },
        api: {
          throttlingRateLimit: STAGING_LIMITS.stage.rateLimit,
          throttlingBurstLimit: STAGING_LIMITS.stage.burstLimit,
          methodThrottling: STAGING_LIMITS.methods,
          waf: true,
          tlsPolicy: true,
          corsOrigins: overrides.corsOrigins ?? [],
          customDomain: overrides.customDomain,
        },
        lambda: STAGING_LIMITS.lambda,
        handoffs: 'ssm',
        events: { archiveRetention: Duration.days(30) },
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
        terminationProtection: true,
        bootstrapQualifier: STAGE_QUALIFIERS.prod,
        logRetention: RetentionDays.SIX_MONTHS,
        logLevel: 'INFO',
        alarms: true,
        observability: PROD_OBSERVABILITY,
        alarmEmail: overrides.alarmEmail,
        // Sized for the seed's peak (2,315 searches/s) over three AZs, dedicated masters, a copy of
        // the index on every data node: lib/config/capacity.ts, docs/capacity.md.
        search: searchDomainFor(PROD_SEARCH_PROFILE),
        auth: {
          issuer: 'cognito',
          cognitoPlus: true,
          e2eClient: false,
          authorizerCacheTtl: Duration.seconds(300),
          email: sesEmail(overrides),
          // Cognito's built-in sender is capped at test volumes: prod mail goes through SES.
          sesRequired: true,
          webOAuth: overrides.webOAuth,
          adminMfa: true,
        },
        // Search, suggest, admin and health get their own, lower limits (lib/config/limits.ts).
        api: {
          throttlingRateLimit: PROD_LIMITS.stage.rateLimit,
          throttlingBurstLimit: PROD_LIMITS.stage.burstLimit,
          methodThrottling: PROD_LIMITS.methods,
          waf: true,
          tlsPolicy: true,
          corsOrigins: overrides.corsOrigins ?? [],
          customDomain: overrides.customDomain,
        },
        lambda: PROD_LIMITS.lambda,
        handoffs: 'ssm',
        events: { archiveRetention: Duration.days(90) },
        stepFunctions: { includeExecutionData: false },
        tags,
      };
  }
}
