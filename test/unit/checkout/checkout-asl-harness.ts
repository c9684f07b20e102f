/**
 * Runs state-machines/checkout.asl.json in aws-local-stepfunctions with every Task stubbed, so a
 * test can script each step's outcome (a result, or an error by name, for the first N calls) and
 * read back the states entered, the calls made in order with their inputs, and how it ended.
 */
import { readFileSync } from 'node:fs';
import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { CHECKOUT_ASL, SAGA_STEPS, type SagaStep } from '../../../lib/services/checkout/checkout-stack.ts';

type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type Json = Parameters<Handlers[string]>[0];
export type JsonObject = { [key: string]: Json };

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const EVENT_BUS = 'store-test-bus';
export const DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/store-test-checkout-dlq`;
export const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
export const SEND_MESSAGE = 'arn:aws:states:::sqs:sendMessage';
/** ConfirmOrder's time of confirmation, which OrderPlaced carries as placedAt. */
export const CONFIRMED_AT = '2030-01-01T12:00:00.000Z';

export const functionArn = (step: SagaStep) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${step}`;

/** What a Task calls: a saga function by its step name, or an optimized integration. */
export type Target = SagaStep | 'events:putEvents' | 'sqs:sendMessage';

const TARGET_OF_RESOURCE = new Map<string, Target>([
  ...SAGA_STEPS.map((step) => [functionArn(step), step] as const),
  [PUT_EVENTS, 'events:putEvents'],
  [SEND_MESSAGE, 'sqs:sendMessage'],
]);

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'NONE' | 'FULL';
}
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: JsonObject;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Next?: string;
  End?: boolean;
  Error?: string;
}
export interface AslDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

/** The file as committed, placeholders and all. */
/** The execution's id as the context object states it. */
export const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:store-test-checkout:ord-test';

export const RAW_TEXT = readFileSync(CHECKOUT_ASL, 'utf8');
export const RAW = JSON.parse(RAW_TEXT) as AslDefinition;

/** The values CheckoutStack's definitionSubstitutions give, with fake ARNs for the functions. */
export const SUBSTITUTIONS: Record<string, string> = {
  EventBusName: EVENT_BUS,
  CompensationDlqUrl: DLQ_URL,
  ...Object.fromEntries(SAGA_STEPS.map((step) => [`${step}Arn`, functionArn(step)])),
};

/** Substituted as Step Functions does it: text replacement of `${Key}` before parsing. */
export function substitute(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) out = out.replaceAll(`\${${key}}`, value);
  return out;
}

export const DEFINITION_TEXT = substitute(RAW_TEXT, SUBSTITUTIONS);
export const DEFINITION = JSON.parse(DEFINITION_TEXT) as AslDefinition;

let machine: StateMachine | undefined;
/**
 * The engine's machine, validated (asl-validator, ARNs and paths checked) on first use and reused:
 * lazily, so a definition the engine refuses fails the runs, not the static checks with them.
 */
export function engine(): StateMachine {
  machine ??= new StateMachine(DEFINITION as unknown as StateMachineDefinition);
  return machine;
}

/** Task state name -> what it calls. A Task on anything else would reach real AWS: refused here. */
const TASKS = new Map<string, Target>(
  Object.entries(DEFINITION.States)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name, state]) => {
      const target = TARGET_OF_RESOURCE.get(state.Resource ?? '');
      if (!target) throw new Error(`Task ${name} calls ${state.Resource}, which the harness does not stub`);
      return [name, target];
    }),
);

/** Every retrier waits 0 ms: the backoff, MaxDelaySeconds and jitter are not what these tests time. */
const NO_WAITS = Object.fromEntries(
  Object.entries(DEFINITION.States)
    .filter(([, state]) => state.Retry)
    .map(([name]) => [name, 0]),
);

/** A step failure as Lambda reports it: the state machine matches `name` (Lambda's errorType). */
export class StepFailure extends Error {
  constructor(
    override readonly name: string,
    message = `${name} (stubbed)`,
  ) {
    super(message);
  }
}

export const ORDER_ID = 'ord_01JCHECKOUTASL';
/** ValidateCart's answer (orders' SagaOrder): the server-side snapshot every later step reads. */
export const ORDER = {
  orderId: ORDER_ID,
  userId: 'user-alice',
  cartId: 'cart-42',
  total: 5497,
  currency: 'USD',
  token: 'tok_test_visa',
  lines: [
    { sku: 'MUG-BLUE', productId: 'p-mug', quantity: 2, unitPrice: 1299 },
    { sku: 'TEE-M', productId: 'p-tee', quantity: 1, unitPrice: 2899 },
  ],
  shipTo: { country: 'US', region: 'IL' },
  contact: { email: 'alice@example.com' },
} satisfies JsonObject;
export const CHARGE_ID = 'ch_test_1';

type Responder = (input: JsonObject) => Json;

/** Each target's answer when it succeeds, shaped like the real step's result. */
const DEFAULT_RESPONSES: Record<Target, Responder> = {
  ValidateCart: () => structuredClone(ORDER),
  ReserveInventory: ({ orderId }) => ({ orderId: orderId ?? null, outcome: 'HELD' }),
  AuthorizePayment: ({ orderId, amount, currency }) => ({
    orderId: orderId ?? null,
    chargeId: CHARGE_ID,
    status: 'AUTHORIZED',
    amount: amount ?? null,
    currency: currency ?? null,
  }),
  CapturePayment: ({ orderId, chargeId, amount, currency }) => ({
    orderId: orderId ?? null,
    chargeId: chargeId ?? null,
    status: 'CAPTURED',
    capturedAmount: amount ?? null,
    currency: currency ?? null,
  }),
  CommitReservation: ({ orderId }) => ({ orderId: orderId ?? null, outcome: 'COMMITTED' }),
  ConfirmOrder: ({ orderId }) => ({
    orderId: orderId ?? null,
    status: 'CONFIRMED',
    confirmedAt: CONFIRMED_AT,
  }),
  ClearCart: ({ orderId, cartId }) => ({
    orderId: orderId ?? null,
    cartId: cartId ?? null,
    outcome: 'cleared',
    removed: [],
  }),
  ReversePayment: ({ orderId }) => ({ orderId: orderId ?? null, status: 'VOIDED', amount: ORDER.total }),
  ReleaseInventory: ({ orderId }) => ({ orderId: orderId ?? null, outcome: 'RELEASED' }),
  MarkFailed: ({ orderId, error }) => ({
    orderId: orderId ?? null,
    status: 'FAILED',
    reason: (error as JsonObject | undefined)?.Error ?? 'UNKNOWN',
  }),
  MarkForAttention: ({ orderId }) => ({ orderId: orderId ?? null, flagged: true }),
  'events:putEvents': () => ({ Entries: [{ EventId: 'evt-1' }], FailedEntryCount: 0 }),
  'sqs:sendMessage': () => ({ MessageId: 'msg-1', MD5OfMessageBody: '0'.repeat(32) }),
};

export interface Call {
  /** The Task state that made the call. */
  state: string;
  target: Target;
  input: JsonObject;
  /** The error name the stub threw, if it failed. */
  failedWith?: string;
}

export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED';
  /** The execution's output when it succeeded. */
  output?: JsonObject;
  /** The execution's error when it failed. */
  error?: { Error: string; Cause: unknown };
  /** States in the order they were entered (a retry is not a new entry). */
  states: string[];
  /** The last state entered: Placed, Failed or NeedsAttention for a saga that ended properly. */
  terminal: string | undefined;
  calls: Call[];
  /** Retry attempts per state, from the engine's StateRetried events. */
  retries: Record<string, number>;
  /** The input of each call to `target`, in order. */
  inputsOf(target: Target): JsonObject[];
  /** How many times `target` was called (attempts, retries included). */
  attempts(target: Target): number;
  /** Each target in call order, consecutive repeats (retries) collapsed. */
  sequence(): Target[];
}

interface Failure {
  name: string;
  /** Fail this many calls, then succeed; undefined: every call. */
  times: number | undefined;
  message?: string;
}

/** One scripted execution of the saga. */
export class Saga {
  private readonly failures = new Map<Target, Failure>();
  private readonly responders = new Map<Target, Responder>();

  /** `target` throws an error named `name`: on every call, or on the first `times` calls only. */
  fail(target: Target, name: string, options: { times?: number; message?: string } = {}): this {
    this.failures.set(target, {
      name,
      times: options.times,
      ...(options.message ? { message: options.message } : {}),
    });
    return this;
  }

  /** `target` answers with this instead of its default result. */
  respond(target: Target, responder: Responder): this {
    this.responders.set(target, responder);
    return this;
  }

  async run(input: JsonObject = { orderId: ORDER_ID }): Promise<Outcome> {
    const calls: Call[] = [];
    const counts = new Map<Target, number>();
    const handlers: Handlers = {};
    for (const [state, target] of TASKS) {
      handlers[state] = async (raw) => {
        const taskInput = structuredClone(raw) as JsonObject;
        const n = (counts.get(target) ?? 0) + 1;
        counts.set(target, n);
        const failure = this.failures.get(target);
        if (failure && (failure.times === undefined || n <= failure.times)) {
          calls.push({ state, target, input: taskInput, failedWith: failure.name });
          throw new StepFailure(failure.name, failure.message);
        }
        calls.push({ state, target, input: taskInput });
        return (this.responders.get(target) ?? DEFAULT_RESPONSES[target])(structuredClone(taskInput));
      };
    }
    const execution = engine().run(input, {
      // The context object Step Functions gives every execution (the DLQ message names it).
      context: { Execution: { Id: EXECUTION_ARN, Name: 'ord-test' } } as never,
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: NO_WAITS },
    });
    let output: JsonObject | undefined;
    let thrown: unknown;
    try {
      output = (await execution.result) as JsonObject;
    } catch (error) {
      thrown = error;
    }
    const states: string[] = [];
    const retries: Record<string, number> = {};
    let failed: { Error: string; Cause: unknown } | undefined;
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') states.push(event.state.name);
      if (event.type === 'StateRetried') retries[event.state.name] = (retries[event.state.name] ?? 0) + 1;
      if (event.type === 'ExecutionFailed') failed = { Error: event.Error, Cause: event.Cause };
    }
    // Only an ExecutionError is the saga failing; anything else (a timeout, a harness bug) is rethrown.
    if (thrown !== undefined && !(thrown instanceof ExecutionError)) throw thrown;
    const inputsOf = (target: Target) => calls.filter((c) => c.target === target).map((c) => c.input);
    return {
      status: thrown === undefined ? 'SUCCEEDED' : 'FAILED',
      ...(output !== undefined ? { output } : {}),
      ...(failed !== undefined ? { error: failed } : {}),
      states,
      terminal: states.at(-1),
      calls,
      retries,
      inputsOf,
      attempts: (target) => inputsOf(target).length,
      sequence: () => calls.map((c) => c.target).filter((t, i, all) => i === 0 || all[i - 1] !== t),
    };
  }
}

export const saga = () => new Saga();
