/**
 * SQS event source mappings and EventBridge rules on the local cloud against the rules of AWS
 * Lambda and Amazon EventBridge: filter criteria, partial batch responses, batching windows,
 * concurrent batches, throttling, the mapping checks CreateEventSourceMapping makes, and rule
 * delivery to SQS, Lambda and Step Functions targets with input transformation, retries and
 * dead-letter queues. Each rule names the AWS documentation page it comes from.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../local/deploy.ts';
import { type RuleDefinition, RuleDelivery } from '../../local/runtime/event-rules.ts';
import { QueuePoller } from '../../local/runtime/event-sources.ts';
import {
  EventsHarness,
  mappingResource,
  maxOverlap,
  queueResource,
  type Recorded,
} from './support/events-harness.ts';

let h: EventsHarness;

beforeAll(async () => {
  h = await EventsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

/** Runs the deployment's SQS pollers around `body`. */
async function polling(deployment: Deployment, body: () => Promise<void>): Promise<void> {
  const pollers = deployment.mappings.map((m) => new QueuePoller(m, h.context(deployment)));
  for (const poller of pollers) poller.start();
  try {
    await body();
  } finally {
    await Promise.all(pollers.map((p) => p.stop()));
  }
}

/** Runs the deployment's rule delivery around `body`. */
async function delivering(
  deployment: Deployment,
  body: (delivery: RuleDelivery) => Promise<void>,
): Promise<void> {
  const delivery = new RuleDelivery(deployment.rules, {
    ...h.context(deployment),
    stepFunctionsUrl: h.stepFunctions.url,
    retryBaseDelayMs: 20,
  });
  delivery.start();
  try {
    await body(delivery);
  } finally {
    await delivery.stop();
  }
}

function records(recorded: Recorded[]) {
  return recorded.flatMap((r) => r.event.Records ?? []);
}

let unique = 0;
const name = (base: string) => `${base}-${++unique}`;

describe('SQS event source mappings', () => {
  // "Using event filtering with an Amazon SQS event source" (only the body key) and "Control
  // which events Lambda sends to your function" ("Properly filtering Amazon SQS messages": a JSON
  // body is filtered by its fields, a plain-string body only by a plain-string pattern, a format
  // mismatch drops the message, and Lambda removes messages that do not match from the queue).
  it('invokes only with messages the filter criteria match and deletes the rest without invoking', async () => {
    const fn = h.fn(name('filtered'), 'record({ event });');
    const queue = name('filtered-q');
    const d = await h.deploy({
      Fn: fn.resource,
      Queue: queueResource(queue),
      Mapping: mappingResource('Fn', 'Queue', {
        FilterCriteria: {
          Filters: [
            { Pattern: JSON.stringify({ body: { type: ['order'] } }) },
            { Pattern: JSON.stringify({ body: [{ prefix: 'ping' }] }) },
          ],
        },
      }),
    });
    const url = h.queueUrl(d, queue);
    await polling(d, async () => {
      await h.send(url, ['{"type":"order","n":1}', '{"type":"refund"}', 'ping-1', 'pong', '"ping-2"']);
      await h.recordedMessages(fn.records, 2);
      // Past the visibility timeout: nothing rejected comes back, nothing is left on the queue.
      await sleep(1800);
      expect(
        records(h.records(fn.records))
          .map((r) => r.body)
          .sort(),
      ).toEqual(['ping-1', '{"type":"order","n":1}']);
      expect(await h.depth(url)).toBe(0);
    });
  });

  // "Handling errors for an SQS event source in Lambda", success and failure conditions: an empty
  // string, null or missing itemIdentifier, or one naming no message of the batch, makes the
  // whole batch a failure.
  it.each([
    ['an empty itemIdentifier', "{ itemIdentifier: '' }"],
    ['a null itemIdentifier', '{ itemIdentifier: null }'],
    ['an itemIdentifier naming no message of the batch', "{ itemIdentifier: 'not-in-this-batch' }"],
    ['a bad key name', '{ itemId: event.Records[0].messageId }'],
  ])('treats a batch response with %s as a failure of the whole batch', async (_case, failure) => {
    const fn = h.fn(
      name('bad-ids'),
      `record({ event });
       const first = event.Records.some((r) => r.attributes.ApproximateReceiveCount === '1');
       return first ? { batchItemFailures: [${failure}] } : { batchItemFailures: [] };`,
    );
    const queue = name('bad-ids-q');
    const d = await h.deploy({
      Fn: fn.resource,
      Queue: queueResource(queue),
      Mapping: mappingResource('Fn', 'Queue', { FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    });
    const url = h.queueUrl(d, queue);
    await polling(d, async () => {
      await h.send(url, ['a', 'b', 'c']);
      const seen = records(await h.recordedMessages(fn.records, 6, 6000));
      const counts = (body: string) =>
        seen.filter((r) => r.body === body).map((r) => r.attributes.ApproximateReceiveCount);
      for (const body of ['a', 'b', 'c']) expect(counts(body)).toEqual(['1', '2']);
    });
  });

  // "Handling errors for an SQS event source in Lambda": partial batch responses are read only
  // when FunctionResponseTypes includes ReportBatchItemFailures; otherwise a successful
  // invocation deletes the whole batch.
  it('reads batchItemFailures only when FunctionResponseTypes includes ReportBatchItemFailures', async () => {
    const body = `record({ event });
      return { batchItemFailures: event.Records.filter((r) => r.body === 'b').map((r) => ({ itemIdentifier: r.messageId })) };`;
    const reporting = h.fn(name('reporting'), body);
    const ignoring = h.fn(name('ignoring'), body);
    const [q1, q2] = [name('reporting-q'), name('ignoring-q')];
    const d = await h.deploy({
      Reporting: reporting.resource,
      Ignoring: ignoring.resource,
      Q1: queueResource(q1),
      Q2: queueResource(q2),
      M1: mappingResource('Reporting', 'Q1', { FunctionResponseTypes: ['ReportBatchItemFailures'] }),
      M2: mappingResource('Ignoring', 'Q2'),
    });
    await polling(d, async () => {
      await h.send(h.queueUrl(d, q1), ['a', 'b', 'c']);
      await h.send(h.queueUrl(d, q2), ['a', 'b', 'c']);
      await h.recordedMessages(reporting.records, 4, 6000);
      await sleep(1500);
      const bodies = (file: string) =>
        records(h.records(file))
          .map((r) => r.body)
          .sort();
      expect(bodies(reporting.records).filter((b) => b === 'b').length).toBeGreaterThanOrEqual(2);
      expect(bodies(reporting.records).filter((b) => b !== 'b')).toEqual(['a', 'c']);
      expect(bodies(ignoring.records)).toEqual(['a', 'b', 'c']);
      expect(await h.depth(h.queueUrl(d, q2))).toBe(0);
    });
  });

  // "How Lambda processes records from stream and queue-based event sources" (batching
  // behavior: Lambda gathers records until the batching window ends, the batch size is reached
  // or the payload reaches 6 MB) and "EventSourceMappingConfiguration" (BatchSize up to 10,000
  // for SQS with a window of at least one second).
  it('gathers records across receives until the batching window closes, past ten per batch', async () => {
    const fn = h.fn(name('windowed'), 'record({ event });', 1);
    const queue = name('windowed-q');
    const d = await h.deploy({
      Fn: fn.resource,
      Queue: queueResource(queue, { VisibilityTimeout: 5 }),
      Mapping: mappingResource('Fn', 'Queue', { BatchSize: 15, MaximumBatchingWindowInSeconds: 1 }),
    });
    const url = h.queueUrl(d, queue);
    await polling(d, async () => {
      for (let i = 0; i < 3; i++) {
        await h.send(
          url,
          [0, 1, 2, 3].map((j) => `m${i * 4 + j}`),
        );
        await sleep(200);
      }
      const invocations = await h.recorded(fn.records, 1, 5000);
      await sleep(500);
      expect(h.records(fn.records)).toHaveLength(1);
      expect(records(invocations)).toHaveLength(12);
    });
  });

  // "Configuring scaling behavior for SQS event source mappings": Lambda starts with five
  // concurrent batches and scales up while messages remain; ScalingConfig.MaximumConcurrency
  // caps the concurrent invocations of the mapping.
  it('processes five batches at once by default and no more than MaximumConcurrency when set', async () => {
    const slow = 'const at = Date.now(); await sleep(400); record({ at, end: Date.now(), event });';
    const open = h.fn(name('scaling'), slow);
    const capped = h.fn(name('capped'), slow);
    const [q1, q2] = [name('scaling-q'), name('capped-q')];
    const d = await h.deploy({
      Open: open.resource,
      Capped: capped.resource,
      Q1: queueResource(q1),
      Q2: queueResource(q2),
      M1: mappingResource('Open', 'Q1', { BatchSize: 1 }),
      M2: mappingResource('Capped', 'Q2', { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } }),
    });
    const bodies = ['1', '2', '3', '4', '5', '6'];
    await polling(d, async () => {
      await h.send(h.queueUrl(d, q1), bodies);
      await h.send(h.queueUrl(d, q2), bodies);
      const opened = await h.recorded(open.records, 6);
      const cappedRuns = await h.recorded(capped.records, 6);
      expect(maxOverlap(opened)).toBeGreaterThanOrEqual(5);
      expect(maxOverlap(cappedRuns)).toBe(2);
    });
  });

  // "Handling errors for an SQS event source in Lambda", backoff strategy: a throttled
  // invocation is retried until the messages' visibility timeout would run out.
  it('retries a throttled invocation within the visibility timeout instead of waiting for it', async () => {
    const fn = h.fn(name('throttled-once'), 'record({ event });');
    const queue = name('throttled-once-q');
    const d = await h.deploy({
      Fn: fn.resource,
      Queue: queueResource(queue, { VisibilityTimeout: 5 }),
      Mapping: mappingResource('Fn', 'Queue'),
    });
    h.runtime.throttle(fn.resource.Properties?.FunctionName as string, 2);
    await polling(d, async () => {
      const sent = Date.now();
      await h.send(h.queueUrl(d, queue), ['x']);
      const runs = await h.recorded(fn.records, 1, 8000);
      expect(records(runs).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1']);
      expect(runs[0]?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(sent + 5000);
    });
  });

  // "Handling errors for an SQS event source in Lambda": after a function error or throttling
  // past the visibility timeout the messages become visible again; "Creating and configuring an
  // Amazon SQS event source mapping": after maxReceiveCount receives SQS moves them to the
  // queue's dead-letter queue.
  it('leaves failed and throttled batches to reappear and then redrive to the dead-letter queue', async () => {
    const failing = h.fn(name('failing'), "record({ event }); throw new Error('cannot process');");
    const throttled = h.fn(name('always-throttled'), 'record({ event });');
    const [q1, dlq1, q2, dlq2] = [
      name('failing-q'),
      name('failing-dlq'),
      name('throttled-q'),
      name('throttled-dlq'),
    ];
    const redrive = (dlq: string) => ({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 2 },
    });
    const d = await h.deploy({
      Failing: failing.resource,
      Throttled: throttled.resource,
      Dlq1: queueResource(dlq1),
      Dlq2: queueResource(dlq2),
      Q1: queueResource(q1, redrive('Dlq1')),
      Q2: queueResource(q2, redrive('Dlq2')),
      M1: mappingResource('Failing', 'Q1'),
      M2: mappingResource('Throttled', 'Q2'),
    });
    const throttledName = throttled.resource.Properties?.FunctionName as string;
    h.runtime.throttle(throttledName, Number.POSITIVE_INFINITY);
    await polling(d, async () => {
      await h.send(h.queueUrl(d, q1), ['poison']);
      await h.send(h.queueUrl(d, q2), ['stuck']);
      const [dead1] = await h.receive(h.queueUrl(d, dlq1), 1);
      const [dead2] = await h.receive(h.queueUrl(d, dlq2), 1);
      expect(dead1?.Body).toBe('poison');
      expect(dead2?.Body).toBe('stuck');
      expect(records(h.records(failing.records)).map((r) => r.attributes.ApproximateReceiveCount)).toEqual([
        '1',
        '2',
      ]);
      expect(h.records(throttled.records)).toHaveLength(0);
      // Two receives, each retried while its visibility timeout lasted.
      expect(h.runtime.callsTo(throttledName)).toBeGreaterThanOrEqual(4);
    });
  });

  // "Creating and configuring an Amazon SQS event source mapping" (the function timeout must
  // not exceed the queue's visibility timeout; Lambda validates it on create), "EventSourceMapping
  // Configuration" (BatchSize above 10 needs a batching window of at least 1 second) and "Using
  // event filtering with an Amazon SQS event source" (only the body key).
  it.each([
    [
      'a queue visibility timeout shorter than the function timeout',
      { VisibilityTimeout: 5 },
      {},
      /InvalidParameterValueException: Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds/,
    ],
    [
      'a batch size above 10 without a batching window',
      { VisibilityTimeout: 30 },
      { BatchSize: 20 },
      /Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10/,
    ],
    [
      'a filter on a key other than body',
      { VisibilityTimeout: 30 },
      { FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ attributes: { SenderId: ['me'] } }) }] } },
      /only support filtering on the body key/,
    ],
  ])(
    'fails the deploy for %s, as CreateEventSourceMapping does',
    async (_case, queueProps, mappingProps, error) => {
      const fn = h.fn(name('rejected'), 'return {};', 10);
      await expect(
        h.deploy({
          Fn: fn.resource,
          Queue: queueResource(name('rejected-q'), queueProps),
          Mapping: mappingResource('Fn', 'Queue', mappingProps),
        }),
      ).rejects.toThrow(error);
    },
  );
});

describe('EventBridge rules', () => {
  async function bus(): Promise<{
    name: string;
    resource: { Type: string; Properties: Record<string, unknown> };
  }> {
    const busName = name('orders-bus');
    return { name: busName, resource: { Type: 'AWS::Events::EventBus', Properties: { Name: busName } } };
  }

  const pattern = { source: ['store.orders'], 'detail-type': ['OrderPlaced'] };

  // "Amazon EventBridge targets" and "Invoking a Lambda function asynchronously" (EventBridge
  // invokes functions asynchronously with the event; a state machine target starts an execution
  // with the event as input; a queue target receives it as the message body). A rule that is
  // DISABLED delivers nothing ("Disabling or deleting a rule in Amazon EventBridge").
  it('delivers matched events to Lambda, SQS and Step Functions targets, and nothing else', async () => {
    const b = await bus();
    const fn = h.fn(name('on-order'), 'record({ event });');
    const [queue, idle] = [name('orders-q'), name('disabled-q')];
    const machine = name('order-flow');
    const d = await h.deploy({
      Bus: b.resource,
      Fn: fn.resource,
      Queue: queueResource(queue),
      Idle: queueResource(idle),
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: machine,
          DefinitionString: JSON.stringify({
            StartAt: 'Done',
            States: { Done: { Type: 'Pass', End: true } },
          }),
        },
      },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          Targets: [
            { Id: 'fn', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
            { Id: 'queue', Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
            { Id: 'flow', Arn: { Ref: 'Machine' }, RoleArn: 'arn:aws:iam::123456789012:role/events' },
          ],
        },
      },
      Disabled: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          State: 'DISABLED',
          Targets: [{ Id: 'idle', Arn: { 'Fn::GetAtt': ['Idle', 'Arn'] } }],
        },
      },
    });
    await delivering(d, async () => {
      await h.putEvent(b.name, 'store.orders', 'OrderCancelled', { orderId: 'o-0' });
      const id = await h.putEvent(b.name, 'store.orders', 'OrderPlaced', { orderId: 'o-1' });
      const [run] = await h.recorded(fn.records, 1);
      const event = run?.event;
      expect(event).toMatchObject({
        version: '0',
        id,
        'detail-type': 'OrderPlaced',
        source: 'store.orders',
        account: '123456789012',
        region: 'us-east-1',
        resources: [],
        detail: { orderId: 'o-1' },
      });
      expect(String(event?.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const [message] = await h.receive(h.queueUrl(d, queue), 1);
      expect(JSON.parse(message?.Body ?? '{}')).toEqual(event);
      const machineArn = d.stateMachines.find((m) => m.name === machine)?.arn;
      let executions: { executionArn?: string }[] = [];
      for (let i = 0; i < 100 && executions.length === 0; i++) {
        executions =
          (await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions ?? [];
        if (executions.length === 0) await sleep(50);
      }
      expect(executions).toHaveLength(1);
      const execution = await h.sfn.send(
        new DescribeExecutionCommand({ executionArn: executions[0]?.executionArn }),
      );
      expect(JSON.parse(execution.input ?? '{}')).toEqual(event);
      await sleep(500);
      expect(h.records(fn.records)).toHaveLength(1);
      expect(await h.depth(h.queueUrl(d, idle))).toBe(0);
    });
  });

  // "Amazon EventBridge input transformation": InputPathsMap variables by JSONPath (dot
  // notation, array indices, wildcards), the predefined variables, strings quoted outside quotes
  // and inserted as text inside them, a missing path as an empty value, JSON minified; a string
  // template yields the string. "PutTargets": Input is passed as is, InputPath selects a part.
  it('shapes what each target receives with InputTransformer, Input and InputPath', async () => {
    const b = await bus();
    const queues = {
      json: name('json-q'),
      text: name('text-q'),
      constant: name('constant-q'),
      part: name('part-q'),
    };
    const target = (id: string, logicalId: string, extra: Record<string, unknown>) => ({
      Id: id,
      Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
      ...extra,
    });
    const paths = {
      id: '$.detail.orderId',
      total: '$.detail.total',
      items: '$.detail.items',
      first: '$.detail.items[0].sku',
      skus: '$.detail.items[*].sku',
      status: '$.detail.status',
      missing: '$.detail.nothing',
    };
    const ruleName = name('shaping');
    const d = await h.deploy({
      Bus: b.resource,
      Json: queueResource(queues.json),
      Text: queueResource(queues.text),
      Constant: queueResource(queues.constant),
      Part: queueResource(queues.part),
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: ruleName,
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          Targets: [
            target('json', 'Json', {
              InputTransformer: {
                InputPathsMap: paths,
                InputTemplate: `{
                  "order": <id>, "total": <total>, "items": <items>, "first": "<first>",
                  "note": "order <id> of <total>", "skus": <skus>, "missing": <missing>,
                  "rule": <aws.events.rule-name>, "ruleArn": "<aws.events.rule-arn>",
                  "at": <aws.events.event.ingestion-time>, "original": <aws.events.event>,
                  "whole": <aws.events.event.json>
                }`,
              },
            }),
            target('text', 'Text', {
              InputTransformer: { InputPathsMap: paths, InputTemplate: '"Order <id> is <status>"' },
            }),
            target('constant', 'Constant', { Input: '{"fixed": true}' }),
            target('part', 'Part', { InputPath: '$.detail' }),
          ],
        },
      },
    });
    const detail = { orderId: 'o-7', total: 42.5, status: 'PLACED', items: [{ sku: 'A' }, { sku: 'B' }] };
    await delivering(d, async () => {
      const id = await h.putEvent(b.name, 'store.orders', 'OrderPlaced', detail);
      const body = async (queue: string) => (await h.receive(h.queueUrl(d, queue), 1))[0]?.Body ?? '';
      const json = await body(queues.json);
      expect(json).toBe(JSON.stringify(JSON.parse(json)));
      const shaped = JSON.parse(json) as Record<string, unknown>;
      expect(shaped).toMatchObject({
        order: 'o-7',
        total: 42.5,
        items: detail.items,
        first: 'A',
        note: 'order o-7 of 42.5',
        skus: ['A', 'B'],
        missing: '',
        rule: ruleName,
        ruleArn: `arn:aws:events:us-east-1:123456789012:rule/${b.name}/${ruleName}`,
        original: { id, source: 'store.orders', 'detail-type': 'OrderPlaced' },
        whole: { id, detail },
      });
      expect(shaped.original).not.toHaveProperty('detail');
      expect(String(shaped.at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(await body(queues.text)).toBe('"Order o-7 is PLACED"');
      expect(await body(queues.constant)).toBe('{"fixed": true}');
      expect(JSON.parse(await body(queues.part))).toEqual(detail);
    });
  });

  // "Event retry policy and using dead-letter queues": failed deliveries are retried under the
  // target's RetryPolicy, then the event goes to its DLQ with the rule ARN, target ARN, error
  // code and message, exhausted retry condition and retry attempts as message attributes.
  it('retries a failing target MaximumRetryAttempts times, then sends the event to its dead-letter queue', async () => {
    const b = await bus();
    const fn = h.fn(name('overloaded'), 'record({ event });');
    const dlq = name('rule-dlq');
    const ruleName = name('retrying');
    const d = await h.deploy({
      Bus: b.resource,
      Fn: fn.resource,
      Dlq: queueResource(dlq),
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Name: ruleName,
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          Targets: [
            {
              Id: 'fn',
              Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
              RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
            },
          ],
        },
      },
    });
    const fnName = fn.resource.Properties?.FunctionName as string;
    h.runtime.throttle(fnName, Number.POSITIVE_INFINITY);
    await delivering(d, async () => {
      const id = await h.putEvent(b.name, 'store.orders', 'OrderPlaced', { orderId: 'o-9' });
      const [dead] = await h.receive(h.queueUrl(d, dlq), 1);
      expect(JSON.parse(dead?.Body ?? '{}')).toMatchObject({ id, detail: { orderId: 'o-9' } });
      const attribute = (key: string) => dead?.MessageAttributes?.[key]?.StringValue;
      expect(attribute('RULE_ARN')).toBe(`arn:aws:events:us-east-1:123456789012:rule/${b.name}/${ruleName}`);
      expect(attribute('TARGET_ARN')).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${fnName}`);
      expect(attribute('ERROR_CODE')).toBe('THROTTLING');
      expect(attribute('ERROR_MESSAGE')).toMatch(/TooManyRequestsException/);
      expect(attribute('EXHAUSTED_RETRY_CONDITION')).toBe('MaximumRetryAttempts');
      expect(attribute('RETRY_ATTEMPTS')).toBe('2');
      expect(h.runtime.callsTo(fnName)).toBe(3);
      expect(h.records(fn.records)).toHaveLength(0);
    });
  });

  // "Event retry policy and using dead-letter queues": errors such as a target resource that no
  // longer exists are not retried; the event goes straight to the DLQ.
  it('sends an event for a target that does not exist to the dead-letter queue without retrying', async () => {
    const b = await bus();
    const dlq = name('missing-dlq');
    const d = await h.deploy({
      Bus: b.resource,
      Dlq: queueResource(dlq),
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          Targets: [
            {
              Id: 'gone',
              Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:no-such-machine',
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
            },
          ],
        },
      },
    });
    await delivering(d, async () => {
      await h.putEvent(b.name, 'store.orders', 'OrderPlaced', { orderId: 'o-10' });
      const [dead] = await h.receive(h.queueUrl(d, dlq), 1);
      const attribute = (key: string) => dead?.MessageAttributes?.[key]?.StringValue;
      expect(attribute('ERROR_CODE')).toBe('NO_RESOURCE');
      expect(attribute('ERROR_MESSAGE')).toMatch(/StateMachineDoesNotExist/);
      expect(attribute('RETRY_ATTEMPTS')).toBe('0');
      expect(attribute('EXHAUSTED_RETRY_CONDITION')).toBeUndefined();
    });
  });

  // "RetryPolicy" (MaximumEventAgeInSeconds: how long EventBridge keeps retrying an unprocessed
  // event, 60 seconds at least) with "Event retry policy and using dead-letter queues".
  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    const b = await bus();
    const fn = h.fn(name('aged'), 'record({ event });');
    const dlq = name('aged-dlq');
    const d = await h.deploy({
      Bus: b.resource,
      Fn: fn.resource,
      Dlq: queueResource(dlq),
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: pattern,
          Targets: [
            {
              Id: 'fn',
              Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
              RetryPolicy: { MaximumEventAgeInSeconds: 60 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
            },
          ],
        },
      },
    });
    const fnName = fn.resource.Properties?.FunctionName as string;
    h.runtime.throttle(fnName, Number.POSITIVE_INFINITY);
    await delivering(d, async (delivery) => {
      const rule = d.rules[0] as RuleDefinition;
      const event = {
        version: '0',
        id: 'old-event',
        source: 'store.orders',
        'detail-type': 'OrderPlaced',
        detail: {},
      };
      // Received by EventBridge 61 seconds ago (it waited behind an outage of the target).
      await delivery.deliver(rule, event, Date.now() - 61_000);
      const [dead] = await h.receive(h.queueUrl(d, dlq), 1);
      expect(dead?.MessageAttributes?.EXHAUSTED_RETRY_CONDITION?.StringValue).toBe(
        'MaximumEventAgeInSeconds',
      );
      expect(dead?.MessageAttributes?.RETRY_ATTEMPTS?.StringValue).toBe('0');
      expect(h.runtime.callsTo(fnName)).toBe(1);
    });
  });

  // What the local delivery does not emulate fails the deploy instead of being dropped; the
  // checks PutTargets makes ("PutTargets", "Amazon EventBridge input transformation") fail it too.
  it.each([
    [
      'an SNS topic target',
      { Id: 't', Arn: 'arn:aws:sns:us-east-1:123456789012:alerts' },
      /target type is not emulated/,
    ],
    [
      'a field the local delivery does not emulate',
      {
        Id: 't',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        HttpParameters: { HeaderParameters: {} },
      },
      /HttpParameters is not emulated/,
    ],
    [
      'an InputTemplate placeholder with no variable',
      {
        Id: 't',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        InputTransformer: { InputPathsMap: {}, InputTemplate: '{"a": <undefined-variable>}' },
      },
      /invalid placeholder undefined-variable/,
    ],
    [
      'a dead-letter queue that is not an SQS queue',
      {
        Id: 't',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:123456789012:dead' },
      },
      /DeadLetterConfig.Arn must be an SQS queue/,
    ],
    [
      'two inputs on one target',
      {
        Id: 't',
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
        Input: '{}',
        InputPath: '$.detail',
      },
      /Only one of Input, InputPath, or InputTransformer/,
    ],
  ])('fails the deploy for %s', async (_case, target, error) => {
    const b = await bus();
    await expect(
      h.deploy({
        Bus: b.resource,
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: { EventBusName: { Ref: 'Bus' }, EventPattern: pattern, Targets: [target] },
        },
      }),
    ).rejects.toThrow(error);
  });
});
