/**
 * The one function construct: every Lambda of the project gets the same runtime, architecture,
 * bundling, tracing, logging and environment defaults, and binds tables together with the
 * least-privilege grant they need.
 */
import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambdas/shared/business-metrics.ts';
import type { StageConfig } from '../config/stage-config.ts';
import { acknowledge } from '../nag.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Bundled CommonJS dependencies call `require`, which ESM output lacks: give them one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

const shim = (file: string) => resolve(PROJECT_ROOT, 'lambdas/shared/bundle-shims', file);

/**
 * Powertools Tracer imports `node:http` and `node:https` as ES modules, and Node's ES facade of
 * `http` loads all of undici at once (about 30 ms of cold start): bundles take them through
 * `require`. The X-Ray SDK needs semver only for the AWS SDK v2, which no function uses (28 KB).
 */
export const BUNDLE_ALIASES = {
  '--alias:node:http': shim('node-http.cjs'),
  '--alias:node:https': shim('node-https.cjs'),
  '--alias:semver': shim('semver-unused.cjs'),
};

export type TableAccess = 'read' | 'read-write' | { actions: string[] };

export interface ServiceFunctionProps {
  config: StageConfig;
  /** Handler module, relative to the repository root. */
  entry: string;
  /** Physical name suffix: the function is `<prefix>-<name>`. */
  name: string;
  /** POWERTOOLS_SERVICE_NAME, the owning service. */
  service: string;
  description?: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  /** Active X-Ray tracing; on unless the function runs as a role it must not add policies to. */
  tracing?: boolean;
  /**
   * Run as an existing role instead of a role of its own. The owner of that role grants it what
   * it needs, including writing to this function's log group (`/aws/lambda/<function name>`).
   */
  role?: iam.IRole;
}

export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.IRole;
  readonly logGroup: LogGroup;
  readonly functionName: string;
  private readonly ownsRole: boolean;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;
    this.functionName = `${config.prefix}-${props.name}`;
    this.ownsRole = props.role === undefined;

    // An explicit log group instead of the one Lambda would create on first write: it gets the
    // stage's retention and removal policy, and no AWS managed policy is needed to write to it.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${this.functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${this.functionName} execution role`,
      });

    // Id `Resource` keeps the function's logical id the construct id (`CreateProduct1A2B3C4D`).
    this.fn = new NodejsFunction(this, 'Resource', {
      functionName: this.functionName,
      description: props.description,
      entry: resolve(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      // The critical path's guaranteed share of the account, and search's cap (lib/config/limits.ts).
      reservedConcurrentExecutions: config.lambda.reservedConcurrency[props.name],
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing === false ? Tracing.DISABLED : Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        STAGE: config.stage,
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        // The business metrics' namespace (lambdas/shared/business-metrics.ts), read by Powertools Metrics.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // No X-Ray daemon in the local cloud, and no trace to join without active tracing: the
        // tracer is not even loaded then.
        ...(config.stage === 'local' || props.tracing === false ? { POWERTOOLS_TRACE_ENABLED: 'false' } : {}),
        // Read by the shared HTTP layer (lambdas/shared/http.ts) for the CORS headers of every answer.
        CORS_ALLOW_ORIGINS: config.api.corsOrigins === '*' ? '*' : config.api.corsOrigins.join(','),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.EXTERNAL,
        // Stack traces need file and line, not the sources: keeps the uploaded .map small.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // The Node 22 runtime ships SDK v3.
        externalModules: ['@aws-sdk/*'],
        // No Docker here or in CI: the project's own esbuild bundles.
        forceDockerBundling: false,
        banner: ESM_REQUIRE_BANNER,
        esbuildArgs: BUNDLE_ALIASES,
      },
    });

    if (this.ownsRole) {
      this.logGroup.grantWrite(this.role);
      acknowledge(this.role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Resource::* only for actions that have no resource-level permissions: xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing), and dynamodb:ListStreams on stream consumers.',
      });
    }
    acknowledge(this.fn, {
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is chosen deliberately: the bundles, the local cloud and the tooling all target Node 22; moving to a newer runtime is a tested, separate change.',
    });
  }

  addEnvironment(key: string, value: string): this {
    this.fn.addEnvironment(key, value);
    return this;
  }

  /**
   * Sets `envVar` to the table's name and grants exactly the access asked for, on the table and
   * the named indexes: explicit index ARNs rather than `<table>/index/*`.
   */
  bindTable(table: ITable, envVar: string, access: TableAccess, indexNames: readonly string[] = []): this {
    this.fn.addEnvironment(envVar, table.tableName);
    const actions =
      access === 'read'
        ? TABLE_READ
        : access === 'read-write'
          ? [...TABLE_READ, ...TABLE_WRITE]
          : access.actions;
    iam.Grant.addToPrincipal({
      grantee: this.fn,
      actions,
      resourceArns: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
    });
    return this;
  }
}

/** Item reads (transactions check conditions with ConditionCheckItem). No Scan: lists use the GSIs. */
const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** Item writes; TransactWriteItems is authorized per item by these same actions. */
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
