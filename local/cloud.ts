/**
 * The local cloud: the synthesized stage-local templates running offline on moto (DynamoDB,
 * Streams, SQS, EventBridge), a real OpenSearch node and Node-side emulators of API Gateway,
 * Lambda, Step Functions, event source mappings and schedules.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type CustomResource, type Deployment, deploy } from './deploy.ts';
import { startMoto } from './moto.ts';
import { startOpenSearch } from './opensearch.ts';
import { ApiGateway, type Route } from './runtime/api-gateway.ts';
import { ControlServer } from './runtime/control.ts';
import { RuleDelivery } from './runtime/event-rules.ts';
import { QueuePoller, StreamPoller } from './runtime/event-sources.ts';
import { LambdaRuntime } from './runtime/lambda-runtime.ts';
import { StepFunctions } from './runtime/step-functions.ts';
import { assertPortFree, type Log, run } from './support.ts';
import { REGION } from './template.ts';

export interface Ports {
  api: number;
  moto: number;
  opensearch: number;
  stepFunctions: number;
}

export const DEFAULT_PORTS: Ports = {
  api: Number(process.env.LOCAL_API_PORT ?? 3000),
  moto: Number(process.env.LOCAL_MOTO_PORT ?? 4566),
  opensearch: Number(process.env.LOCAL_OPENSEARCH_PORT ?? 9200),
  stepFunctions: Number(process.env.LOCAL_SFN_PORT ?? 8083),
};

export interface LocalCloudOptions {
  rootDir: string;
  log: Log;
  ports?: Partial<Ports>;
  /** Print every function's log lines (they always go to .local/logs/<function>.log). */
  verbose?: boolean;
  /** Where `cdk synth` writes; separate directories let a test run beside `npm start`. */
  cdkOut?: string;
  /**
   * The most execution environments a function without reserved concurrency gets before Invoke
   * throttles (the stand-in for the account's unreserved concurrency). Default 64, or
   * LOCAL_LAMBDA_CONCURRENCY: the store's own suites send up to 49 concurrent requests to one
   * function, which AWS's default of 1,000 serves.
   */
  lambdaConcurrency?: number;
}

export interface LocalCloud {
  url: string;
  ports: Ports;
  deployment: Deployment;
  runtime: LambdaRuntime;
  /** The control endpoint (fault injection, local/runtime/control.ts) on 127.0.0.1. */
  controlUrl: string;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const { rootDir, log } = options;
  const cdkOut = options.cdkOut ?? join(rootDir, 'cdk.out');
  const started = performance.now();
  await Promise.all([
    assertPortFree(ports.api, 'API'),
    assertPortFree(ports.stepFunctions, 'Step Functions'),
  ]);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
    stops.length = 0;
  };
  try {
    // The slow parts (synth, the JVM, moto) start together.
    const searchData = join(rootDir, '.local', `opensearch-data-${ports.opensearch}`);
    // State lives in moto, which starts empty: the index must start empty too.
    rmSync(searchData, { recursive: true, force: true });
    const [, moto, search] = await Promise.all([
      synth(rootDir, cdkOut, log),
      startMoto({ rootDir, port: ports.moto, log }).then((m) => {
        stops.push(m.stop);
        return m;
      }),
      startOpenSearch({ rootDir, port: ports.opensearch, dataDir: searchData, log }).then((s) => {
        // Runs after the node stops (stops run in reverse): its data is not kept between runs.
        stops.push(async () => rmSync(searchData, { recursive: true, force: true }));
        stops.push(s.stop);
        return s;
      }),
    ]);
    log(`moto ${moto.url}, OpenSearch ${search.url} (${seconds(started)} s)`);

    const sqs = new SQSClient({ endpoint: moto.url, region: REGION, credentials: CREDENTIALS });
    const deployment = await deploy({ cdkOut, awsEndpoint: moto.url, sqs, log });

    const runtime = new LambdaRuntime(
      join(rootDir, '.local', 'logs'),
      options.verbose ? (fn, line) => log(`[${fn}] ${line}`) : undefined,
      {
        concurrencyLimit: options.lambdaConcurrency ?? (Number(process.env.LOCAL_LAMBDA_CONCURRENCY) || 64),
        // As many cold starts at once as the machine has cores: more only starve each other.
        concurrentColdStarts: availableParallelism(),
      },
    );
    stops.push(() => runtime.stop());
    // Fault injection for the stage-local /dev/faults route, which reaches it via LOCAL_CONTROL_URL.
    const control = new ControlServer({ runtime, stateMachines: () => deployment.stateMachines });
    await control.start();
    stops.push(() => control.stop());
    const stepFunctionsUrl = `http://127.0.0.1:${ports.stepFunctions}`;
    for (const fn of deployment.functions) {
      const env: Record<string, string> = {
        ...fn.env,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL: moto.url,
        // Step Functions is served by the local endpoint, not moto.
        AWS_ENDPOINT_URL_SFN: stepFunctionsUrl,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: fn.codeDir,
        _HANDLER: fn.handler,
        LOCAL_CONTROL_URL: control.url,
      };
      // The template names the default port; the node actually serving may be elsewhere.
      if (env.SEARCH_ENDPOINT?.startsWith('http://127.0.0.1')) env.SEARCH_ENDPOINT = search.url;
      runtime.register({ ...fn, env });
    }

    for (const resource of deployment.customResources) await runCustomResource(resource, runtime, log);

    const stepFunctions = new StepFunctions({
      port: ports.stepFunctions,
      runtime,
      awsEndpoint: moto.url,
      region: REGION,
      sqs,
      log,
    });
    for (const machine of deployment.stateMachines) stepFunctions.register(machine);
    await stepFunctions.start();
    stops.push(() => stepFunctions.stop());

    const ctx = {
      runtime,
      sqs,
      queueUrlOf: (arn: string) => deployment.queues.get(arn),
      log,
      region: REGION,
      pollIntervalMs: 100,
    };
    const pollers = deployment.mappings.map((m) =>
      m.eventSourceArn.startsWith('arn:aws:sqs:')
        ? new QueuePoller(m, ctx)
        : new StreamPoller(m, ctx, moto.url),
    );
    for (const poller of pollers) poller.start();
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });

    // Every rule target (queue, function, state machine) is served by one delivery path.
    const rules = new RuleDelivery(deployment.rules, { ...ctx, stepFunctionsUrl });
    rules.start();
    stops.push(() => rules.stop());

    if (!deployment.api) throw new Error('the local assembly has no REST API');
    const gateway = new ApiGateway({
      port: ports.api,
      api: deployment.api,
      runtime,
      log,
      decorate: async (route: Route, _status: number, body: string) => {
        if (route.resourcePath !== '/health') return body;
        try {
          const health = JSON.parse(body) as { parts?: Record<string, unknown> };
          health.parts = {
            ...health.parts,
            moto: { status: (await probe(`${moto.url}/moto-api/`)) ? 'ok' : 'down', url: moto.url },
            opensearch: { status: (await probe(search.url)) ? 'ok' : 'down', url: search.url },
            lambda: {
              status: 'ok',
              functions: deployment.functions.length,
              invocations: Object.fromEntries(runtime.invocations),
            },
            stepFunctions: { status: 'ok', url: stepFunctionsUrl, ...stepFunctions.stats },
            eventSourceMappings: {
              status: pollers.every((p) => !p.stats.lastError?.includes('poller stopped'))
                ? 'ok'
                : 'degraded',
              mappings: Object.fromEntries(pollers.map((p) => [p.mapping.logicalId, p.stats])),
            },
            eventRules: {
              status: [...rules.stats.values()].every((s) => !s.lastError?.includes('poller stopped'))
                ? 'ok'
                : 'degraded',
              rules: Object.fromEntries(rules.stats),
            },
            apiGateway: { status: 'ok', routes: deployment.api?.routes.length, requests: gateway.requests },
          };
          return JSON.stringify(health);
        } catch {
          return body;
        }
      },
    });
    await gateway.start();
    stops.push(() => gateway.stop());
    log(
      `API on ${gateway.url}: ${deployment.functions.length} functions, ${deployment.api.routes.length} routes, ${deployment.tables.length} tables, ${deployment.mappings.length} event source mappings (${seconds(started)} s)`,
    );
    return { url: gateway.url, ports, deployment, runtime, controlUrl: control.url, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Runs a custom resource's Create as CloudFormation would: the function answers on ResponseURL
 * (served here for the call). With the CDK Provider framework the user's onEvent function is
 * called directly, since the framework's only job is that response protocol.
 */
async function runCustomResource(resource: CustomResource, runtime: LambdaRuntime, log: Log): Promise<void> {
  const target = runtime.find(resource.serviceToken);
  if (!target) throw new Error(`custom resource ${resource.logicalId}: no function ${resource.serviceToken}`);
  const started = performance.now();
  let answered: (response: { Status?: string; Reason?: string }) => void = () => {};
  const answer = new Promise<{ Status?: string; Reason?: string }>((resolve) => {
    answered = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200).end();
      try {
        answered(JSON.parse(Buffer.concat(chunks).toString()));
      } catch {
        answered({ Status: 'FAILED', Reason: 'unreadable custom resource response' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    const event = {
      RequestType: 'Create',
      ServiceToken: resource.serviceToken,
      ResponseURL: `http://127.0.0.1:${port}/response`,
      StackId: `arn:aws:cloudformation:${REGION}:123456789012:stack/${resource.stackName}/local`,
      RequestId: randomUUID(),
      LogicalResourceId: resource.logicalId,
      ResourceType: resource.resourceType,
      ResourceProperties: { ServiceToken: resource.serviceToken, ...resource.properties },
    };
    const onEvent = target.env.USER_ON_EVENT_FUNCTION_ARN;
    const result = await runtime.invoke(onEvent ?? resource.serviceToken, event);
    if (!result.ok) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
    if (!onEvent) {
      const response = await answer;
      if (response.Status !== 'SUCCESS') throw new Error(response.Reason ?? 'FAILED');
    }
  } catch (error) {
    throw new Error(
      `custom resource ${resource.logicalId} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    server.close();
  }
  log(
    `custom resource ${resource.logicalId} created (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

async function synth(rootDir: string, cdkOut: string, log: Log): Promise<void> {
  const started = performance.now();
  const bin = join(rootDir, 'node_modules', '.bin');
  // npm scripts put the project's Node 22 first on PATH; do the same when called from elsewhere.
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, CDK_DISABLE_VERSION_CHECK: '1' };
  await run(
    join(bin, 'cdk'),
    ['synth', '-c', 'stage=local', '--quiet', '--output', cdkOut, '--no-notices', '--no-version-reporting'],
    { cwd: rootDir, env },
  );
  log(`synthesized stage local into ${cdkOut} (${seconds(started)} s)`);
}

async function probe(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
