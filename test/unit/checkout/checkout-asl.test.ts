/**
 * The checkout saga's ASL on its own: run in aws-local-stepfunctions with every Task stubbed, each
 * Retry and Catch route driven by stubs that throw named errors. The tables below are the saga's
 * intended behaviour written out by hand, so a change to the ASL that drifts from it fails here.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { OrderPlacedSchema, OrderPlacedV2Schema } from '../../../lambdas/events/catalog.ts';
import { SAGA_STEPS } from '../../../lib/services/checkout/checkout-stack.ts';
import {
  type AslState,
  CHARGE_ID,
  CONFIRMED_AT,
  DEFINITION,
  DEFINITION_TEXT,
  DLQ_URL,
  EVENT_BUS,
  EXECUTION_ARN,
  engine,
  ORDER,
  ORDER_ID,
  type Outcome,
  PUT_EVENTS,
  RAW,
  RAW_TEXT,
  SEND_MESSAGE,
  SUBSTITUTIONS,
  saga,
  type Target,
} from './checkout-asl-harness.ts';

const FORWARD = [
  'ValidateCart',
  'ReserveInventory',
  'AuthorizePayment',
  'CapturePayment',
  'CommitReservation',
  'ConfirmOrder',
  'ClearCart',
  'PublishOrderPlaced',
] as const;
type ForwardState = (typeof FORWARD)[number];
const BEFORE_PIVOT = FORWARD.slice(0, 5) as readonly ForwardState[];
const COMPENSATIONS = ['ReversePayment', 'ReleaseInventory', 'MarkFailed'] as const;
const ATTENTION_STATES = ['NotifyCompensationDlq', 'MarkForAttention'] as const;

/** What each Task state calls. */
const TARGET: Record<string, Target> = {
  ...Object.fromEntries(SAGA_STEPS.map((step) => [step, step])),
  PublishOrderPlaced: 'events:putEvents',
  NotifyCompensationDlq: 'sqs:sendMessage',
};
const targetOf = (state: string): Target => {
  const target = TARGET[state];
  if (!target) throw new Error(`no target for ${state}`);
  return target;
};

/** The States.ALL retrier's MaxAttempts of each Task. */
const MAX_ATTEMPTS: Record<string, number> = {
  ValidateCart: 3,
  ReserveInventory: 3,
  AuthorizePayment: 3,
  CapturePayment: 3,
  CommitReservation: 6,
  ConfirmOrder: 10,
  ClearCart: 3,
  PublishOrderPlaced: 10,
  ReversePayment: 10,
  ReleaseInventory: 10,
  MarkFailed: 10,
  NotifyCompensationDlq: 10,
  MarkForAttention: 10,
};
const maxAttempts = (state: string): number => {
  const n = MAX_ATTEMPTS[state];
  if (n === undefined) throw new Error(`no MaxAttempts for ${state}`);
  return n;
};

/** Errors no retry cures (the steps' own names for them): each state's MaxAttempts 0 retrier. */
const BUSINESS_ERRORS: Record<string, readonly string[]> = {
  ValidateCart: ['PriceChanged', 'EmptyCart', 'OrderNotFound', 'OrderSettled', 'InvalidStepInput'],
  ReserveInventory: ['OutOfStock', 'ReservationConflict', 'InvalidStepInput'],
  AuthorizePayment: [
    'PaymentDeclined',
    'IdempotencyKeyReused',
    'AmountRefused',
    'InvalidChargeState',
    'InvalidStepInput',
    'IdempotencyValidationError',
  ],
  CapturePayment: [
    'IdempotencyKeyReused',
    'AmountRefused',
    'InvalidChargeState',
    'ChargeNotFound',
    'InvalidStepInput',
    'IdempotencyValidationError',
  ],
  CommitReservation: ['ReservationReleased', 'ReservationNotFound', 'InvalidStepInput'],
  ConfirmOrder: ['OrderSettled', 'OrderNotFound', 'InvalidStepInput'],
  ClearCart: ['InvalidStepInput'],
  ReversePayment: [
    'ChargeNotFound',
    'InvalidChargeState',
    'AmountRefused',
    'IdempotencyKeyReused',
    'InvalidStepInput',
    'IdempotencyValidationError',
  ],
  ReleaseInventory: ['ReservationCommitted', 'InvalidStepInput'],
  MarkFailed: ['OrderSettled', 'InvalidStepInput'],
  MarkForAttention: ['InvalidStepInput'],
};
const businessErrors = (state: string): readonly string[] => BUSINESS_ERRORS[state] ?? [];

/** Where a failure of each state leads (the targets called after it) and the state it ends in. */
const ROUTE: Record<ForwardState, { next: readonly Target[]; ends: 'Failed' | 'NeedsAttention' | 'Placed' }> =
  {
    ValidateCart: { next: ['MarkFailed'], ends: 'Failed' },
    ReserveInventory: { next: ['ReleaseInventory', 'MarkFailed'], ends: 'Failed' },
    AuthorizePayment: { next: ['ReversePayment', 'ReleaseInventory', 'MarkFailed'], ends: 'Failed' },
    CapturePayment: { next: ['ReversePayment', 'ReleaseInventory', 'MarkFailed'], ends: 'Failed' },
    CommitReservation: { next: ['ReversePayment', 'ReleaseInventory', 'MarkFailed'], ends: 'Failed' },
    ConfirmOrder: { next: ['sqs:sendMessage', 'MarkForAttention'], ends: 'NeedsAttention' },
    ClearCart: { next: ['events:putEvents'], ends: 'Placed' },
    PublishOrderPlaced: { next: ['sqs:sendMessage', 'MarkForAttention'], ends: 'NeedsAttention' },
  };

const HAPPY_TARGETS = FORWARD.map(targetOf);
/** The happy path's targets up to and including `state`'s. */
const upTo = (state: ForwardState) => HAPPY_TARGETS.slice(0, FORWARD.indexOf(state) + 1);

const tasks = () =>
  Object.entries(DEFINITION.States).filter(([, s]) => s.Type === 'Task') as [string, AslState][];

function stateOf(name: string): AslState {
  const state = DEFINITION.States[name];
  if (!state) throw new Error(`no state ${name}`);
  return state;
}

/** Next and every Catch's Next. */
const successors = (state: AslState): string[] => [
  ...(state.Next ? [state.Next] : []),
  ...(state.Catch ?? []).map((c) => c.Next),
];

function reachableFrom(start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...successors(stateOf(name)));
  }
  return seen;
}

/** The execution ended in the attention path: FAILED with CompensationFailed. */
function expectNeedsAttention(run: Outcome) {
  expect(run.status).toBe('FAILED');
  expect(run.terminal).toBe('NeedsAttention');
  expect(run.error?.Error).toBe('CompensationFailed');
  expect(run.states.slice(-3)).toEqual([...ATTENTION_STATES, 'NeedsAttention']);
}

const caught = (name: string) => ({ Error: name, Cause: expect.stringContaining(name) });

describe('the checkout definition', () => {
  it('uses exactly the placeholders CheckoutStack substitutes (an Arn per SAGA_STEPS, the bus, the DLQ)', () => {
    const used = new Set([...RAW_TEXT.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(SUBSTITUTIONS).sort());
    expect(DEFINITION_TEXT).not.toContain('${');
  });

  it('calls each saga function from the state of its name, and otherwise only putEvents and sendMessage', () => {
    const raw = Object.entries(RAW.States).filter(([, s]) => s.Type === 'Task');
    const lambdas = raw.filter(([, s]) => !s.Resource?.startsWith('arn:aws:states:::'));
    for (const [name, state] of lambdas) expect(state.Resource, name).toBe(`\${${name}Arn}`);
    expect(lambdas.map(([name]) => name).sort()).toEqual([...SAGA_STEPS].sort());
    const integrations = raw.filter(([, s]) => s.Resource?.startsWith('arn:aws:states:::'));
    expect(Object.fromEntries(integrations.map(([name, s]) => [name, s.Resource]))).toEqual({
      PublishOrderPlaced: PUT_EVENTS,
      NotifyCompensationDlq: SEND_MESSAGE,
    });
  });

  it('reads only the context paths the local cloud emulates ($$.Execution, $$.StateMachine)', () => {
    const roots = new Set([...RAW_TEXT.matchAll(/\$\$\.([A-Za-z]+)/g)].map((m) => m[1]));
    for (const root of roots) expect(['Execution', 'StateMachine'], `$$.${root}`).toContain(root);
  });

  it('gives every Task a TimeoutSeconds (a hung function would otherwise hold the saga for the whole hour)', () => {
    for (const [name, state] of tasks()) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(state.TimeoutSeconds, name).toBeLessThanOrEqual(900);
    }
  });

  it('retries business errors 0 times first, then everything else with one States.ALL retrier last', () => {
    for (const [name, state] of tasks()) {
      const retry = state.Retry ?? [];
      const all = retry.at(-1);
      expect(all?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(all?.MaxAttempts, name).toBe(maxAttempts(name));
      expect(all?.JitterStrategy, name).toBe('FULL');
      expect(all?.MaxDelaySeconds, name).toBeGreaterThan(0);
      const before = retry.slice(0, -1);
      for (const retrier of before) {
        expect(retrier.MaxAttempts, name).toBe(0);
        expect(retrier.ErrorEquals, name).not.toContain('States.ALL');
      }
      expect(
        before.flatMap((r) => r.ErrorEquals),
        name,
      ).toEqual(businessErrors(name));
    }
  });

  it('catches everything on every Task, so only NeedsAttention fails an execution', () => {
    for (const [name, state] of tasks()) {
      expect(state.Catch?.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
    }
    const fails = Object.entries(DEFINITION.States).filter(([, s]) => s.Type === 'Fail');
    expect(fails.map(([name, s]) => [name, s.Error])).toEqual([['NeedsAttention', 'CompensationFailed']]);
  });

  it('catches each step before the pivot into its compensation, the error kept in $.error', () => {
    for (const name of BEFORE_PIVOT) {
      const [first] = ROUTE[name].next;
      expect(stateOf(name).Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: first },
      ]);
    }
  });

  it('chains the compensations ReversePayment -> ReleaseInventory -> MarkFailed -> Failed (Succeed)', () => {
    expect(stateOf('ReversePayment').Next).toBe('ReleaseInventory');
    expect(stateOf('ReleaseInventory').Next).toBe('MarkFailed');
    expect(stateOf('MarkFailed').Next).toBe('Failed');
    expect(stateOf('Failed').Type).toBe('Succeed');
    expect(stateOf('Placed').Type).toBe('Succeed');
    for (const name of [...COMPENSATIONS, 'ConfirmOrder', 'PublishOrderPlaced']) {
      expect(stateOf(name).Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.compensationError', Next: 'NotifyCompensationDlq' },
      ]);
    }
  });

  it('retries compensations and the attention path long (MaxAttempts >= 5) with FULL jitter', () => {
    for (const name of [...COMPENSATIONS, ...ATTENTION_STATES]) {
      const all = stateOf(name).Retry?.at(-1);
      expect(all?.ErrorEquals, name).toEqual(['States.ALL']);
      expect(all?.MaxAttempts, name).toBeGreaterThanOrEqual(5);
      expect(all?.JitterStrategy, name).toBe('FULL');
    }
  });

  it('reaches every state from StartAt, names only states that exist, and ends only in the three terminals', () => {
    expect(DEFINITION.StartAt).toBe('ValidateCart');
    for (const [name, state] of Object.entries(DEFINITION.States)) {
      for (const next of successors(state))
        expect(DEFINITION.States, `${name} -> ${next}`).toHaveProperty(next);
      // Every state but the terminals goes on: no Task ends the execution by itself.
      expect(state.End, name).toBeUndefined();
    }
    expect([...reachableFrom(DEFINITION.StartAt)].sort()).toEqual(Object.keys(DEFINITION.States).sort());
    const terminals = Object.entries(DEFINITION.States).filter(([, s]) => successors(s).length === 0);
    expect(terminals.map(([name]) => name).sort()).toEqual(['Failed', 'NeedsAttention', 'Placed']);
  });

  it('compensates nothing after the pivot: no route from ConfirmOrder leads to a compensation', () => {
    const after = reachableFrom('ConfirmOrder');
    for (const name of COMPENSATIONS) expect(after.has(name), name).toBe(false);
  });

  it('keeps each result in a path of its own, so no step overwrites what a later one reads', () => {
    const paths = tasks()
      .map(([, s]) => s.ResultPath)
      .filter((p): p is string => typeof p === 'string');
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(['$', '$.orderId']).not.toContain(path);
    // The error paths the catchers write are none of the results'.
    const errorPaths = tasks().flatMap(([, s]) => (s.Catch ?? []).map((c) => c.ResultPath));
    for (const path of errorPaths) expect(paths).not.toContain(path);
  });
});

describe('the happy path', () => {
  it('is a definition the engine accepts once substituted (ARNs and paths validated)', () => {
    expect(() => engine()).not.toThrow();
  });

  it('runs the forward steps in order, once each, and ends in Placed', async () => {
    const run = await saga().run();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([...FORWARD, 'Placed']);
    expect(run.calls.map((c) => c.target)).toEqual(HAPPY_TARGETS);
    expect(run.calls.map((c) => c.state)).toEqual([...FORWARD]);
    expect(run.retries).toEqual({});
  });

  it('gives each step what it needs from the earlier results', async () => {
    const run = await saga().run();
    const only = (target: Target) => {
      expect(run.attempts(target), target).toBe(1);
      return run.inputsOf(target)[0];
    };
    expect(only('ValidateCart')).toEqual({ orderId: ORDER_ID });
    expect(only('ReserveInventory')).toEqual({ orderId: ORDER_ID, lines: ORDER.lines });
    expect(only('AuthorizePayment')).toEqual({
      orderId: ORDER_ID,
      amount: ORDER.total,
      currency: ORDER.currency,
      token: ORDER.token,
    });
    expect(only('CapturePayment')).toEqual({
      orderId: ORDER_ID,
      chargeId: CHARGE_ID,
      amount: ORDER.total,
      currency: ORDER.currency,
    });
    expect(only('CommitReservation')).toEqual({ orderId: ORDER_ID });
    expect(only('ConfirmOrder')).toEqual({ orderId: ORDER_ID });
    expect(only('ClearCart')).toEqual({
      orderId: ORDER_ID,
      cartId: ORDER.cartId,
      userId: ORDER.userId,
      lines: ORDER.lines,
    });
  });

  it('publishes one OrderPlaced entry on the bus with the order, its lines and total', async () => {
    const run = await saga().run();
    expect(run.inputsOf('events:putEvents')).toEqual([
      {
        Entries: [
          {
            EventBusName: EVENT_BUS,
            Source: 'store.orders',
            DetailType: 'OrderPlaced',
            Detail: {
              version: 2,
              orderId: ORDER_ID,
              userId: ORDER.userId,
              lines: ORDER.lines,
              total: { amount: ORDER.total, currency: ORDER.currency },
              shipTo: ORDER.shipTo,
              contact: ORDER.contact,
              placedAt: CONFIRMED_AT,
            },
          },
        ],
      },
    ]);
  });

  it('ends with every step result in its place and nothing from the failure paths', async () => {
    const run = await saga().run();
    expect(run.output).toEqual({
      orderId: ORDER_ID,
      order: ORDER,
      reservation: expect.objectContaining({ outcome: 'HELD' }),
      authorization: expect.objectContaining({ chargeId: CHARGE_ID, status: 'AUTHORIZED' }),
      capture: expect.objectContaining({ chargeId: CHARGE_ID, status: 'CAPTURED' }),
      commit: expect.objectContaining({ outcome: 'COMMITTED' }),
      confirmation: expect.objectContaining({ status: 'CONFIRMED' }),
      cleared: expect.objectContaining({ outcome: 'cleared' }),
    });
  });
});

describe('business errors before the pivot', () => {
  const cases = [
    { step: 'ValidateCart', error: 'PriceChanged', reversed: false },
    { step: 'ReserveInventory', error: 'OutOfStock', reversed: false },
    { step: 'AuthorizePayment', error: 'PaymentDeclined', reversed: true },
    { step: 'CommitReservation', error: 'ReservationReleased', reversed: true },
  ] as const;

  it.each(cases)(
    '$step $error: not retried, compensated, ends in Failed',
    async ({ step, error, reversed }) => {
      const run = await saga()
        .fail(step, error, { message: `${error}: stubbed for ${ORDER_ID}` })
        .run();
      expect(run.status).toBe('SUCCEEDED');
      expect(run.terminal).toBe('Failed');
      expect(run.attempts(step)).toBe(1);
      expect(run.retries).toEqual({});
      expect(run.sequence()).toEqual([...upTo(step), ...ROUTE[step].next]);
      expect(run.states).toEqual([
        ...FORWARD.slice(0, FORWARD.indexOf(step) + 1),
        ...ROUTE[step].next,
        'Failed',
      ]);

      const [markFailed] = run.inputsOf('MarkFailed');
      expect(markFailed).toMatchObject({
        orderId: ORDER_ID,
        error: { Error: error, Cause: expect.stringContaining(`stubbed for ${ORDER_ID}`) },
      });
      if (reversed) {
        expect(run.inputsOf('ReversePayment')).toEqual([{ orderId: ORDER_ID }]);
        expect(markFailed?.reversal).toEqual({ orderId: ORDER_ID, status: 'VOIDED', amount: ORDER.total });
      } else {
        expect(markFailed).not.toHaveProperty('reversal');
      }
      if (step !== 'ValidateCart') expect(run.inputsOf('ReleaseInventory')).toEqual([{ orderId: ORDER_ID }]);
      expect(run.output).toMatchObject({ failed: { orderId: ORDER_ID, status: 'FAILED', reason: error } });
    },
  );

  const everyPair = BEFORE_PIVOT.flatMap((step) => businessErrors(step).map((error) => ({ step, error })));

  it.each(everyPair)('$step $error: one attempt, then its compensation', async ({ step, error }) => {
    const run = await saga().fail(targetOf(step), error).run();
    expect(run.attempts(targetOf(step))).toBe(1);
    expect(run.sequence()).toEqual([...upTo(step), ...ROUTE[step].next]);
    expect(run.terminal).toBe('Failed');
    expect(run.inputsOf('MarkFailed')[0]?.error).toEqual(caught(error));
  });
});

describe('transient errors on the forward steps', () => {
  const GENERIC = ['Lambda.ServiceException', 'States.Timeout', 'Runtime.ExitError', 'Error'] as const;
  const recoveries = FORWARD.flatMap((state) => GENERIC.map((error) => ({ state, error })));

  it.each(recoveries)(
    '$state $error on every attempt but the last: retried, one success, Placed',
    async ({ state, error }) => {
      const target = targetOf(state);
      const failures = maxAttempts(state);
      const run = await saga().fail(target, error, { times: failures }).run();
      expect(run.status).toBe('SUCCEEDED');
      expect(run.terminal).toBe('Placed');
      expect(run.states).toEqual([...FORWARD, 'Placed']);
      expect(run.sequence()).toEqual(HAPPY_TARGETS);
      const attempts = run.calls.filter((c) => c.target === target);
      expect(attempts).toHaveLength(failures + 1);
      expect(attempts.filter((c) => c.failedWith === undefined)).toHaveLength(1);
      expect(run.retries).toEqual({ [state]: failures });
      // Every retry is the same call again.
      expect(new Set(attempts.map((c) => JSON.stringify(c.input))).size).toBe(1);
      for (const other of HAPPY_TARGETS.filter((t) => t !== target))
        expect(run.attempts(other), other).toBe(1);
    },
  );

  // The steps' own names for what a retry cures, and a service error for the integration.
  const domainTransient: Record<ForwardState, string> = {
    ValidateCart: 'Lambda.TooManyRequestsException',
    ReserveInventory: 'InventoryBusy',
    AuthorizePayment: 'ProviderUnavailable',
    CapturePayment: 'ProviderUnavailable',
    CommitReservation: 'InventoryBusy',
    ConfirmOrder: 'Lambda.ServiceException',
    ClearCart: 'CartBusy',
    PublishOrderPlaced: 'EventBridge.InternalException',
  };

  it.each(FORWARD)('%s failing every attempt: 1 + MaxAttempts calls, then its Catch route', async (state) => {
    const target = targetOf(state);
    const error = domainTransient[state];
    const run = await saga().fail(target, error).run();
    expect(run.attempts(target)).toBe(1 + maxAttempts(state));
    expect(run.retries[state]).toBe(maxAttempts(state));
    expect(run.sequence()).toEqual([...upTo(state), ...ROUTE[state].next]);
    expect(run.terminal).toBe(ROUTE[state].ends);
    if (ROUTE[state].ends === 'Failed') {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.inputsOf('MarkFailed')[0]?.error).toEqual(caught(error));
    } else if (ROUTE[state].ends === 'NeedsAttention') {
      expectNeedsAttention(run);
      expect(run.inputsOf('MarkForAttention')[0]?.compensationError).toEqual(caught(error));
    } else {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output?.clearError).toEqual(caught(error));
    }
  });
});

describe('transient errors on the compensations', () => {
  it.each(COMPENSATIONS)(
    '%s failing all but its last attempt still compensates and ends in Failed',
    async (step) => {
      const run = await saga()
        .fail('AuthorizePayment', 'PaymentDeclined')
        .fail(step, 'Lambda.ServiceException', { times: maxAttempts(step) })
        .run();
      expect(run.status).toBe('SUCCEEDED');
      expect(run.terminal).toBe('Failed');
      expect(run.attempts(step)).toBe(maxAttempts(step) + 1);
      expect(run.sequence()).toEqual([...upTo('AuthorizePayment'), ...COMPENSATIONS]);
      expect(run.attempts('sqs:sendMessage')).toBe(0);
    },
  );
});

describe('a compensation that gives up', () => {
  it.each(COMPENSATIONS)(
    '%s failing every attempt: the state goes to the DLQ, the order is flagged, the execution fails',
    async (step) => {
      const run = await saga()
        .fail('AuthorizePayment', 'PaymentDeclined')
        .fail(step, 'Lambda.ServiceException')
        .run();
      expectNeedsAttention(run);
      expect(run.attempts(step)).toBe(1 + maxAttempts(step));
      const ran = COMPENSATIONS.slice(0, COMPENSATIONS.indexOf(step) + 1);
      expect(run.sequence()).toEqual([
        ...upTo('AuthorizePayment'),
        ...ran,
        'sqs:sendMessage',
        'MarkForAttention',
      ]);
      // The compensations after the one that gave up are left to the person the DLQ alarm calls.
      for (const later of COMPENSATIONS.slice(ran.length)) expect(run.attempts(later), later).toBe(0);

      const [sent] = run.inputsOf('sqs:sendMessage');
      expect(sent?.QueueUrl).toBe(DLQ_URL);
      expect(sent?.MessageBody).toEqual({
        orderId: ORDER_ID,
        execution: EXECUTION_ARN,
        compensationError: caught('Lambda.ServiceException'),
      });
      const [flagged] = run.inputsOf('MarkForAttention');
      expect(flagged).toMatchObject({
        orderId: ORDER_ID,
        order: ORDER,
        error: caught('PaymentDeclined'),
        compensationError: caught('Lambda.ServiceException'),
      });
    },
  );

  it('the DLQ message names the order, the execution and the error, never the payment token', async () => {
    const run = await saga().fail('CapturePayment', 'InvalidChargeState').fail('MarkFailed', 'Error').run();
    const [sent] = run.inputsOf('sqs:sendMessage');
    expect(sent).toEqual({
      QueueUrl: DLQ_URL,
      MessageBody: { orderId: ORDER_ID, execution: EXECUTION_ARN, compensationError: caught('Error') },
    });
    expect(JSON.stringify(sent)).not.toContain(String(ORDER.token));
    // The person the alarm calls finds the rest on the flagged order and in the execution's history.
    expect(run.inputsOf('MarkForAttention')[0]).toMatchObject({
      authorization: expect.objectContaining({ chargeId: CHARGE_ID }),
      error: caught('InvalidChargeState'),
      reversal: expect.objectContaining({ status: 'VOIDED' }),
      release: expect.objectContaining({ outcome: 'RELEASED' }),
    });
  });

  it.each([
    { step: 'ReleaseInventory', error: 'ReservationCommitted' },
    { step: 'MarkFailed', error: 'OrderSettled' },
  ] as const)('$step $error: not retried, straight to the attention path', async ({ step, error }) => {
    const run = await saga().fail('ReserveInventory', 'OutOfStock').fail(step, error).run();
    expect(run.attempts(step)).toBe(1);
    expect(run.retries).toEqual({});
    expectNeedsAttention(run);
    expect(run.inputsOf('MarkForAttention')[0]?.compensationError).toEqual(caught(error));
  });

  it('a DLQ that cannot be reached still leads to MarkForAttention, with the send error kept', async () => {
    const run = await saga()
      .fail('ValidateCart', 'OrderNotFound')
      .fail('MarkFailed', 'Error')
      .fail('sqs:sendMessage', 'SQS.AmazonSQSException')
      .run();
    expect(run.attempts('sqs:sendMessage')).toBe(1 + maxAttempts('NotifyCompensationDlq'));
    expectNeedsAttention(run);
    expect(run.inputsOf('MarkForAttention')[0]).toMatchObject({
      compensationError: caught('Error'),
      dlqError: caught('SQS.AmazonSQSException'),
    });
  });

  it('MarkForAttention failing every attempt still ends in NeedsAttention', async () => {
    const run = await saga()
      .fail('ConfirmOrder', 'OrderSettled')
      .fail('MarkForAttention', 'Lambda.ServiceException')
      .run();
    expect(run.attempts('MarkForAttention')).toBe(1 + maxAttempts('MarkForAttention'));
    expectNeedsAttention(run);
  });

  it('keeps the 10-attempt retriers (MaxDelaySeconds 60, FULL jitter) counting under the zero-wait override', async () => {
    const started = performance.now();
    const run = await saga()
      .fail('AuthorizePayment', 'PaymentDeclined')
      .fail('ReversePayment', 'Error')
      .fail('sqs:sendMessage', 'Error')
      .fail('MarkForAttention', 'Error')
      .run();
    expect(run.retries).toEqual({ ReversePayment: 10, NotifyCompensationDlq: 10, MarkForAttention: 10 });
    // Unoverridden, these waits could add up to 18 minutes.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('after the pivot', () => {
  it('ConfirmOrder failing every attempt: attention, and nothing is compensated', async () => {
    const run = await saga().fail('ConfirmOrder', 'Lambda.ServiceException').run();
    expectNeedsAttention(run);
    expect(run.attempts('ConfirmOrder')).toBe(1 + maxAttempts('ConfirmOrder'));
    for (const target of [...COMPENSATIONS, 'ClearCart', 'events:putEvents'] as const) {
      expect(run.attempts(target), target).toBe(0);
    }
    expect(run.inputsOf('sqs:sendMessage')[0]).toMatchObject({
      QueueUrl: DLQ_URL,
      MessageBody: {
        orderId: ORDER_ID,
        execution: EXECUTION_ARN,
        compensationError: caught('Lambda.ServiceException'),
      },
    });
  });

  it.each(businessErrors('ConfirmOrder'))(
    'ConfirmOrder %s: one attempt, attention, no compensation',
    async (error) => {
      const run = await saga().fail('ConfirmOrder', error).run();
      expect(run.attempts('ConfirmOrder')).toBe(1);
      expectNeedsAttention(run);
      for (const target of COMPENSATIONS) expect(run.attempts(target), target).toBe(0);
    },
  );

  it.each([
    { error: 'Lambda.ServiceException', attempts: 1 + maxAttempts('ClearCart') },
    { error: 'InvalidStepInput', attempts: 1 },
  ])(
    'ClearCart $error on every attempt: OrderPlaced is still published, Placed',
    async ({ error, attempts }) => {
      const run = await saga().fail('ClearCart', error).run();
      expect(run.attempts('ClearCart')).toBe(attempts);
      expect(run.status).toBe('SUCCEEDED');
      expect(run.terminal).toBe('Placed');
      expect(run.states).toEqual([...FORWARD, 'Placed']);
      expect(run.attempts('events:putEvents')).toBe(1);
      expect(run.output?.clearError).toEqual(caught(error));
      expect(run.output).not.toHaveProperty('cleared');
      for (const target of [...COMPENSATIONS, 'sqs:sendMessage', 'MarkForAttention'] as const) {
        expect(run.attempts(target), target).toBe(0);
      }
    },
  );

  it('PublishOrderPlaced failing every attempt: attention, nothing compensated', async () => {
    const run = await saga().fail('events:putEvents', 'EventBridge.InternalException').run();
    expectNeedsAttention(run);
    for (const target of COMPENSATIONS) expect(run.attempts(target), target).toBe(0);
    expect(run.inputsOf('MarkForAttention')[0]).toMatchObject({
      confirmation: { status: 'CONFIRMED' },
      compensationError: caught('EventBridge.InternalException'),
    });
  });
});

describe('the terminal states', () => {
  it.each([
    { name: 'Placed', run: () => saga().run(), status: 'SUCCEEDED' },
    { name: 'Failed', run: () => saga().fail('ValidateCart', 'PriceChanged').run(), status: 'SUCCEEDED' },
    {
      name: 'NeedsAttention',
      run: () => saga().fail('ConfirmOrder', 'OrderSettled').run(),
      status: 'FAILED',
    },
  ])('$name ends the execution $status', async ({ name, run, status }) => {
    const outcome = await run();
    expect(outcome.terminal).toBe(name);
    expect(outcome.status).toBe(status);
    expect(outcome.states.filter((s) => ['Placed', 'Failed', 'NeedsAttention'].includes(s))).toEqual([name]);
  });
});

describe('the OrderPlaced the saga publishes', () => {
  it('is a valid OrderPlaced of the event catalogue, so every consumer can read it', async () => {
    const run = await saga().run();
    const [put] = run.inputsOf('events:putEvents') as { Entries: { Detail: unknown }[] }[];
    const parsed = OrderPlacedSchema.safeParse(put?.Entries[0]?.Detail);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('is v2 and carries nothing v2 does not declare: no address, no payment token', async () => {
    const run = await saga().run();
    const [put] = run.inputsOf('events:putEvents') as { Entries: { Detail: unknown }[] }[];
    const detail = put?.Entries[0]?.Detail;
    // Strict: an extra field (the token the saga holds, an address) fails here, not silently.
    const parsed = z.strictObject(OrderPlacedV2Schema.shape).safeParse(detail);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(JSON.stringify(detail)).not.toContain(ORDER.token);
  });
});
