/**
 * Plays Step Functions: an SFN-compatible endpoint (AWS JSON 1.0, the operations the services
 * use) that runs each state machine's ASL with aws-local-stepfunctions. Task states call the
 * local Lambda runtime and moto (EventBridge, DynamoDB, SQS) as the service integrations would.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { StateMachine } from 'aws-local-stepfunctions';
import { LOCAL_CREDENTIALS } from '../template.ts';
import type { LambdaRuntime } from './lambda-runtime.ts';

export interface StateMachineDefinition {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
  type: 'STANDARD' | 'EXPRESS';
}

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  abort?: () => void;
}

export interface StepFunctionsOptions {
  port: number;
  runtime: LambdaRuntime;
  awsEndpoint: string;
  region: string;
  sqs: SQSClient;
  log: (line: string) => void;
}

class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class StepFunctions {
  private readonly machines = new Map<string, StateMachineDefinition>();
  private readonly executions = new Map<string, Execution>();
  private readonly events: EventBridgeClient;
  private readonly dynamodb: DynamoDBClient;
  private server?: Server;

  constructor(private readonly options: StepFunctionsOptions) {
    this.events = new EventBridgeClient({
      endpoint: options.awsEndpoint,
      region: options.region,
      credentials: LOCAL_CREDENTIALS,
    });
    this.dynamodb = new DynamoDBClient({
      endpoint: options.awsEndpoint,
      region: options.region,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  register(machine: StateMachineDefinition): void {
    // Parse now so a broken definition fails the start, not the first checkout.
    new StateMachine(machine.definition as never, {
      validationOptions: { checkArn: false, checkPaths: true },
    });
    this.machines.set(machine.arn, machine);
  }

  get stats(): { stateMachines: number; executions: Record<string, number> } {
    const executions: Record<string, number> = {};
    for (const e of this.executions.values()) executions[e.status] = (executions[e.status] ?? 0) + 1;
    return { stateMachines: this.machines.size, executions };
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AWSStepFunctions\./, '');
      try {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
        const result = await this.dispatch(operation, body);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(result));
      } catch (error) {
        const code = error instanceof ServiceError ? error.code : 'InternalFailure';
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(error instanceof ServiceError ? 400 : 500, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': code,
        });
        res.end(JSON.stringify({ __type: code, message }));
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    for (const execution of this.executions.values()) execution.abort?.();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(this.execution(String(body.executionArn)));
      case 'StopExecution': {
        const execution = this.execution(String(body.executionArn));
        if (execution.status === 'RUNNING') {
          execution.abort?.();
          execution.status = 'ABORTED';
          execution.stopDate = Date.now();
          execution.error = body.error as string | undefined;
          execution.cause = body.cause as string | undefined;
        }
        return { stopDate: (execution.stopDate ?? Date.now()) / 1000 };
      }
      case 'ListExecutions': {
        const items = [...this.executions.values()]
          .filter(
            (e) =>
              e.stateMachineArn === body.stateMachineArn &&
              (!body.statusFilter || e.status === body.statusFilter),
          )
          .sort((a, b) => b.startDate - a.startDate)
          .map(summary);
        return { executions: items };
      }
      case 'ListStateMachines':
        return {
          stateMachines: [...this.machines.values()].map((m) => ({
            stateMachineArn: m.arn,
            name: m.name,
            type: m.type,
            creationDate: 0,
          })),
        };
      case 'DescribeStateMachine': {
        const machine = this.machines.get(String(body.stateMachineArn));
        if (!machine)
          throw new ServiceError(
            'StateMachineDoesNotExist',
            `State Machine Does Not Exist: '${body.stateMachineArn}'`,
          );
        return {
          stateMachineArn: machine.arn,
          name: machine.name,
          status: 'ACTIVE',
          definition: JSON.stringify(machine.definition),
          type: machine.type,
          roleArn: 'arn:aws:iam::123456789012:role/local',
          creationDate: 0,
        };
      }
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `the local Step Functions endpoint does not implement ${operation}`,
        );
    }
  }

  private startExecution(body: Record<string, unknown>): { executionArn: string; startDate: number } {
    const machine = this.machines.get(String(body.stateMachineArn));
    if (!machine)
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${body.stateMachineArn}'`,
      );
    const name = typeof body.name === 'string' && body.name ? body.name : randomUUID();
    const input = typeof body.input === 'string' ? body.input : '{}';
    const executionArn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is idempotent; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
    };
    this.executions.set(executionArn, execution);
    const stateMachine = new StateMachine(machine.definition as never, {
      validationOptions: { checkArn: false },
      awsConfig: {
        region: this.options.region,
        credentials: { accessKeys: { accessKeyId: 'test', secretAccessKey: 'test' } },
      },
    });
    const run = stateMachine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(machine.definition) as never },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: parsed as never,
          StartTime: new Date(execution.startDate).toISOString(),
          RoleArn: 'arn:aws:iam::123456789012:role/local',
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      } as never,
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
        execution.stopDate = Date.now();
      },
      (error: unknown) => {
        if (execution.status !== 'RUNNING') return;
        const err = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
        execution.status = err.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        execution.error = err.cause?.name ?? err.name;
        execution.cause = err.cause?.message ?? err.message;
        execution.stopDate = Date.now();
        this.options.log(`execution ${name} ${execution.status}: ${execution.error}: ${execution.cause}`);
      },
    );
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  private execution(arn: string): Execution {
    const execution = this.executions.get(arn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  private describeExecution(e: Execution): Record<string, unknown> {
    return {
      ...summary(e),
      input: e.input,
      output: e.output,
      error: e.error,
      cause: e.cause,
    };
  }

  /** A local handler per Task state, keyed by state name as aws-local-stepfunctions expects. */
  private taskHandlers(
    definition: Record<string, unknown>,
  ): Record<string, (input: never) => Promise<never>> {
    const handlers: Record<string, (input: never) => Promise<never>> = {};
    const visit = (states: Record<string, Record<string, unknown>>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task')
          handlers[name] = ((input: unknown) => this.task(String(state.Resource), input)) as never;
        for (const branch of (state.Branches as
          | { States: Record<string, Record<string, unknown>> }[]
          | undefined) ?? [])
          visit(branch.States);
        const nested = (state.ItemProcessor ?? state.Iterator) as
          | { States: Record<string, Record<string, unknown>> }
          | undefined;
        if (nested) visit(nested.States);
      }
    };
    visit(definition.States as Record<string, Record<string, unknown>>);
    return handlers;
  }

  private async task(resource: string, input: unknown): Promise<unknown> {
    const params = (input ?? {}) as Record<string, unknown>;
    const base = resource.replace(/\.(sync|waitForTaskToken)(:2)?$/, '');
    if (base === 'arn:aws:states:::lambda:invoke') {
      const payload = await this.invoke(String(params.FunctionName), params.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (/^arn:aws:lambda:/.test(base)) return this.invoke(base, input);
    if (base === 'arn:aws:states:::events:putEvents') {
      const out = await this.events.send(
        new PutEventsCommand({ Entries: params.Entries as PutEventsRequestEntry[] }),
      );
      if (out.FailedEntryCount) throw namedError('EventBridge.FailedEntries', JSON.stringify(out.Entries));
      return { Entries: out.Entries, FailedEntryCount: out.FailedEntryCount ?? 0 };
    }
    if (base === 'arn:aws:states:::sqs:sendMessage') {
      const out = await this.options.sqs.send(new SendMessageCommand(params as never));
      return { MessageId: out.MessageId, MD5OfMessageBody: out.MD5OfMessageBody };
    }
    const ddb = /^arn:aws:states:::dynamodb:(putItem|getItem|updateItem|deleteItem)$/.exec(base)?.[1];
    if (ddb) {
      const commands = await import('@aws-sdk/client-dynamodb');
      const command =
        ddb === 'putItem'
          ? new commands.PutItemCommand(params as never)
          : ddb === 'getItem'
            ? new commands.GetItemCommand(params as never)
            : ddb === 'updateItem'
              ? new commands.UpdateItemCommand(params as never)
              : new commands.DeleteItemCommand(params as never);
      try {
        const { $metadata: _metadata, ...out } = (await this.dynamodb.send(
          command as never,
        )) as unknown as Record<string, unknown>;
        return out;
      } catch (error) {
        throw namedError(`DynamoDB.${(error as Error).name}`, (error as Error).message);
      }
    }
    throw namedError('States.Runtime', `the local Step Functions endpoint does not integrate ${resource}`);
  }

  private async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const invoked = await this.options.runtime.invoke(functionName, payload);
    if (invoked.ok) return invoked.result ?? null;
    // The error name is the function's errorType, so Retry/Catch on it work as in AWS.
    throw namedError(invoked.error.errorType, invoked.error.errorMessage);
  }
}

/** The fields ListExecutions and DescribeExecution share. */
function summary(e: Execution): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: e.startDate / 1000,
    stopDate: e.stopDate ? e.stopDate / 1000 : undefined,
  };
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
