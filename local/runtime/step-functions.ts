/**
 * Plays Step Functions: an SFN-compatible endpoint (AWS JSON 1.0, the operations the services
 * use) that runs each state machine's ASL with aws-local-stepfunctions. Task states call the
 * local Lambda runtime and moto (EventBridge, DynamoDB, SQS) as the optimized integrations do,
 * including the callback pattern (.waitForTaskToken with SendTaskSuccess/Failure/Heartbeat).
 * A definition using anything the engine does not emulate is refused when it is registered,
 * naming what, rather than failing or behaving differently in the middle of an execution.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, type SendMessageCommandInput, type SQSClient } from '@aws-sdk/client-sqs';
import { StateMachine } from 'aws-local-stepfunctions';
import { ACCOUNT, LOCAL_CREDENTIALS } from '../template.ts';
import type { InvokeResult, LambdaRuntime } from './lambda-runtime.ts';

export interface StateMachineDefinition {
  arn: string;
  name: string;
  definition: Record<string, unknown>;
  type: 'STANDARD' | 'EXPRESS';
}

/** AWS's quota on a state's input and output, a task's result and an execution's input: 256 KiB of UTF-8. */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/**
 * The engine arms a timer for every Task; Node timers cannot wait longer than 2^31-1 ms (24.8
 * days), so that is how long a Task without TimeoutSeconds (or with a longer one) may run here.
 */
const ENGINE_TIMER_MAX_SECONDS = 2_147_483;

/** HeartbeatSeconds must stay below TimeoutSeconds, whose AWS default is 99999999. */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

const NAME_MAX_LENGTH = 80;
const NAME_FORBIDDEN = '<>{}[]?*"#%\\^|~`$&,;:/';

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
  /** Callback tasks issued by this execution that may still be open. */
  callbacks: Set<OpenTask>;
}

export interface StepFunctionsOptions {
  port: number;
  runtime: LambdaRuntime;
  awsEndpoint: string;
  region: string;
  sqs: SQSClient;
  log: (line: string) => void;
}

type Integration =
  | 'lambda'
  | 'lambda:invoke'
  | 'events:putEvents'
  | 'sqs:sendMessage'
  | 'dynamodb:getItem'
  | 'dynamodb:putItem'
  | 'dynamodb:updateItem'
  | 'dynamodb:deleteItem';

/** What a Task state does, worked out once when its state machine is registered. */
interface TaskPlan {
  state: string;
  resource: string;
  integration: Integration;
  /** `.waitForTaskToken`: the task ends on SendTaskSuccess/SendTaskFailure, not on the call's answer. */
  callback: boolean;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

interface Registered extends StateMachineDefinition {
  /** The definition as the engine runs it (timers it cannot express are handled here). */
  engine: Record<string, unknown>;
  tasks: TaskPlan[];
  creationDate: number;
}

/** One execution of one state machine, as its Task handlers see it. */
interface Run {
  execution: Execution;
  machine: Registered;
  /** The token `$$.Task.Token` evaluated to in the Parameters of the Task about to start. */
  pendingToken?: string;
}

/** A callback task waiting for its token to come back. */
interface OpenTask {
  token: string;
  execution: Execution;
  open: boolean;
  heartbeatSeconds?: number;
  /** Running once the integration call has returned, as in AWS. */
  heartbeat?: NodeJS.Timeout;
  deadline?: NodeJS.Timeout;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  result: Promise<unknown>;
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
  private readonly machines = new Map<string, Registered>();
  private readonly executions = new Map<string, Execution>();
  /** Every task token issued, open or spent: a spent one answers TaskTimedOut, an unknown one InvalidToken. */
  private readonly tokens = new Map<string, OpenTask>();
  private readonly injected = new Map<
    string,
    { errorType: string; errorMessage?: string; remaining: number }
  >();
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

  /**
   * Registers a state machine, or refuses it with InvalidDefinition naming every resource, field
   * or context path the engine does not emulate, so the failure comes at deploy time.
   */
  register(machine: StateMachineDefinition): void {
    const { problems, tasks } = inspectDefinition(machine.definition);
    let engine: Record<string, unknown> = {};
    if (problems.length === 0) {
      engine = engineDefinition(machine.definition);
      try {
        new StateMachine(engine as never, { validationOptions: { checkArn: false, checkPaths: true } });
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (problems.length > 0) {
      throw new ServiceError(
        'InvalidDefinition',
        `Invalid State Machine Definition for '${machine.name}': ${problems.join('; ')}`,
      );
    }
    this.machines.set(machine.arn, { ...machine, engine, tasks, creationDate: Date.now() });
  }

  /**
   * Makes the next `times` Lambda invocations of a function made by Task states fail as the
   * Invoke API would with `errorType` (no handler runs), to exercise Retry and Catch on them.
   */
  injectLambdaServiceError(
    functionNameOrArn: string,
    errorType: string,
    times = 1,
    errorMessage?: string,
  ): void {
    const key = this.functionKey(functionNameOrArn);
    this.injected.set(key, { errorType, errorMessage, remaining: times });
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
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      this.finish(execution, 'ABORTED', {});
      execution.abort?.();
    }
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'CreateStateMachine':
        return this.createStateMachine(body);
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(this.execution(String(body.executionArn)));
      case 'StopExecution': {
        const execution = this.execution(String(body.executionArn));
        if (execution.status === 'RUNNING') {
          this.finish(execution, 'ABORTED', {
            error: body.error as string | undefined,
            cause: body.cause as string | undefined,
          });
          execution.abort?.();
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
            creationDate: m.creationDate / 1000,
          })),
        };
      case 'DescribeStateMachine': {
        const machine = this.machine(String(body.stateMachineArn));
        return {
          stateMachineArn: machine.arn,
          name: machine.name,
          status: 'ACTIVE',
          definition: JSON.stringify(machine.definition),
          type: machine.type,
          roleArn: 'arn:aws:iam::123456789012:role/local',
          creationDate: machine.creationDate / 1000,
        };
      }
      case 'SendTaskSuccess': {
        const output = body.output;
        if (typeof output !== 'string') throw validation('output', 'must not be null');
        if (Buffer.byteLength(output) > PAYLOAD_LIMIT_BYTES)
          throw validation('output', `must have length less than or equal to ${PAYLOAD_LIMIT_BYTES}`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(output);
        } catch {
          throw new ServiceError('InvalidOutput', `Invalid Output: '${output}'`);
        }
        const task = this.openTask(body.taskToken);
        this.close(task);
        task.resolve(parsed);
        return {};
      }
      case 'SendTaskFailure': {
        const task = this.openTask(body.taskToken);
        this.close(task);
        task.reject(namedError(stringOr(body.error, ''), stringOr(body.cause, '')));
        return {};
      }
      case 'SendTaskHeartbeat': {
        const task = this.openTask(body.taskToken);
        // Before the integration call returns the heartbeat clock has not started: nothing to reset.
        if (task.heartbeat) this.armHeartbeat(task);
        return {};
      }
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `the local Step Functions endpoint does not implement ${operation}`,
        );
    }
  }

  private createStateMachine(body: Record<string, unknown>): {
    stateMachineArn: string;
    creationDate: number;
  } {
    const name = validName(body.name);
    let definition: unknown;
    try {
      definition = JSON.parse(String(body.definition));
    } catch {
      throw new ServiceError(
        'InvalidDefinition',
        'Invalid State Machine Definition: the definition is not JSON',
      );
    }
    if (!isObject(definition))
      throw new ServiceError('InvalidDefinition', 'Invalid State Machine Definition: not a JSON object');
    const arn = `arn:aws:states:${this.options.region}:${ACCOUNT}:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      // CreateStateMachine is idempotent for the same definition; anything else is a conflict.
      if (JSON.stringify(existing.definition) === JSON.stringify(definition))
        return { stateMachineArn: arn, creationDate: existing.creationDate / 1000 };
      throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    this.register({ arn, name, definition, type: body.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD' });
    return {
      stateMachineArn: arn,
      creationDate: (this.machines.get(arn)?.creationDate ?? Date.now()) / 1000,
    };
  }

  private startExecution(body: Record<string, unknown>): { executionArn: string; startDate: number } {
    const machine = this.machine(String(body.stateMachineArn));
    const name = body.name === undefined ? randomUUID() : validName(body.name);
    const input = typeof body.input === 'string' ? body.input : '{}';
    if (Buffer.byteLength(input) > PAYLOAD_LIMIT_BYTES)
      throw validation('input', `must have length less than or equal to ${PAYLOAD_LIMIT_BYTES}`);
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
      callbacks: new Set(),
    };
    this.executions.set(executionArn, execution);
    const run: Run = { execution, machine };
    // $$.Task.Token: read while the engine evaluates a Task's Parameters, claimed by that Task's
    // handler in the same tick, so each attempt of each callback task gets its own token.
    const task = {};
    Object.defineProperty(task, 'Token', { enumerable: true, get: () => (run.pendingToken ??= mintToken()) });
    const stateMachine = new StateMachine(machine.engine as never, {
      validationOptions: { noValidate: true },
    });
    const running = stateMachine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(run) as never },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: parsed as never,
          StartTime: new Date(execution.startDate).toISOString(),
          RoleArn: 'arn:aws:iam::123456789012:role/local',
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: task,
      } as never,
      noThrowOnAbort: true,
    });
    execution.abort = running.abort;
    void this.watch(execution, running.eventLogs);
    running.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        const text = JSON.stringify(output ?? null);
        if (Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES) {
          this.finish(execution, 'FAILED', {
            error: 'States.DataLimitExceeded',
            cause: 'The execution output has a size exceeding the maximum number of bytes service limit.',
          });
          return;
        }
        this.finish(execution, 'SUCCEEDED', { output: text });
      },
      (error: unknown) => {
        if (execution.status !== 'RUNNING') return;
        const err = error as { name?: string; message?: string; cause?: { name?: string; message?: string } };
        if (err.name === 'ExecutionTimeoutError') {
          this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: '' });
        } else {
          this.finish(execution, 'FAILED', {
            error: err.cause?.name ?? err.name,
            cause: err.cause?.message ?? err.message,
          });
        }
        this.options.log(`execution ${name} ${execution.status}: ${execution.error}: ${execution.cause}`);
      },
    );
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  /**
   * Reads the execution's event stream: a state whose output exceeds the payload quota fails the
   * execution with States.DataLimitExceeded (terminal, as in AWS) before the next Task acts.
   */
  private async watch(
    execution: Execution,
    events: ReturnType<StateMachine['run']>['eventLogs'],
  ): Promise<void> {
    for await (const event of events) {
      if (event.type !== 'StateExited' || execution.status !== 'RUNNING') continue;
      if (byteLength(event.state.output) <= PAYLOAD_LIMIT_BYTES) continue;
      this.finish(execution, 'FAILED', {
        error: 'States.DataLimitExceeded',
        cause: `The state/task '${event.state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      });
      execution.abort?.();
    }
  }

  private finish(
    execution: Execution,
    status: Execution['status'],
    fields: { output?: string; error?: string; cause?: string },
  ): void {
    execution.status = status;
    execution.stopDate = Date.now();
    execution.output = fields.output;
    execution.error = fields.error;
    execution.cause = fields.cause;
    // Tokens of a closed execution are spent; settling their tasks lets the engine let go of them.
    for (const task of execution.callbacks) {
      this.close(task);
      task.reject(terminalError('States.Runtime', 'The execution is closed'));
    }
  }

  private machine(arn: string): Registered {
    const machine = this.machines.get(arn);
    if (!machine)
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
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
      error: e.error || undefined,
      cause: e.cause || undefined,
    };
  }

  /** A local handler per Task state, keyed by state name as aws-local-stepfunctions expects. */
  private taskHandlers(run: Run): Record<string, (input: unknown) => Promise<unknown>> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const plan of run.machine.tasks) handlers[plan.state] = (input) => this.runTask(plan, input, run);
    return handlers;
  }

  private async runTask(plan: TaskPlan, input: unknown, run: Run): Promise<unknown> {
    // Still in the tick in which the engine evaluated this Task's Parameters: claim its token now.
    const callback = plan.callback ? this.openCallback(plan, run) : undefined;
    // Let the execution's event stream be read first: if the previous state broke the payload
    // quota the execution has failed, and this task must not act.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      if (run.execution.status !== 'RUNNING')
        throw terminalError('States.Runtime', 'The execution is closed');
      if (byteLength(input) > PAYLOAD_LIMIT_BYTES) {
        throw terminalError(
          'States.DataLimitExceeded',
          `The state/task '${plan.state}' has an input with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      const result = callback
        ? await this.awaitCallback(plan, input, run, callback)
        : await this.call(plan, input, run);
      if (byteLength(result) > PAYLOAD_LIMIT_BYTES) {
        throw terminalError(
          'States.DataLimitExceeded',
          `The state/task '${plan.resource}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      return result;
    } catch (error) {
      if (callback) this.close(callback);
      throw error;
    }
  }

  private openCallback(plan: TaskPlan, run: Run): OpenTask {
    const token = run.pendingToken ?? mintToken();
    run.pendingToken = undefined;
    let resolve: (output: unknown) => void = () => {};
    let reject: (error: Error) => void = () => {};
    const result = new Promise<unknown>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    // Settled while the integration call is still running, it is awaited only afterwards.
    result.catch(() => {});
    const task: OpenTask = {
      token,
      execution: run.execution,
      open: true,
      heartbeatSeconds: plan.heartbeatSeconds,
      resolve,
      reject,
      result,
    };
    if (plan.timeoutSeconds !== undefined) {
      // The engine's own timer (armed in this same tick, for as long) fails the state with
      // States.Timeout; this one, armed first, spends the token just before.
      task.deadline = setTimeout(
        () => this.close(task),
        Math.min(plan.timeoutSeconds, ENGINE_TIMER_MAX_SECONDS) * 1000,
      );
      task.deadline.unref();
    }
    this.tokens.set(token, task);
    run.execution.callbacks.add(task);
    return task;
  }

  private async awaitCallback(plan: TaskPlan, input: unknown, run: Run, task: OpenTask): Promise<unknown> {
    try {
      await this.call(plan, input, run);
    } catch (error) {
      // A callback that already came back (the function sent it itself) decides the task.
      if (!task.open) return task.result;
      throw error;
    }
    // The heartbeat clock starts once the call has returned (for Lambda: once the function has).
    if (task.open) this.armHeartbeat(task);
    return task.result;
  }

  private armHeartbeat(task: OpenTask): void {
    if (task.heartbeatSeconds === undefined) return;
    clearTimeout(task.heartbeat);
    task.heartbeat = setTimeout(() => {
      if (!task.open) return;
      this.close(task);
      task.reject(namedError('States.HeartbeatTimeout', ''));
    }, task.heartbeatSeconds * 1000);
    task.heartbeat.unref();
  }

  private close(task: OpenTask): void {
    task.open = false;
    clearTimeout(task.heartbeat);
    clearTimeout(task.deadline);
    task.execution.callbacks.delete(task);
  }

  private openTask(token: unknown): OpenTask {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048)
      throw validation('taskToken', 'must have length between 1 and 2048');
    const task = this.tokens.get(token);
    if (!task) throw new ServiceError('InvalidToken', "Invalid Token: 'Invalid token'");
    if (!task.open)
      throw new ServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return task;
  }

  private call(plan: TaskPlan, input: unknown, run: Run): Promise<unknown> {
    const params = isObject(input) ? input : {};
    switch (plan.integration) {
      case 'lambda':
        // A function ARN as the Resource: the state's input is the payload, the result the output.
        return this.invokeFunction(plan.resource, input);
      case 'lambda:invoke':
        return this.lambdaInvoke(params);
      case 'events:putEvents':
        return this.putEvents(params, run);
      case 'sqs:sendMessage':
        return this.sendMessage(params);
      default:
        return this.dynamodbCall(plan.integration, params);
    }
  }

  private async lambdaInvoke(params: Record<string, unknown>): Promise<unknown> {
    if (typeof params.FunctionName !== 'string')
      throw terminalError('States.Runtime', 'lambda:invoke needs FunctionName to be a string');
    const target =
      typeof params.Qualifier === 'string'
        ? `${params.FunctionName}:${params.Qualifier}`
        : params.FunctionName;
    const payload = await this.invokeFunction(target, params.Payload ?? {});
    // The Payload field of the response is the function's JSON result, parsed.
    return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
  }

  private async invokeFunction(target: string, payload: unknown): Promise<unknown> {
    // The runtime carries payload and result as JSON text, as Lambda does: both arrive here plain.
    const invoked =
      this.takeInjected(target) ??
      (await this.options.runtime.invoke(target, payload === undefined ? null : payload));
    if (invoked.ok) return invoked.result ?? null;
    throw lambdaError(invoked);
  }

  private functionKey(nameOrArn: string): string {
    return this.options.runtime.find(nameOrArn)?.name ?? nameOrArn;
  }

  private takeInjected(target: string): InvokeResult | undefined {
    const key = this.functionKey(target);
    const injection = this.injected.get(key);
    if (!injection) return undefined;
    if (--injection.remaining <= 0) this.injected.delete(key);
    return {
      ok: false,
      kind: 'service',
      error: {
        errorType: injection.errorType,
        errorMessage: injection.errorMessage ?? `${injection.errorType} (injected)`,
      },
    };
  }

  private async putEvents(params: Record<string, unknown>, run: Run): Promise<unknown> {
    if (!Array.isArray(params.Entries))
      throw namedError(
        'EventBridge.ValidationException',
        'Entries must be an array of PutEventsRequestEntry',
      );
    const entries = params.Entries.map((entry) => eventEntry(entry, run));
    let out: { Entries?: unknown[]; FailedEntryCount?: number };
    try {
      out = await this.events.send(new PutEventsCommand({ Entries: entries }));
    } catch (error) {
      throw serviceError('EventBridge', error);
    }
    const result = { Entries: plain(out.Entries ?? []), FailedEntryCount: out.FailedEntryCount ?? 0 };
    // A non-zero FailedEntryCount fails the state, so Retry/Catch can handle it.
    if (result.FailedEntryCount > 0) throw namedError('EventBridge.FailedEntry', JSON.stringify(result));
    return result;
  }

  private async sendMessage(params: Record<string, unknown>): Promise<unknown> {
    const input = {
      ...params,
      MessageBody: jsonText(params.MessageBody),
      MessageAttributes: binaryAttributes(params.MessageAttributes),
      MessageSystemAttributes: binaryAttributes(params.MessageSystemAttributes),
    } as SendMessageCommandInput;
    try {
      return plain(await this.options.sqs.send(new SendMessageCommand(input)));
    } catch (error) {
      throw serviceError('SQS', error);
    }
  }

  private async dynamodbCall(integration: Integration, params: Record<string, unknown>): Promise<unknown> {
    // Binary attributes arrive as base64 text in the state's JSON and leave the same way.
    const input = attributeParams(params) as never;
    try {
      switch (integration) {
        case 'dynamodb:getItem':
          return plain(await this.dynamodb.send(new GetItemCommand(input)));
        case 'dynamodb:putItem':
          return plain(await this.dynamodb.send(new PutItemCommand(input)));
        case 'dynamodb:updateItem':
          return plain(await this.dynamodb.send(new UpdateItemCommand(input)));
        default:
          return plain(await this.dynamodb.send(new DeleteItemCommand(input)));
      }
    } catch (error) {
      throw serviceError('DynamoDB', error);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Registration: what the engine emulates, and the definition it runs.

const INTEGRATIONS: Record<
  string,
  { integration: Integration; parameters: readonly string[]; callback: boolean }
> = {
  'lambda:invoke': {
    integration: 'lambda:invoke',
    parameters: ['FunctionName', 'Payload', 'InvocationType', 'Qualifier'],
    callback: true,
  },
  'events:putEvents': { integration: 'events:putEvents', parameters: ['Entries'], callback: true },
  'sqs:sendMessage': {
    integration: 'sqs:sendMessage',
    parameters: [
      'QueueUrl',
      'MessageBody',
      'DelaySeconds',
      'MessageAttributes',
      'MessageSystemAttributes',
      'MessageDeduplicationId',
      'MessageGroupId',
    ],
    callback: true,
  },
  'dynamodb:getItem': {
    integration: 'dynamodb:getItem',
    parameters: [
      'TableName',
      'Key',
      'AttributesToGet',
      'ConsistentRead',
      'ReturnConsumedCapacity',
      'ProjectionExpression',
      'ExpressionAttributeNames',
    ],
    callback: false,
  },
  'dynamodb:putItem': {
    integration: 'dynamodb:putItem',
    parameters: [
      'TableName',
      'Item',
      'Expected',
      'ReturnValues',
      'ReturnConsumedCapacity',
      'ReturnItemCollectionMetrics',
      'ConditionalOperator',
      'ConditionExpression',
      'ExpressionAttributeNames',
      'ExpressionAttributeValues',
      'ReturnValuesOnConditionCheckFailure',
    ],
    callback: false,
  },
  'dynamodb:updateItem': {
    integration: 'dynamodb:updateItem',
    parameters: [
      'TableName',
      'Key',
      'AttributeUpdates',
      'Expected',
      'ConditionalOperator',
      'ReturnValues',
      'ReturnConsumedCapacity',
      'ReturnItemCollectionMetrics',
      'UpdateExpression',
      'ConditionExpression',
      'ExpressionAttributeNames',
      'ExpressionAttributeValues',
      'ReturnValuesOnConditionCheckFailure',
    ],
    callback: false,
  },
  'dynamodb:deleteItem': {
    integration: 'dynamodb:deleteItem',
    parameters: [
      'TableName',
      'Key',
      'Expected',
      'ConditionalOperator',
      'ReturnValues',
      'ReturnConsumedCapacity',
      'ReturnItemCollectionMetrics',
      'ConditionExpression',
      'ExpressionAttributeNames',
      'ExpressionAttributeValues',
      'ReturnValuesOnConditionCheckFailure',
    ],
    callback: false,
  },
};

const EVENT_ENTRY_FIELDS = [
  'Time',
  'Source',
  'Resources',
  'DetailType',
  'Detail',
  'EventBusName',
  'TraceHeader',
];

const TOP_LEVEL_FIELDS = ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
const BRANCH_FIELDS = ['StartAt', 'States', 'Comment', 'ProcessorConfig'];
const COMMON_FIELDS = ['Type', 'Comment', 'Next', 'End', 'QueryLanguage'];
const STATE_FIELDS: Record<string, readonly string[]> = {
  Task: [
    'Resource',
    'InputPath',
    'OutputPath',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'HeartbeatSeconds',
  ],
  Pass: ['InputPath', 'OutputPath', 'Parameters', 'Result', 'ResultPath'],
  Wait: ['InputPath', 'OutputPath', 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'],
  Choice: ['InputPath', 'OutputPath', 'Choices', 'Default'],
  Succeed: ['InputPath', 'OutputPath'],
  Fail: ['Error', 'Cause', 'ErrorPath', 'CausePath'],
  Parallel: [
    'Branches',
    'InputPath',
    'OutputPath',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
  ],
  Map: [
    'Iterator',
    'ItemProcessor',
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'InputPath',
    'OutputPath',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
  ],
};
const RETRIER_FIELDS = [
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'ResultPath', 'Comment'];
const EXECUTION_CONTEXT = ['Id', 'Name', 'Input', 'StartTime', 'RoleArn'];

const NOT_EMULATED = 'is not emulated locally';

/** Every reason the engine cannot run a definition as AWS would, and the plan of each Task. */
function inspectDefinition(definition: Record<string, unknown>): { problems: string[]; tasks: TaskPlan[] } {
  const problems: string[] = [];
  const tasks: TaskPlan[] = [];
  const names = new Set<string>();
  unknownFields(definition, TOP_LEVEL_FIELDS, '', problems);
  queryLanguage(definition, '', problems);

  const visitStates = (container: Record<string, unknown>, base: string, nested: boolean) => {
    if (!isObject(container.States)) return;
    for (const [name, raw] of Object.entries(container.States)) {
      const path = `${base}/States/${name}`;
      if (!isObject(raw)) continue;
      // Task handlers are keyed by state name, which AWS also requires to be unique machine-wide.
      if (names.has(name)) problems.push(`${path}: the state name '${name}' is used more than once`);
      names.add(name);
      const type = String(raw.Type);
      const allowed = STATE_FIELDS[type];
      if (allowed) unknownFields(raw, [...COMMON_FIELDS, ...allowed], path, problems);
      queryLanguage(raw, path, problems);
      for (const [i, retrier] of arrayOf(raw.Retry).entries())
        if (isObject(retrier)) unknownFields(retrier, RETRIER_FIELDS, `${path}/Retry[${i}]`, problems);
      for (const [i, catcher] of arrayOf(raw.Catch).entries())
        if (isObject(catcher)) unknownFields(catcher, CATCHER_FIELDS, `${path}/Catch[${i}]`, problems);
      if (type === 'Choice') {
        for (const [i, rule] of arrayOf(raw.Choices).entries())
          for (const field of ['Condition', 'Assign', 'Output'])
            if (isObject(rule) && field in rule)
              problems.push(`${path}/Choices[${i}]: field '${field}' (JSONata, variables) ${NOT_EMULATED}`);
      }
      const plan = type === 'Task' ? taskPlan(name, raw, path, problems) : undefined;
      if (plan) tasks.push(plan);
      contextReferences(raw, path, nested, plan?.callback === true, problems);
      for (const [i, branch] of arrayOf(raw.Branches).entries())
        if (isObject(branch)) {
          unknownFields(branch, BRANCH_FIELDS, `${path}/Branches[${i}]`, problems);
          visitStates(branch, `${path}/Branches[${i}]`, true);
        }
      const processor = raw.ItemProcessor ?? raw.Iterator;
      if (isObject(processor)) {
        const at = `${path}/${raw.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`;
        unknownFields(processor, BRANCH_FIELDS, at, problems);
        const config = processor.ProcessorConfig;
        if (isObject(config) && config.Mode !== undefined && config.Mode !== 'INLINE')
          problems.push(
            `${at}/ProcessorConfig: Mode '${String(config.Mode)}' (Distributed Map) ${NOT_EMULATED}`,
          );
        visitStates(processor, at, true);
      }
    }
  };
  visitStates(definition, '', false);
  return { problems, tasks };
}

function taskPlan(
  name: string,
  state: Record<string, unknown>,
  path: string,
  problems: string[],
): TaskPlan | undefined {
  const resource = String(state.Resource);
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
  let plan: TaskPlan | undefined;
  if (/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(resource)) {
    plan = { state: name, resource, integration: 'lambda', callback: false };
  } else if (/^arn:aws[\w-]*:lambda:/.test(resource)) {
    problems.push(
      `${path}/Resource: '${resource}' is not a function ARN; .waitForTaskToken needs arn:aws:states:::lambda:invoke.waitForTaskToken`,
    );
  } else {
    const match =
      /^arn:aws[\w-]*:states:[\w-]*:\d*:([\w-]+):([\w-]+?)(\.sync(?::\d+)?|\.waitForTaskToken)?$/.exec(
        resource,
      );
    const service = match?.[1];
    const api = match?.[2];
    const pattern = match?.[3];
    const known = service && api ? INTEGRATIONS[`${service}:${api}`] : undefined;
    if (service === 'activity') {
      problems.push(`${path}/Resource: activities (GetActivityTask workers) ${NOT_EMULATED}`);
    } else if (!known) {
      problems.push(
        `${path}/Resource: '${resource}' ${NOT_EMULATED}; the local engine integrates lambda:invoke, events:putEvents, sqs:sendMessage, dynamodb:getItem/putItem/updateItem/deleteItem and Lambda function ARNs`,
      );
    } else if (pattern?.startsWith('.sync')) {
      problems.push(`${path}/Resource: the ${pattern} (run a job) pattern of '${resource}' ${NOT_EMULATED}`);
    } else if (pattern === '.waitForTaskToken' && !known.callback) {
      problems.push(
        `${path}/Resource: '${resource}' does not support the callback pattern (.waitForTaskToken)`,
      );
    } else {
      plan = {
        state: name,
        resource,
        integration: known.integration,
        callback: pattern === '.waitForTaskToken',
      };
      const parameters = state.Parameters;
      if (isObject(parameters)) {
        for (const key of Object.keys(parameters)) {
          const field = key.replace(/\.\$$/, '');
          if (!known.parameters.includes(field))
            problems.push(`${path}/Parameters: field '${field}' of ${service}:${api} ${NOT_EMULATED}`);
        }
        if (known.integration === 'lambda:invoke' && 'InvocationType' in parameters) {
          // Only synchronous invocation is emulated: the local Lambda runtime has no event queue.
          if (parameters.InvocationType !== 'RequestResponse')
            problems.push(
              `${path}/Parameters: InvocationType other than a literal 'RequestResponse' ${NOT_EMULATED}`,
            );
        }
        if (known.integration === 'lambda:invoke' && 'InvocationType.$' in parameters)
          problems.push(`${path}/Parameters: a computed InvocationType ${NOT_EMULATED}`);
        if (known.integration === 'events:putEvents' && Array.isArray(parameters.Entries)) {
          for (const [i, entry] of parameters.Entries.entries())
            if (isObject(entry))
              for (const key of Object.keys(entry)) {
                const field = key.replace(/\.\$$/, '');
                if (!EVENT_ENTRY_FIELDS.includes(field))
                  problems.push(
                    `${path}/Parameters/Entries[${i}]: field '${field}' is not a PutEvents entry field`,
                  );
              }
        }
      }
    }
  }
  if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds > 0))
    problems.push(`${path}/TimeoutSeconds: must be a positive integer`);
  if (heartbeatSeconds !== undefined) {
    if (!(Number.isInteger(heartbeatSeconds) && heartbeatSeconds > 0))
      problems.push(`${path}/HeartbeatSeconds: must be a positive integer`);
    if (heartbeatSeconds >= (timeoutSeconds ?? AWS_DEFAULT_TASK_TIMEOUT_SECONDS))
      problems.push(`${path}/HeartbeatSeconds: must be less than TimeoutSeconds`);
    if (plan && !plan.callback)
      problems.push(`${path}/HeartbeatSeconds: heartbeats are emulated only on .waitForTaskToken tasks`);
  }
  if (!plan) return undefined;
  if (timeoutSeconds !== undefined) plan.timeoutSeconds = timeoutSeconds;
  if (heartbeatSeconds !== undefined) plan.heartbeatSeconds = heartbeatSeconds;
  return plan;
}

/** Fields outside `allowed`, each named (JSONata Arguments/Output, Assign, *Path variants, Distributed Map...). */
function unknownFields(
  object: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  problems: string[],
) {
  for (const field of Object.keys(object))
    if (!allowed.includes(field)) problems.push(`${path || '/'}: field '${field}' ${NOT_EMULATED}`);
}

function queryLanguage(object: Record<string, unknown>, path: string, problems: string[]) {
  if (object.QueryLanguage !== undefined && object.QueryLanguage !== 'JSONPath')
    problems.push(
      `${path || '/'}: QueryLanguage '${String(object.QueryLanguage)}' ${NOT_EMULATED} (JSONPath only)`,
    );
}

/**
 * The context object as the engine fills it: Execution (in nested branches and iterations it
 * gives Input and StartTime of the branch, not the execution), StateMachine, Task.Token in a
 * callback task's Parameters and Map.Item in a Map's ItemSelector. Anything else is refused.
 */
function contextReferences(
  state: Record<string, unknown>,
  path: string,
  nested: boolean,
  callback: boolean,
  problems: string[],
) {
  for (const [field, value] of Object.entries(state)) {
    if (field === 'Branches' || field === 'ItemProcessor' || field === 'Iterator') continue;
    for (const text of pathStrings(field, value)) {
      for (const match of text.matchAll(/\$\$((?:\.[A-Za-z0-9_]+)*)/g)) {
        const [root, leaf] = (match[1] ?? '').split('.').slice(1);
        const ok =
          (root === 'Execution' &&
            (leaf === undefined
              ? !nested
              : EXECUTION_CONTEXT.includes(leaf) &&
                !(nested && (leaf === 'Input' || leaf === 'StartTime')))) ||
          (root === 'StateMachine' && (leaf === undefined || leaf === 'Id' || leaf === 'Name')) ||
          (root === 'Task' && leaf === 'Token' && callback && field === 'Parameters') ||
          (root === 'Map' && state.Type === 'Map' && (field === 'ItemSelector' || field === 'Parameters'));
        if (!ok) problems.push(`${path}/${field}: the context path '${match[0]}' ${NOT_EMULATED}`);
      }
    }
  }
}

/** The strings of a state field that are evaluated as paths or intrinsic functions (not literals). */
function* pathStrings(field: string, value: unknown): Generator<string> {
  if (field.endsWith('Path')) {
    if (typeof value === 'string') yield value;
  } else if (field === 'Parameters' || field === 'ResultSelector' || field === 'ItemSelector') {
    yield* templatePaths(value);
  } else if (field === 'Choices') {
    yield* choicePaths(value);
  }
}

function* templatePaths(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const v of value) yield* templatePaths(v);
  else if (isObject(value))
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('.$') && typeof v === 'string') yield v;
      else yield* templatePaths(v);
    }
}

function* choicePaths(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const v of value) yield* choicePaths(v);
  else if (isObject(value))
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'Variable' || key.endsWith('Path')) && typeof v === 'string') yield v;
      else yield* choicePaths(v);
    }
}

/**
 * The definition the engine runs: Task timers bounded by what a Node timer can wait (the engine
 * would otherwise default to 60 s, and overflow past 24.8 days), HeartbeatSeconds handled here.
 */
function engineDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(definition);
  const visit = (container: Record<string, unknown>) => {
    if (!isObject(container.States)) return;
    for (const state of Object.values(container.States)) {
      if (!isObject(state)) continue;
      if (state.Type === 'Task') {
        const given =
          typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : ENGINE_TIMER_MAX_SECONDS;
        state.TimeoutSeconds = Math.min(given, ENGINE_TIMER_MAX_SECONDS);
        delete state.HeartbeatSeconds;
      }
      for (const branch of arrayOf(state.Branches)) if (isObject(branch)) visit(branch);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isObject(processor)) visit(processor);
    }
  };
  visit(copy);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Data as the integrations serialise it.

/** StartExecution and CreateStateMachine names: 1-80 characters, none of the forbidden ones. */
function validName(value: unknown): string {
  if (typeof value !== 'string') throw validation('name', 'must not be null');
  if (value.length < 1) throw validation('name', 'must have length greater than or equal to 1', value);
  if (value.length > NAME_MAX_LENGTH)
    throw validation('name', `must have length less than or equal to ${NAME_MAX_LENGTH}`, value);
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    const forbidden =
      /\s/u.test(character) ||
      NAME_FORBIDDEN.includes(character) ||
      code <= 0x1f ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff) ||
      code === 0x10ffff;
    if (forbidden) throw new ServiceError('InvalidName', `Invalid Name: '${value}'`);
  }
  return value;
}

function validation(field: string, constraint: string, value?: string): ServiceError {
  const shown = value === undefined ? '' : ` '${value}'`;
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value${shown} at '${field}' failed to satisfy constraint: Member ${constraint}`,
  );
}

function mintToken(): string {
  return randomBytes(96).toString('base64');
}

/** Lambda's answer to a failed Invoke, as Step Functions reports it. */
function lambdaError(failure: Extract<InvokeResult, { ok: false }>): Error {
  const { errorType, errorMessage, stack } = failure.error;
  if (failure.kind === 'service') {
    // The Invoke API refused: Lambda.<exception>, as the best-practice Retry lists them.
    const code = errorType.replace(/^Lambda\./, '');
    return namedError(
      `Lambda.${code}`,
      `${errorMessage} (Service: AWSLambda; Status Code: ${LAMBDA_STATUS[code] ?? 500}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
    );
  }
  if (failure.kind === 'function' && errorType) {
    // The function threw: its errorType is the error, the Node.js runtime's error document the cause.
    return namedError(errorType, JSON.stringify({ errorType, errorMessage, trace: stack ?? [] }));
  }
  // A timeout returns only an errorMessage; without an errorType Step Functions says Lambda.Unknown.
  const returned = {
    errorMessage:
      failure.kind === 'timeout'
        ? `${new Date().toISOString()} ${randomUUID()} ${errorMessage}`
        : errorMessage,
  };
  return namedError(
    'Lambda.Unknown',
    `The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify(returned)}`,
  );
}

const LAMBDA_STATUS: Record<string, number> = {
  TooManyRequestsException: 429,
  ResourceNotFoundException: 404,
  RequestTooLargeException: 413,
  InvalidRequestContentException: 400,
  InvalidParameterValueException: 400,
  ResourceConflictException: 409,
};

function eventEntry(raw: unknown, run: Run): PutEventsRequestEntry {
  const entry = isObject(raw) ? raw : {};
  return {
    Source: textOf(entry.Source),
    DetailType: textOf(entry.DetailType),
    EventBusName: textOf(entry.EventBusName),
    TraceHeader: textOf(entry.TraceHeader),
    // Detail is JSON text in the API: an object in the state's JSON is serialised, as AWS does.
    Detail: jsonText(entry.Detail),
    Time: timestamp(entry.Time),
    // The optimized integration appends the execution's and the state machine's ARNs.
    Resources: [...arrayOf(entry.Resources).map(String), run.execution.executionArn, run.machine.arn],
  };
}

function timestamp(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw namedError('EventBridge.ValidationException', `Time '${String(value)}' is not a timestamp`);
  return date;
}

/** A string field of an API: strings pass as they are, any other JSON value as its JSON text. */
function jsonText(value: unknown): string | undefined {
  return value === undefined || typeof value === 'string' ? value : JSON.stringify(value);
}

function textOf(value: unknown): string | undefined {
  return jsonText(value);
}

function binaryAttributes(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (!isObject(attribute)) {
      out[name] = attribute;
      continue;
    }
    out[name] = {
      ...attribute,
      BinaryValue:
        typeof attribute.BinaryValue === 'string' ? fromBase64(attribute.BinaryValue) : attribute.BinaryValue,
      BinaryListValues: Array.isArray(attribute.BinaryListValues)
        ? attribute.BinaryListValues.map((v) => (typeof v === 'string' ? fromBase64(v) : v))
        : attribute.BinaryListValues,
    };
  }
  return out;
}

/** DynamoDB request fields holding AttributeValues, with B/BS turned from base64 text into bytes. */
function attributeParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'])
    if (isObject(params[field])) out[field] = mapValues(params[field], attributeValue);
  for (const field of ['Expected', 'AttributeUpdates'])
    if (isObject(params[field]))
      out[field] = mapValues(params[field], (condition) =>
        isObject(condition)
          ? {
              ...condition,
              ...(condition.Value === undefined ? {} : { Value: attributeValue(condition.Value) }),
              ...(Array.isArray(condition.AttributeValueList)
                ? { AttributeValueList: condition.AttributeValueList.map(attributeValue) }
                : {}),
            }
          : condition,
      );
  return out;
}

function attributeValue(value: unknown): AttributeValue {
  if (!isObject(value)) return value as unknown as AttributeValue;
  if (typeof value.B === 'string') return { B: fromBase64(value.B) };
  if (Array.isArray(value.BS))
    return { BS: value.BS.map((b) => (typeof b === 'string' ? fromBase64(b) : b)) };
  if (isObject(value.M)) return { M: mapValues(value.M, attributeValue) };
  if (Array.isArray(value.L)) return { L: value.L.map(attributeValue) };
  return value as unknown as AttributeValue;
}

function mapValues<T>(object: Record<string, unknown>, fn: (value: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v)]));
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** An SDK response as the service's JSON: no $metadata, bytes as base64, dates as ISO text. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    if (key !== '$metadata' && v !== undefined) out[key] = plain(v);
  return out;
}

/** A value as it comes out of JSON text (what Lambda delivers and returns). */
function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null) ?? 'null');
}

function serviceError(service: string, error: unknown): Error {
  const e = error as { name?: string; message?: string };
  return namedError(`${service}.${e.name ?? 'Error'}`, e.message ?? String(error));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
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

/** An error no Retry or Catch handles (States.ALL included), as AWS treats DataLimitExceeded. */
function terminalError(name: string, message: string): Error {
  return Object.assign(namedError(name, message), { isRetryable: false, isCatchable: false });
}
