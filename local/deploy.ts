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
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ApiDefinition, AuthorizerDefinition, GatewayResponse, Route } from './runtime/api-gateway.ts';
import type { MappingDefinition } from './runtime/event-sources.ts';
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

export interface Schedule {
  ruleName: string;
  expression: string;
  functionArn: string;
  input?: string;
}

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
  schedules: Schedule[];
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
    schedules: [],
    outputs: {},
  };

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
          });
          break;
        }
        case 'AWS::Events::Rule': {
          const q = r.resolve<Record<string, unknown>>(p);
          const name = r.physical.get(id)?.ref as string;
          const targets = (q.Targets as (Target & { Arn: string; Input?: string })[] | undefined) ?? [];
          if (q.ScheduleExpression) {
            for (const t of targets.filter((t) => t.Arn.startsWith('arn:aws:lambda:'))) {
              out.schedules.push({
                ruleName: name,
                expression: String(q.ScheduleExpression),
                functionArn: t.Arn,
                input: t.Input,
              });
            }
            break;
          }
          await events.send(
            new PutRuleCommand({
              Name: name,
              EventBusName: q.EventBusName as string | undefined,
              EventPattern: q.EventPattern === undefined ? undefined : JSON.stringify(q.EventPattern),
              State: (q.State as 'ENABLED' | undefined) ?? 'ENABLED',
            }),
          );
          const deliverable = targets.filter((t) => t.Arn.startsWith('arn:aws:sqs:'));
          for (const t of targets.filter((t) => !deliverable.includes(t))) {
            options.log(
              `rule ${name}: target ${t.Arn} is not an SQS queue; moto cannot deliver to it (route events through SQS)`,
            );
          }
          if (deliverable.length > 0) {
            await events.send(
              new PutTargetsCommand({
                Rule: name,
                EventBusName: q.EventBusName as string | undefined,
                Targets: deliverable.map((t) => ({
                  Id: t.Id,
                  Arn: t.Arn,
                  Input: t.Input,
                  InputPath: t.InputPath,
                  SqsParameters: t.SqsParameters,
                })),
              }),
            );
          }
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

    const api = buildApi(stack.resources, r);
    if (api) {
      if (out.api) options.log(`more than one REST API: serving ${out.api.apiId}, ignoring ${api.apiId}`);
      else out.api = api;
    }

    for (const [key, output] of Object.entries(stack.outputs)) {
      const value = String(r.resolve(output.Value));
      out.outputs[`${stack.stackName}.${key}`] = value;
      if (output.Export) exports.set(r.string(output.Export.Name), value);
    }
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

function buildApi(resources: Record<string, CfnResource>, r: Resolver): ApiDefinition | undefined {
  const entries = Object.entries(resources);
  const restApi = entries.find(([, res]) => res.Type === 'AWS::ApiGateway::RestApi');
  if (!restApi) return undefined;
  const apiId = r.physical.get(restApi[0])?.ref as string;
  const root = `${apiId}-root`;
  const parents = new Map<string, { parent: string; part: string }>();
  for (const [id, res] of entries.filter(([, res]) => res.Type === 'AWS::ApiGateway::Resource')) {
    parents.set(id, { parent: r.string(res.Properties?.ParentId), part: r.string(res.Properties?.PathPart) });
  }
  const pathOf = (resourceId: string): string => {
    if (resourceId === root) return '/';
    const node = parents.get(resourceId);
    if (!node) throw new Error(`API resource ${resourceId} not found`);
    const parent = pathOf(node.parent);
    return `${parent === '/' ? '' : parent}/${node.part}`;
  };

  const authorizers = new Map<string, AuthorizerDefinition>();
  for (const [id, res] of entries.filter(([, res]) => res.Type === 'AWS::ApiGateway::Authorizer')) {
    const p = r.resolve<Record<string, unknown>>(res.Properties);
    const functionArn = functionFromUri(String(p.AuthorizerUri));
    if (!functionArn) throw new Error(`authorizer ${id}: only Lambda authorizers run locally`);
    authorizers.set(id, {
      name: String(p.Name ?? id),
      type: p.Type === 'REQUEST' ? 'REQUEST' : 'TOKEN',
      functionArn,
      identitySources: String(p.IdentitySource ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      validationExpression: p.IdentityValidationExpression as string | undefined,
    });
  }

  const routes: Route[] = [];
  for (const [id, res] of entries.filter(([, res]) => res.Type === 'AWS::ApiGateway::Method')) {
    const p = r.resolve<Record<string, unknown>>(res.Properties);
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
  for (const [, res] of entries.filter(([, res]) => res.Type === 'AWS::ApiGateway::GatewayResponse')) {
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

  const stage = entries.find(([, res]) => res.Type === 'AWS::ApiGateway::Stage');
  const stageName = stage ? r.string(stage[1].Properties?.StageName ?? 'local') : 'local';
  return { apiId, stageName, routes, gatewayResponses };
}
