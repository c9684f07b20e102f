/**
 * The local Step Functions against the rules of AWS Step Functions: how the optimized
 * integrations serialise what they send, how Lambda failures are named, the callback pattern
 * with its task tokens and heartbeats, task timeouts, the payload quota and execution names,
 * and what a definition may use locally at all. Each rule names the AWS documentation page it
 * comes from. Everything goes through the SFN endpoint with @aws-sdk/client-sfn.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  outputOf,
  REGION,
  ROOT_DIR,
  type SfnHarness,
  startSfnHarness,
} from './support/sfn-harness.ts';

let h: SfnHarness;
let machines = 0;

beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A fresh state machine name per test, so executions never collide. */
function register(definition: Record<string, unknown>): string {
  machines++;
  return h.register(`conformance-${machines}`, definition);
}

function single(state: Record<string, unknown>, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { StartAt: 'Work', States: { Work: { End: true, ...state }, ...rest } };
}

async function queueArn(url: string): Promise<string> {
  const { Attributes } = await h.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

/** A bus whose events with `source` are delivered to a new queue; returns the queue's URL. */
async function busToQueue(bus: string, source: string): Promise<string> {
  await h.events.send(new CreateEventBusCommand({ Name: bus }));
  const url = await h.queue(`${bus}-events`);
  await h.events.send(
    new PutRuleCommand({
      Name: `${bus}-rule`,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: [source] }),
    }),
  );
  await h.events.send(
    new PutTargetsCommand({
      Rule: `${bus}-rule`,
      EventBusName: bus,
      Targets: [{ Id: 'queue', Arn: await queueArn(url) }],
    }),
  );
  return url;
}

async function tokenFrom(queueUrl: string): Promise<string> {
  const [message] = await h.receive(queueUrl);
  return String((JSON.parse(message?.Body ?? '{}') as { TaskToken?: string }).TaskToken);
}

describe('optimized integrations send what AWS sends', () => {
  // "Call EventBridge with Step Functions": Detail may be given as a JSON object (it reaches the
  // bus as JSON text), and the execution and state machine ARNs are appended to each entry's Resources.
  it('events:putEvents serialises an object Detail and appends the execution and state machine ARNs', async () => {
    const queue = await busToQueue('conformance-orders', 'conformance.orders');
    const arn = register(
      single({
        Type: 'Task',
        Resource: 'arn:aws:states:::events:putEvents',
        Parameters: {
          Entries: [
            {
              EventBusName: 'conformance-orders',
              Source: 'conformance.orders',
              DetailType: 'OrderPlaced',
              'Detail.$': '$',
              Resources: ['arn:aws:example:::order/o-1'],
            },
          ],
        },
      }),
    );
    const input = { order: { id: 'o-1', total: 4200, lines: [{ sku: 'LAMP-1', quantity: 2 }] } };
    const executionArn = await h.start(arn, input);
    const out = outputOf(await h.finished(executionArn));
    expect(out).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const [message] = await h.receive(queue);
    const event = JSON.parse(message?.Body ?? '{}') as Record<string, unknown>;
    expect(event['detail-type']).toBe('OrderPlaced');
    expect(event.detail).toEqual(input);
    expect(event.resources).toEqual(['arn:aws:example:::order/o-1', executionArn, arn]);
  });

  // "Call Amazon SQS with Step Functions" / "Wait for a Callback with the Task Token": MessageBody
  // may be a JSON object; the queue receives its JSON text.
  it('sqs:sendMessage serialises an object MessageBody to JSON text', async () => {
    const queue = await h.queue('conformance-send');
    const arn = register(
      single({
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: queue, 'MessageBody.$': '$' },
      }),
    );
    const input = { cartId: 'c-1', items: [{ sku: 'LAMP-1', quantity: 1 }], note: null };
    const out = outputOf(await h.run(arn, input));
    const [message] = await h.receive(queue);
    expect(JSON.parse(message?.Body ?? 'null')).toEqual(input);
    expect(out.MessageId).toBe(message?.MessageId);
    expect(out.MD5OfMessageBody).toBe(
      createHash('md5')
        .update(message?.Body ?? '')
        .digest('hex'),
    );
  });

  // "AttributeValue" (DynamoDB API Reference): B is base64-encoded binary in the JSON API, which
  // is what the dynamodb:* integrations send and return.
  it('dynamodb:putItem and getItem carry binary attributes as base64 text', async () => {
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'conformance-blobs',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const bytes = [0, 1, 2, 255, 128];
    const b64 = Buffer.from(bytes).toString('base64');
    const arn = register({
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'conformance-blobs',
            Item: { pk: { S: 'k1' }, blob: { 'B.$': '$.blob' }, tags: { M: { raw: { BS: [b64] } } } },
          },
          ResultPath: null,
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'conformance-blobs', Key: { pk: { S: 'k1' } } },
          End: true,
        },
      },
    });
    const out = outputOf(await h.run(arn, { blob: b64 }));
    expect(out).toEqual({ Item: { pk: { S: 'k1' }, blob: { B: b64 }, tags: { M: { raw: { BS: [b64] } } } } });
    const stored = await h.dynamodb.send(
      new GetItemCommand({ TableName: 'conformance-blobs', Key: { pk: { S: 'k1' } } }),
    );
    expect([...(stored.Item?.blob?.B ?? [])]).toEqual(bytes);
  });

  // The checkout state machine as synthesized (DefinitionString with its DefinitionSubstitutions,
  // substituted as local/deploy.ts does) registers and runs to completion, every step one stub,
  // and its OrderPlaced event is delivered on the bus.
  it('runs the synthesized checkout state machine to SUCCEEDED', async () => {
    const bus = 'conformance-store-bus';
    const queue = await busToQueue(bus, 'store.orders');
    const dlq = await h.queue('conformance-checkout-dlq');
    let text = readFileSync(join(ROOT_DIR, 'state-machines/checkout.asl.json'), 'utf8');
    const placeholder = (name: string) => ['$', `{${name}}`].join('');
    text = text
      .replaceAll(placeholder('EventBusName'), bus)
      .replaceAll(placeholder('CompensationDlqUrl'), dlq);
    text = text.replace(/\$\{\w+Arn\}/g, h.functionArn('saga'));
    const arn = h.register('store-local-checkout', JSON.parse(text) as Record<string, unknown>);
    const executionArn = await h.start(arn, { orderId: 'ord_42' }, 'ord_42');
    const described = await h.finished(executionArn);
    expect(described.status, `${described.error}: ${described.cause}`).toBe('SUCCEEDED');
    expect(outputOf(described)).toMatchObject({ orderId: 'ord_42', order: { total: 2599 } });
    const [message] = await h.receive(queue);
    const event = JSON.parse(message?.Body ?? '{}') as {
      'detail-type': string;
      detail: Record<string, unknown>;
    };
    expect(event['detail-type']).toBe('OrderPlaced');
    expect(event.detail).toEqual({
      version: 2,
      orderId: 'ord_42',
      userId: 'alice',
      lines: [{ sku: 'SKU-1', productId: 'p-1', quantity: 1, unitPrice: 2599 }],
      total: { amount: 2599, currency: 'USD' },
      shipTo: { country: 'US', region: 'IL' },
      contact: { email: 'alice@example.com' },
      placedAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

const LAMBDA_RESOURCES = ['arn:aws:states:::lambda:invoke', 'a function ARN'] as const;

/** A Task calling `fn` through the optimized integration or by its ARN, with Retry/Catch as given. */
function lambdaTask(
  how: (typeof LAMBDA_RESOURCES)[number],
  fn: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return how === 'a function ARN'
    ? { Type: 'Task', Resource: h.functionArn(fn), ...extra }
    : { Type: 'Task', Resource: how, Parameters: { FunctionName: fn, 'Payload.$': '$' }, ...extra };
}

const caught = (errors: string[]) => ({
  Catch: [{ ErrorEquals: errors, ResultPath: '$.error', Next: 'Caught' }],
});
const CAUGHT = { Caught: { Type: 'Pass', End: true } };

async function caughtError(definition: Record<string, unknown>, input: unknown = {}) {
  const out = outputOf(await h.run(register(definition), input));
  return out.error as { Error: string; Cause: string };
}

describe('Lambda task errors', () => {
  // "Handling errors in Step Functions workflows" and "AWS Lambda function errors in Node.js": the
  // function's errorType is the error name; the cause is Lambda's error document as JSON text.
  it.each(LAMBDA_RESOURCES)(
    '%s: a function error is its errorType, the cause its error document',
    async (how) => {
      const error = await caughtError(
        single(lambdaTask(how, 'thrower', caught(['PaymentDeclined'])), CAUGHT),
      );
      expect(error.Error).toBe('PaymentDeclined');
      const cause = JSON.parse(error.Cause) as { errorType: string; errorMessage: string; trace: string[] };
      expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
      expect(cause).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
      expect(cause.trace[0]).toBe('PaymentDeclined: card declined');
    },
  );

  // "Handle Lambda service exceptions": unhandled errors such as function timeouts are reported
  // as Lambda.Unknown, which States.TaskFailed matches.
  it('a function timeout is Lambda.Unknown', async () => {
    const error = await caughtError(
      single(lambdaTask(LAMBDA_RESOURCES[0], 'sleeper', caught(['States.TaskFailed'])), CAUGHT),
      { seconds: 3 },
    );
    expect(error.Error).toBe('Lambda.Unknown');
    expect(error.Cause).toMatch(
      /^The cause could not be determined because Lambda did not return an error type\. Returned payload: \{"errorMessage":".* Task timed out after 1\.00 seconds"\}$/,
    );
  });

  // "Handle Lambda service exceptions": Invoke API failures are Lambda.<exception>; its Retry
  // example lists these four, and a Retry on them re-invokes the function.
  it.each([
    'ClientExecutionTimeoutException',
    'ServiceException',
    'AWSLambdaException',
    'SdkClientException',
  ])('Lambda.%s is retried by the documented Retry', async (exception) => {
    const before = h.runtime.invocations.get('ok')?.count ?? 0;
    h.sfn.injectLambdaServiceError('ok', exception, 2);
    const arn = register(
      single(
        lambdaTask(LAMBDA_RESOURCES[0], 'ok', {
          Retry: [
            {
              ErrorEquals: [
                'Lambda.ClientExecutionTimeoutException',
                'Lambda.ServiceException',
                'Lambda.AWSLambdaException',
                'Lambda.SdkClientException',
              ],
              IntervalSeconds: 1,
              MaxAttempts: 2,
              BackoffRate: 1,
            },
          ],
        }),
      ),
    );
    const out = outputOf(await h.run(arn, { n: 1 }));
    expect(out).toMatchObject({ StatusCode: 200, Payload: { ok: true, event: { n: 1 } } });
    // The two refused calls never reached the function.
    expect((h.runtime.invocations.get('ok')?.count ?? 0) - before).toBe(1);
  });

  // "Handle Lambda service exceptions": when Lambda hits its invocation limit the error is
  // Lambda.TooManyRequestsException, whichever way the function is called.
  it.each(LAMBDA_RESOURCES)('%s: a throttle is Lambda.TooManyRequestsException', async (how) => {
    h.sfn.injectLambdaServiceError('ok', 'TooManyRequestsException', 2, 'Rate Exceeded.');
    const error = await caughtError(
      single(
        lambdaTask(how, 'ok', {
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 1 }],
          ...caught(['Lambda.TooManyRequestsException']),
        }),
        CAUGHT,
      ),
    );
    expect(error.Error).toBe('Lambda.TooManyRequestsException');
    expect(error.Cause).toMatch(
      /^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;/,
    );
  });

  // Same page: "Lambda errors are reported as Lambda.ErrorName", a missing function included.
  it('a missing function is Lambda.ResourceNotFoundException', async () => {
    const error = await caughtError(
      single(lambdaTask(LAMBDA_RESOURCES[0], 'no-such-function', caught(['States.ALL'])), CAUGHT),
    );
    expect(error.Error).toBe('Lambda.ResourceNotFoundException');
  });
});

describe('the callback pattern (.waitForTaskToken)', () => {
  /** sqs:sendMessage.waitForTaskToken with the token in the message, as "Wait for a Callback with the Task Token" shows. */
  function callbackMachine(
    queue: string,
    fields: Record<string, unknown> = {},
    rest: Record<string, unknown> = {},
  ) {
    return register(
      single(
        {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: queue, MessageBody: { 'Input.$': '$', 'TaskToken.$': '$$.Task.Token' } },
          ResultPath: '$.callback',
          ...fields,
        },
        rest,
      ),
    );
  }

  // "Wait for a Callback with the Task Token": $$.Task.Token reaches the message; the task waits
  // for SendTaskSuccess, whose output is its result. "SendTaskSuccess": a closed task's token
  // answers TaskTimedOut, a token Step Functions never issued InvalidToken.
  it('passes $$.Task.Token, waits for SendTaskSuccess, then treats the token as spent', async () => {
    const queue = await h.queue('conformance-callback');
    const executionArn = await h.start(callbackMachine(queue), { order: 'o-7' });
    const token = await tokenFrom(queue);
    await sleep(300);
    expect((await h.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(outputOf(await h.finished(executionArn))).toEqual({ order: 'o-7', callback: { approved: true } });
    await expect(
      h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(
      h.client.send(new SendTaskHeartbeatCommand({ taskToken: 'AAAA-not-a-token' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  // "Invoke an AWS Lambda function with Step Functions": lambda:invoke.waitForTaskToken hands the
  // token to the function; SendTaskFailure fails the task with the error and cause it gives.
  it('fails the task with the error and cause of SendTaskFailure', async () => {
    const error = await caughtError(
      single(
        {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'rejecter', Payload: { 'token.$': '$$.Task.Token' } },
          ...caught(['Rejected']),
        },
        CAUGHT,
      ),
    );
    expect(error).toEqual({ Error: 'Rejected', Cause: 'manual review' });
  });

  // "Handling errors in Step Functions workflows": a Task that does not heartbeat within
  // HeartbeatSeconds fails with States.HeartbeatTimeout; the token is spent ("SendTaskHeartbeat").
  it('fails a silent task with States.HeartbeatTimeout', async () => {
    const queue = await h.queue('conformance-heartbeat-silent');
    const arn = callbackMachine(
      queue,
      { HeartbeatSeconds: 1, TimeoutSeconds: 60, ...caught(['States.HeartbeatTimeout']) },
      CAUGHT,
    );
    const executionArn = await h.start(arn, {});
    const token = await tokenFrom(queue);
    const out = outputOf(await h.finished(executionArn));
    expect((out.error as { Error: string }).Error).toBe('States.HeartbeatTimeout');
    await expect(h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  // "SendTaskHeartbeat": each heartbeat resets the heartbeat clock.
  it('keeps a task that heartbeats alive past HeartbeatSeconds', async () => {
    const queue = await h.queue('conformance-heartbeat-alive');
    const executionArn = await h.start(
      callbackMachine(queue, { HeartbeatSeconds: 2, TimeoutSeconds: 60 }),
      {},
    );
    const token = await tokenFrom(queue);
    for (let i = 0; i < 6; i++) {
      await sleep(700);
      await h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '"done"' }));
    expect(outputOf(await h.finished(executionArn))).toEqual({ callback: 'done' });
  });

  // "Task workflow state": past TimeoutSeconds the state fails with States.Timeout; "Handling
  // errors in Step Functions workflows": States.TaskFailed matches any error except States.Timeout.
  it('times out with States.Timeout, which States.TaskFailed does not catch', async () => {
    const queue = await h.queue('conformance-callback-timeout');
    const arn = callbackMachine(
      queue,
      {
        TimeoutSeconds: 1,
        Catch: [
          { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Failed' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' },
        ],
      },
      {
        Failed: { Type: 'Pass', Result: 'failed', ResultPath: '$.outcome', End: true },
        TimedOut: { Type: 'Pass', Result: 'timed out', ResultPath: '$.outcome', End: true },
      },
    );
    const executionArn = await h.start(arn, {});
    const token = await tokenFrom(queue);
    const out = outputOf(await h.finished(executionArn));
    expect(out).toMatchObject({ outcome: 'timed out', error: { Error: 'States.Timeout' } });
    await expect(
      h.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Late' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});

describe('registration refuses what the engine does not emulate', () => {
  const task = (state: Record<string, unknown>) => single({ Type: 'Task', ...state });
  const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ok`;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a .sync (run a job) resource',
      task({ Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: {} }),
      /startExecution\.sync:2' is not emulated locally/,
    ],
    [
      'an integration it lacks',
      task({ Resource: 'arn:aws:states:::sns:publish' }),
      /sns:publish' is not emulated locally/,
    ],
    [
      'an AWS SDK integration',
      task({ Resource: 'arn:aws:states:::aws-sdk:s3:getObject' }),
      /aws-sdk:s3:getObject' is not emulated locally/,
    ],
    [
      'an activity',
      task({ Resource: `arn:aws:states:${REGION}:${ACCOUNT}:activity:review` }),
      /activities \(GetActivityTask workers\) is not emulated locally/,
    ],
    [
      'the callback pattern on DynamoDB',
      task({ Resource: 'arn:aws:states:::dynamodb:putItem.waitForTaskToken', Parameters: {} }),
      /does not support the callback pattern/,
    ],
    [
      '.waitForTaskToken on a function ARN',
      task({ Resource: `${fn}.waitForTaskToken` }),
      /needs arn:aws:states:::lambda:invoke\.waitForTaskToken/,
    ],
    [
      'TimeoutSecondsPath',
      task({ Resource: fn, TimeoutSecondsPath: '$.timeout' }),
      /field 'TimeoutSecondsPath' is not emulated locally/,
    ],
    [
      'HeartbeatSeconds on a request-response task',
      task({ Resource: fn, HeartbeatSeconds: 5, TimeoutSeconds: 10 }),
      /heartbeats are emulated only on \.waitForTaskToken tasks/,
    ],
    [
      'HeartbeatSeconds not below TimeoutSeconds',
      task({
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'q', MessageBody: 'm' },
        HeartbeatSeconds: 10,
        TimeoutSeconds: 10,
      }),
      /HeartbeatSeconds: must be less than TimeoutSeconds/,
    ],
    [
      'JSONata',
      { ...task({ Resource: fn }), QueryLanguage: 'JSONata' },
      /QueryLanguage 'JSONata' is not emulated locally/,
    ],
    [
      'variables (Assign)',
      task({ Resource: fn, Assign: { x: 1 } }),
      /field 'Assign' is not emulated locally/,
    ],
    [
      'the State part of the context object',
      task({ Resource: fn, Parameters: { 'name.$': '$$.State.Name' } }),
      /context path '\$\$\.State\.Name' is not emulated locally/,
    ],
    [
      '$$.Task.Token outside a callback task',
      task({
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'ok', 'Payload.$': '$$.Task.Token' },
      }),
      /context path '\$\$\.Task\.Token' is not emulated locally/,
    ],
    [
      'an Invoke parameter it lacks',
      task({
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'ok', LogType: 'Tail' },
      }),
      /field 'LogType' of lambda:invoke is not emulated locally/,
    ],
    [
      'asynchronous invocation',
      task({
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'ok', InvocationType: 'Event' },
      }),
      /InvocationType other than a literal 'RequestResponse' is not emulated locally/,
    ],
    [
      'a Distributed Map',
      single({
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: {} },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Each',
          States: { Each: { Type: 'Pass', End: true } },
        },
      }),
      /field 'ItemReader' is not emulated locally/,
    ],
    [
      '$$.Execution.Input inside a Map iteration',
      single({
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Each',
          States: { Each: { Type: 'Pass', Parameters: { 'original.$': '$$.Execution.Input' }, End: true } },
        },
      }),
      /context path '\$\$\.Execution\.Input' is not emulated locally/,
    ],
    [
      'a state name used twice',
      single({
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } },
          { StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } },
        ],
      }),
      /the state name 'Same' is used more than once/,
    ],
  ];

  it.each(cases)('refuses %s, naming it', (_what, definition, message) => {
    expect(() => h.register(`refused-${++machines}`, definition)).toThrow(message);
  });

  // "CreateStateMachine" (API Reference): an unusable definition answers InvalidDefinition.
  it('answers CreateStateMachine with InvalidDefinition naming the resource', async () => {
    const definition = JSON.stringify(task({ Resource: 'arn:aws:states:::sns:publish' }));
    await expect(
      h.client.send(
        new CreateStateMachineCommand({
          name: 'refused-over-the-wire',
          definition,
          roleArn: 'arn:aws:iam::1:role/r',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringMatching(/sns:publish/) });
    const created = await h.client.send(
      new CreateStateMachineCommand({
        name: 'created-over-the-wire',
        definition: JSON.stringify(task({ Resource: fn })),
        roleArn: 'arn:aws:iam::1:role/r',
      }),
    );
    expect(outputOf(await h.run(created.stateMachineArn ?? '', { x: 1 }))).toEqual({
      ok: true,
      event: { x: 1 },
    });
  });
});

describe('timeouts, the payload quota and execution names', () => {
  // "Using timeouts to avoid stuck Step Functions workflow executions": the Amazon States
  // Language sets no timeout by default; a Task without TimeoutSeconds waits as long as its work.
  it('lets a Task without TimeoutSeconds run past a minute', { timeout: 120_000 }, async () => {
    const arn = register(single({ Type: 'Task', Resource: h.functionArn('patient') }));
    const described = await h.finished(await h.start(arn, { seconds: 65 }), 90_000);
    expect(described.status, `${described.error}: ${described.cause}`).toBe('SUCCEEDED');
    expect(outputOf(described)).toEqual({ slept: 65 });
  });

  // "Task workflow state": TimeoutSeconds is any positive integer (99999999 is the documented default).
  it('honours a TimeoutSeconds longer than a timer can wait', async () => {
    const arn = register(single({ Type: 'Task', Resource: h.functionArn('ok'), TimeoutSeconds: 99_999_999 }));
    expect(outputOf(await h.run(arn, { y: 2 }))).toEqual({ ok: true, event: { y: 2 } });
  });

  // "Step Functions service quotas": 256 KiB (UTF-8) for an execution's input. "StartExecution":
  // input has a maximum length of 262144, a constraint answered with ValidationException.
  it('refuses an execution input over 256 KiB', async () => {
    const arn = register(single({ Type: 'Pass' }));
    await expect(h.start(arn, { s: 'é'.repeat(131_072) })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(outputOf(await h.run(arn, { s: 'a'.repeat(200_000) }))).toEqual({ s: 'a'.repeat(200_000) });
  });

  // "Handling errors in Step Functions workflows": a connector output over the quota raises
  // States.DataLimitExceeded, a terminal error that States.ALL does not catch.
  it('fails a task result over 256 KiB with States.DataLimitExceeded, past any Catch', async () => {
    const arn = register(
      single({ Type: 'Task', Resource: h.functionArn('big'), ...caught(['States.ALL']) }, CAUGHT),
    );
    const described = await h.run(arn, { bytes: 300_000 });
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.DataLimitExceeded');
  });

  // Same page: a state output over the quota is States.DataLimitExceeded too; the execution fails
  // there, so the next state never acts.
  it('fails a state output over 256 KiB before the next state acts', async () => {
    const queue = await h.queue('conformance-after-oversize');
    const arn = register({
      StartAt: 'Double',
      States: {
        Double: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, Next: 'Send' },
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: queue, MessageBody: 'must not be sent' },
          End: true,
        },
      },
    });
    const described = await h.run(arn, { s: 'y'.repeat(150_000) });
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.DataLimitExceeded');
    expect(described.cause).toMatch(/'Double'/);
    expect(await h.receive(queue, 1500)).toEqual([]);
  });

  // "StartExecution": a name must not contain whitespace, brackets < > { } [ ], wildcards ? *,
  // the special characters " # % \ ^ | ~ ` $ & , ; : / or control characters (U+0000-001F,
  // U+007F-009F), surrogates or U+FFFE-FFFF; such a name answers InvalidName.
  const forbidden = [
    'has space',
    'tab\there',
    'line\nbreak',
    'no\u00a0break',
    ...'<>{}[]?*"#%\\^|~`$&,;:/'.split('').map((c) => `x${c}y`),
    'nul\u0000',
    'bell\u0007',
    'del\u007f',
    'c1\u0085',
    'c1\u009f',
    'nonchar\ufffe',
    'lone\ud800surrogate',
  ];
  it.each(forbidden)('refuses the execution name %j with InvalidName', async (name) => {
    const arn = register(single({ Type: 'Pass' }));
    await expect(h.start(arn, {}, name)).rejects.toMatchObject({ name: 'InvalidName' });
  });

  // "StartExecution": name length is 1 to 80; outside that range the request fails validation.
  it('accepts names of 1 to 80 allowed characters and refuses longer or empty ones', async () => {
    const arn = register(single({ Type: 'Pass' }));
    for (const name of ['a'.repeat(80), 'order-1_2.3=4+5@6!7(8)', 'köln-ü', 'x'])
      expect(await h.start(arn, {}, name)).toBe(`${arn.replace(':stateMachine:', ':execution:')}:${name}`);
    for (const name of ['b'.repeat(81), ''])
      await expect(
        h.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}', name })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
