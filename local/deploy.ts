/**
 * Deploys the synthesized stage-local stacks onto the local cloud: stateful resources into moto,
 * functions, routes, event source mappings and state machines into the Node-side emulators.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ApiDefinition, AuthorizerDefinition, GatewayResponse, Route } from './runtime/api-gateway.ts';
import { type RuleDefinition, ruleFromTemplate, tapQueueName, tapTarget } from './runtime/event-rules.ts';
import { type MappingDefinition, queueMappingProblem } from './runtime/event-sources.ts';
import type { FunctionDefinition } from './runtime/lambda-runtime.ts';
import type { StateMachineDefinition } from './runtime/step-functions.ts';
import type { Log } from './support.ts';
import {
  ACCOUNT,
  type CfnResource,
  generatedName,
  LOCAL_CREDENTIALS,
  loadAssembly,
  REGION,
  Resolver,
} from './template.ts';

export interface CustomResource {
  stackName: string;
  logicalId: string;
  resourceType: string;
  serviceToken: string;
  properties: Record<string, unknown>;
}

export interface Deployment {
  stacks: string[];
  /** Run by the local cloud once its functions are up, in template order, as CloudFormation would. */
  customResources: CustomResource[];
  tables: string[];
  queues: Map<string, string>;
  buses: string[];
  functions: FunctionDefinition[];
  mappings: MappingDefinition[];
  api?: ApiDefinition;
  stateMachines: StateMachineDefinition[];
  /** EventBridge rules (pattern and scheduled) with their targets, for the local delivery. */
  rules: RuleDefinition[];
  outputs: Record<string, string>;
}

export interface DeployOptions {
  cdkOut: string;
  awsEndpoint: string;
  sqs: SQSClient;
  log: Log;
}

/** Resource types that have no local counterpart and need none (IAM, logs, alarms, ...). */
const INERT =
  /^AWS::(IAM|Logs|CloudWatch|KMS|SSM|CDK|Lambda::Permission|ApiGateway::(Account|Deployment|UsagePlan|ApiKey|RequestValidator|Model)|Cognito|OpenSearchService|WAFv2|XRay)/;

export async function deploy(options: DeployOptions): Promise<Deployment> {
  const dynamodb = new DynamoDBClient({
    endpoint: options.awsEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const events = new EventBridgeClient({
    endpoint: options.awsEndpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const exports = new Map<string, string>();
  const out: Deployment = {
    stacks: [],
    customResources: [],
    tables: [],
    queues: new Map(),
    buses: [],
    functions: [],
    mappings: [],
    stateMachines: [],
    rules: [],
    outputs: {},
  };

  // Queue ARN -> VisibilityTimeout, which SQS event source mappings are checked against.
  const queueVisibility = new Map<string, number>();
  // The REST API may be spread over several stacks: assembled once all are read.
  const apiSources: ApiSource[] = [];
  for (const stack of loadAssembly(options.cdkOut)) {
    out.stacks.push(stack.stackName);
    const r = new Resolver(stack.stackName, exports);
    const entries = Object.entries(stack.resources);
    const props = (res: CfnResource) => res.Properties ?? {};
    const nameOf = (res: CfnResource, key: string, logicalId: string, max?: number) => {
      const given = props(res)[key];
      return given === undefined ? generatedName(stack.stackName, logicalId, max) : r.string(given);
    };

    // Phase 1: physical ids every Ref/GetAtt can resolve to, before anything is created.
    for (const [id, res] of entries) {
      switch (res.Type) {
        case 'AWS::DynamoDB::Table': {
          const name = nameOf(res, 'TableName', id, 255);
          r.set(id, name, { Arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}` });
          break;
        }
        case 'AWS::SQS::Queue': {
          let name = nameOf(res, 'QueueName', id, 80);
          if (props(res).FifoQueue && !name.endsWith('.fifo')) name = `${name.slice(0, 75)}.fifo`;
          const url = `${options.awsEndpoint}/${ACCOUNT}/${name}`;
          r.set(id, url, { Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`, QueueName: name, QueueUrl: url });
          break;
        }
        case 'AWS::Events::EventBus': {
          const name = r.string(props(res).Name);
          r.set(id, name, { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`, Name: name });
          break;
        }
        case 'AWS::Events::Rule': {
          const name = nameOf(res, 'Name', id);
          r.set(id, name, { Arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}` });
          break;
        }
        case 'AWS::Lambda::Function': {
          const name = nameOf(res, 'FunctionName', id);
          r.set(id, name, { Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}` });
          break;
        }
        case 'AWS::IAM::Role': {
          const name = nameOf(res, 'RoleName', id);
          r.set(id, name, { Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, RoleId: name });
          break;
        }
        case 'AWS::StepFunctions::StateMachine': {
          const name = nameOf(res, 'StateMachineName', id, 80);
          const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
          r.set(id, arn, { Arn: arn, Name: name });
          break;
        }
        case 'AWS::ApiGateway::RestApi': {
          const apiId = createHash('sha1').update(`${stack.stackName}/${id}`).digest('hex').slice(0, 10);
          r.set(id, apiId, { RootResourceId: `${apiId}-root` });
          break;
        }
        case 'AWS::Logs::LogGroup': {
          const name = nameOf(res, 'LogGroupName', id, 512);
          r.set(id, name, { Arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*` });
          break;
        }
        case 'AWS::ApiGateway::Stage':
          r.set(id, props(res).StageName ? r.string(props(res).StageName) : id);
          break;
        case 'AWS::ApiGateway::Resource':
        case 'AWS::ApiGateway::Authorizer':
          // Unique across stacks: routes and authorizers of one API live in several templates.
          r.set(id, `${stack.stackName}.${id}`);
          break;
        default:
          r.set(id, id);
      }
    }

    // Phase 2: stateful resources in moto, in dependency order (buses and queues before rules).
    for (const [id] of entries.filter(([, res]) => res.Type === 'AWS::Events::EventBus')) {
      const name = r.physical.get(id)?.ref as string;
      await events.send(new CreateEventBusCommand({ Name: name }));
      out.buses.push(name);
    }
    const queueOrder = entries
      .filter(([, res]) => res.Type === 'AWS::SQS::Queue')
      // Dead-letter queues first: a queue's redrive policy names its DLQ.
      .sort(
        ([, a], [, b]) => Number(Boolean(props(a).RedrivePolicy)) - Number(Boolean(props(b).RedrivePolicy)),
      );
    for (const [id, res] of queueOrder) {
      const p = r.resolve<Record<string, unknown>>(props(res));
      const physical = r.physical.get(id);
      const attributes: Record<string, string> = {};
      for (const key of [
        'VisibilityTimeout',
        'MessageRetentionPeriod',
        'DelaySeconds',
        'ReceiveMessageWaitTimeSeconds',
        'MaximumMessageSize',
        'FifoQueue',
        'ContentBasedDeduplication',
      ]) {
        if (p[key] !== undefined) attributes[key] = String(p[key]);
      }
      if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
      const created = await options.sqs.send(
        new CreateQueueCommand({ QueueName: physical?.attrs.QueueName, Attributes: attributes }),
      );
      const url = created.QueueUrl as string;
      r.set(id, url, { ...(physical?.attrs ?? {}), QueueUrl: url });
      out.queues.set(physical?.attrs.Arn as string, url);
      queueVisibility.set(physical?.attrs.Arn as string, Number(p.VisibilityTimeout ?? 30));
    }
    for (const [id, res] of entries.filter(([, res]) => res.Type === 'AWS::DynamoDB::Table')) {
      const p = r.resolve<Record<string, unknown>>(props(res));
      const name = r.physical.get(id)?.ref as string;
      const stream = p.StreamSpecification as { StreamViewType: string } | undefined;
      const input = {
        TableName: name,
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: p.BillingMode ?? 'PROVISIONED',
        ProvisionedThroughput: p.ProvisionedThroughput,
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: p.LocalSecondaryIndexes,
        StreamSpecification: stream
          ? { StreamEnabled: true, StreamViewType: stream.StreamViewType }
          : undefined,
      } as CreateTableCommandInput;
      const created = await dynamodb.send(new CreateTableCommand(input));
      const ttl = p.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
      if (ttl?.Enabled) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true },
          }),
        );
      }
      const attrs: Record<string, string> = { Arn: created.TableDescription?.TableArn as string };
      if (created.TableDescription?.LatestStreamArn)
        attrs.StreamArn = created.TableDescription.LatestStreamArn;
      r.set(id, name, attrs);
      out.tables.push(name);
    }

    // Phase 3: the compute side.
    for (const [id, res] of entries) {
      const p = props(res);
      switch (res.Type) {
        case 'AWS::Lambda::Function': {
          const assetPath = res.Metadata?.['aws:asset:path'];
          if (typeof assetPath !== 'string') {
            options.log(`${id}: no code asset (inline or image code is not run locally); skipped`);
            break;
          }
          const physical = r.physical.get(id);
          const env =
            r.resolve<{ Variables?: Record<string, unknown> } | undefined>(p.Environment)?.Variables ?? {};
          out.functions.push({
            logicalId: id,
            name: physical?.ref as string,
            arn: physical?.attrs.Arn as string,
            codeDir: join(options.cdkOut, assetPath),
            handler: r.string(p.Handler ?? 'index.handler'),
            env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
            timeoutSeconds: Number(r.resolve(p.Timeout) ?? 3),
            memoryMb: Number(r.resolve(p.MemorySize) ?? 128),
            reservedConcurrency:
              p.ReservedConcurrentExecutions === undefined
                ? undefined
                : Number(r.resolve(p.ReservedConcurrentExecutions)),
          });
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const q = r.resolve<Record<string, unknown>>(p);
          const sourceArn = String(q.EventSourceArn);
          const isQueue = sourceArn.startsWith('arn:aws:sqs:');
          if (q.Enabled === false) break;
          const filters = (
            (q.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? []
          ).map((f) => JSON.parse(f.Pattern) as unknown);
          out.mappings.push({
            logicalId: id,
            functionArn: functionArnOf(String(q.FunctionName)),
            eventSourceArn: sourceArn,
            batchSize: Number(q.BatchSize ?? (isQueue ? 10 : 100)),
            filters,
            reportBatchItemFailures: ((q.FunctionResponseTypes as string[] | undefined) ?? []).includes(
              'ReportBatchItemFailures',
            ),
            maximumRetryAttempts: Number(q.MaximumRetryAttempts ?? -1),
            bisectBatchOnFunctionError: Boolean(q.BisectBatchOnFunctionError),
            onFailureArn: (q.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)
              ?.OnFailure?.Destination,
            maximumBatchingWindowSeconds: Number(q.MaximumBatchingWindowInSeconds ?? 0),
            maximumConcurrency: (q.ScalingConfig as { MaximumConcurrency?: number } | undefined)
              ?.MaximumConcurrency,
          });
          break;
        }
        case 'AWS::Events::Rule': {
          const q = r.resolve<Record<string, unknown>>(p);
          // Fails on a target type or field the local delivery does not emulate.
          const rule = ruleFromTemplate(r.physical.get(id)?.ref as string, q, REGION);
          out.rules.push(rule);
          if (q.ScheduleExpression || !rule.enabled) break;
          await events.send(
            new PutRuleCommand({
              Name: rule.name,
              EventBusName: q.EventBusName as string | undefined,
              EventPattern: q.EventPattern === undefined ? undefined : JSON.stringify(q.EventPattern),
              State: 'ENABLED',
            }),
          );
          // moto matches the pattern and copies each matched event to the rule's own queue; the
          // local delivery serves the real targets from there (event-rules.ts).
          const tap = await options.sqs.send(new CreateQueueCommand({ QueueName: tapQueueName(rule) }));
          rule.tapQueueUrl = tap.QueueUrl as string;
          await events.send(
            new PutTargetsCommand({
              Rule: rule.name,
              EventBusName: q.EventBusName as string | undefined,
              Targets: [tapTarget(`arn:aws:sqs:${REGION}:${ACCOUNT}:${tapQueueName(rule)}`)],
            }),
          );
          break;
        }
        case 'AWS::StepFunctions::StateMachine': {
          const physical = r.physical.get(id);
          let text =
            p.DefinitionString === undefined
              ? JSON.stringify(r.resolve(p.Definition))
              : r.string(p.DefinitionString);
          const substitutions = r.resolve<Record<string, unknown>>(p.DefinitionSubstitutions) ?? {};
          for (const [key, value] of Object.entries(substitutions))
            text = text.replaceAll(`\${${key}}`, String(value));
          out.stateMachines.push({
            arn: physical?.attrs.Arn as string,
            name: physical?.attrs.Name as string,
            definition: JSON.parse(text) as Record<string, unknown>,
            type: (p.StateMachineType as 'EXPRESS' | undefined) ?? 'STANDARD',
          });
          break;
        }
        default:
          if (res.Type.startsWith('Custom::') || res.Type === 'AWS::CloudFormation::CustomResource') {
            const { ServiceToken, ...properties } = r.resolve<Record<string, unknown>>(p);
            out.customResources.push({
              stackName: stack.stackName,
              logicalId: id,
              resourceType: res.Type,
              serviceToken: String(ServiceToken),
              properties,
            });
            break;
          }
          if (
            !INERT.test(res.Type) &&
            !/^AWS::(DynamoDB::Table|SQS::Queue(Policy)?|Events::EventBus|ApiGateway::|Lambda::Function)/.test(
              res.Type,
            )
          ) {
            options.log(`${id}: ${res.Type} has no local counterpart; skipped`);
          }
      }
    }

    apiSources.push({ resources: stack.resources, r });

    for (const [key, output] of Object.entries(stack.outputs)) {
      const value = String(r.resolve(output.Value));
      out.outputs[`${stack.stackName}.${key}`] = value;
      if (output.Export) exports.set(r.string(output.Export.Name), value);
    }
  }
  out.api = buildApiFromStacks(apiSources);
  for (const mapping of out.mappings.filter((m) => m.eventSourceArn.startsWith('arn:aws:sqs:'))) {
    const visibilityTimeoutSeconds = queueVisibility.get(mapping.eventSourceArn);
    const fn = out.functions.find((f) => f.arn === mapping.functionArn);
    if (visibilityTimeoutSeconds === undefined || !fn) continue;
    // CreateEventSourceMapping refuses these on AWS: the deploy fails the same way.
    const problem = queueMappingProblem(mapping, { visibilityTimeoutSeconds }, fn);
    if (problem) throw new Error(`${mapping.logicalId}: ${problem}`);
  }
  return out;
}

function functionArnOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:')
    ? nameOrArn
    : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${nameOrArn}`;
}

/** Lambda proxy integration URIs end in `.../functions/<function arn>/invocations`. */
function functionFromUri(uri: string): string | undefined {
  return /functions\/(arn:[^/]+)\/invocations/.exec(uri)?.[1];
}

function unquote(value: string): string {
  return value.replace(/^'(.*)'$/, '$1');
}

/** Gateway and mock response header values are quoted literals or context variables (`context.requestId`). */
function headerValue(value: string): string {
  return /^'.*'$/.test(value) ? unquote(value) : `$${value}`;
}

/** One stack's share of the REST API: its template resources and the resolver of that stack. */
export interface ApiSource {
  resources: Record<string, CfnResource>;
  r: Resolver;
}

/** The REST API of one stack's template (every part of the API in that one template). */
export function buildApi(resources: Record<string, CfnResource>, r: Resolver): ApiDefinition | undefined {
  return buildApiFromStacks([{ resources, r }]);
}

/**
 * The REST API as API Gateway would assemble it from every stack: the RestApi in one stack,
 * resources, methods and authorizers in others, joined through physical ids (Refs, and exports
 * between stacks, resolve to the same ids).
 */
export function buildApiFromStacks(sources: readonly ApiSource[]): ApiDefinition | undefined {
  const physicalOf = (r: Resolver, id: string) => r.physical.get(id)?.ref ?? id;
  const all = sources.flatMap(({ resources, r }) =>
    Object.entries(resources).map(([id, res]) => ({ id, res, r, physical: physicalOf(r, id) })),
  );
  const ofType = (type: string) => all.filter((e) => e.res.Type === type);
  const restApis = ofType('AWS::ApiGateway::RestApi');
  if (restApis.length === 0) return undefined;
  if (restApis.length > 1) {
    throw new Error(
      `more than one REST API (${restApis.map((a) => a.id).join(', ')}): the local cloud serves one`,
    );
  }
  const restApi = restApis[0] as (typeof restApis)[number];
  const apiId = restApi.physical;
  const root = `${apiId}-root`;
  const parents = new Map<string, { parent: string; part: string }>();
  for (const { res, r, physical } of ofType('AWS::ApiGateway::Resource')) {
    parents.set(physical, {
      parent: r.string(res.Properties?.ParentId),
      part: r.string(res.Properties?.PathPart),
    });
  }
  const pathOf = (resourceId: string): string => {
    if (resourceId === root) return '/';
    const node = parents.get(resourceId);
    if (!node) throw new Error(`API resource ${resourceId} not found`);
    const parent = pathOf(node.parent);
    return `${parent === '/' ? '' : parent}/${node.part}`;
  };

  const authorizers = new Map<string, AuthorizerDefinition>();
  for (const { id, res, r, physical } of ofType('AWS::ApiGateway::Authorizer')) {
    const p = r.resolve<Record<string, unknown>>(res.Properties);
    const functionArn = functionFromUri(String(p.AuthorizerUri));
    if (!functionArn) throw new Error(`authorizer ${id}: only Lambda authorizers run locally`);
    authorizers.set(physical, {
      name: String(p.Name ?? id),
      type: p.Type === 'REQUEST' ? 'REQUEST' : 'TOKEN',
      functionArn,
      identitySources: String(p.IdentitySource ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      validationExpression: p.IdentityValidationExpression as string | undefined,
      // Unset means API Gateway's default, 300 s.
      resultTtlSeconds: Number(p.AuthorizerResultTtlInSeconds ?? 300),
    });
  }

  const routes: Route[] = [];
  for (const { id, res, r } of ofType('AWS::ApiGateway::Method')) {
    const p = r.resolve<Record<string, unknown>>(res.Properties);
    if (String(p.RestApiId) !== apiId)
      throw new Error(`method ${id}: on another REST API (${String(p.RestApiId)})`);
    const integration = p.Integration as {
      Type: string;
      Uri?: string;
      IntegrationResponses?: { StatusCode: string; ResponseParameters?: Record<string, string> }[];
    };
    const method = String(p.HttpMethod).toUpperCase();
    const resourcePath = pathOf(String(p.ResourceId));
    let target: Route['integration'];
    if (integration.Type === 'MOCK') {
      const first = integration.IntegrationResponses?.[0];
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(first?.ResponseParameters ?? {})) {
        const name = /^method\.response\.header\.(.+)$/.exec(k)?.[1];
        if (name) headers[name] = headerValue(v);
      }
      target = { type: 'mock', statusCode: Number(first?.StatusCode ?? 200), headers };
    } else {
      const functionArn = functionFromUri(String(integration.Uri));
      if (!functionArn) throw new Error(`method ${id}: only Lambda proxy and MOCK integrations run locally`);
      target = { type: 'lambda', functionArn };
    }
    const authorizerId = p.AuthorizationType === 'CUSTOM' ? String(p.AuthorizerId) : undefined;
    const authorizer = authorizerId ? authorizers.get(authorizerId) : undefined;
    if (authorizerId && !authorizer) throw new Error(`method ${id}: authorizer ${authorizerId} not found`);
    routes.push({ method, resourcePath, integration: target, authorizer });
  }

  const gatewayResponses: Record<string, GatewayResponse> = {};
  for (const { res, r } of ofType('AWS::ApiGateway::GatewayResponse')) {
    const p = r.resolve<Record<string, unknown>>(res.Properties);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.ResponseParameters as Record<string, string> | undefined) ?? {})) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(k)?.[1];
      if (name) headers[name] = headerValue(v);
    }
    const templates = Object.entries((p.ResponseTemplates as Record<string, string> | undefined) ?? {});
    const [contentType, template] = templates[0] ?? [];
    if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = contentType;
    gatewayResponses[String(p.ResponseType)] = {
      statusCode: p.StatusCode === undefined ? undefined : Number(p.StatusCode),
      headers,
      template,
    };
  }

  const [stage] = ofType('AWS::ApiGateway::Stage');
  const stageName = stage ? stage.r.string(stage.res.Properties?.StageName ?? 'local') : 'local';
  // `image/png`, or `image~1png` as SAM-style templates escape the slash.
  const binaryMediaTypes = (
    restApi.r.resolve<string[] | undefined>(restApi.res.Properties?.BinaryMediaTypes) ?? []
  ).map((type) => String(type).replaceAll('~1', '/'));
  return { apiId, stageName, routes, gatewayResponses, binaryMediaTypes };
}
