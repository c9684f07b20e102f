/**
 * TransactWriteItems on the local cloud's DynamoDB (moto behind local/moto/server.py), held to what
 * DynamoDB documents:
 * - "Amazon DynamoDB Transactions: How it works" (Amazon DynamoDB Developer Guide): idempotency,
 *   error handling for writing, transaction conflict handling.
 * - "TransactWriteItems" (Amazon DynamoDB API Reference): ClientRequestToken, TransactItems (1 to
 *   100), and the TransactionCanceledException reason codes.
 * - "CancellationReason" (Amazon DynamoDB API Reference): one reason per action, in request order.
 */
import {
  type AttributeValue,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../local/support.ts';
import {
  conflictFaults,
  createTable,
  getItem,
  IDEMPOTENCY_WINDOW_VARIABLE,
  injectConflict,
  type LocalDynamo,
  rejectionOf,
  startLocalDynamo,
  streamRecords,
} from './support/dynamodb-moto.ts';

const STOCK = 'stock';
const LEDGER = 'ledger';

let dynamo: LocalDynamo;
let stockStream: string;
let ledgerStream: string;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  stockStream = await createTable(dynamo.db, STOCK, ['pk']);
  ledgerStream = await createTable(dynamo.db, LEDGER, ['pk', 'sk']);
});

afterAll(async () => {
  await dynamo?.stop();
});

const sku = (pk: string): Record<string, AttributeValue> => ({ pk: { S: pk } });

async function putStock(pk: string, stock: AttributeValue, db = dynamo.db): Promise<void> {
  await db.send(new PutItemCommand({ TableName: STOCK, Item: { ...sku(pk), stock } }));
}

async function stockOf(pk: string, db = dynamo.db): Promise<AttributeValue | undefined> {
  return (await getItem(db, STOCK, sku(pk)))?.stock;
}

/** Takes `by` from a SKU's stock, on condition there is that much. */
function decrement(pk: string, by = 1): TransactWriteItem {
  return {
    Update: {
      TableName: STOCK,
      Key: sku(pk),
      UpdateExpression: 'SET stock = stock - :by',
      ConditionExpression: 'stock >= :by',
      ExpressionAttributeValues: { ':by': { N: String(by) } },
    },
  };
}

function transact(input: TransactWriteItemsCommandInput) {
  return dynamo.db.send(new TransactWriteItemsCommand(input));
}

async function cancellationOf(call: Promise<unknown>): Promise<TransactionCanceledException> {
  const error = await rejectionOf(call);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  return error as TransactionCanceledException;
}

const summary = (codes: string[]) =>
  `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;

describe('ClientRequestToken', () => {
  // Developer Guide, "Amazon DynamoDB Transactions: How it works" (Idempotency): a repeat with the
  // same client token returns successfully without making any changes; with ReturnConsumedCapacity
  // the first call reports write units and the repeat read units.
  it('applies a transaction once however often the same token repeats it', async () => {
    await putStock('sku-replay', { N: '10' });
    const recordsBefore = (await streamRecords(dynamo.streams, stockStream)).length;
    const once = {
      ClientRequestToken: 'replay-token',
      ReturnConsumedCapacity: 'TOTAL' as const,
      TransactItems: [decrement('sku-replay')],
    };

    const first = await transact(once);
    const repeat = await transact(once);

    expect(await stockOf('sku-replay')).toEqual({ N: '9' });
    expect(first.ConsumedCapacity).toEqual([{ TableName: STOCK, CapacityUnits: 2, WriteCapacityUnits: 2 }]);
    expect(repeat.ConsumedCapacity).toEqual([{ TableName: STOCK, CapacityUnits: 2, ReadCapacityUnits: 2 }]);
    // The repeat changed nothing, so it left no stream record either.
    expect((await streamRecords(dynamo.streams, stockStream)).length).toBe(recordsBefore + 1);

    // Another token is another transaction.
    await transact({ ...once, ClientRequestToken: 'replay-token-2' });
    expect(await stockOf('sku-replay')).toEqual({ N: '8' });
  });

  // Developer Guide, Idempotency: the same token with a change in another parameter within the
  // window is refused with IdempotentParameterMismatch; the token belongs to the call that succeeded.
  it('refuses the token of a successful transaction for other parameters', async () => {
    await putStock('sku-mismatch', { N: '10' });

    // A cancelled transaction does not hold its token: the next call with it is a new request.
    const cancelled = await cancellationOf(
      transact({ ClientRequestToken: 'mismatch-token', TransactItems: [decrement('sku-mismatch', 50)] }),
    );
    expect(cancelled.CancellationReasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed']);
    await transact({ ClientRequestToken: 'mismatch-token', TransactItems: [decrement('sku-mismatch')] });
    expect(await stockOf('sku-mismatch')).toEqual({ N: '9' });

    for (const other of [
      { TransactItems: [decrement('sku-mismatch', 2)] },
      { TransactItems: [decrement('sku-mismatch')], ReturnConsumedCapacity: 'TOTAL' as const },
    ]) {
      const error = await rejectionOf(transact({ ClientRequestToken: 'mismatch-token', ...other }));
      expect(error).toBeInstanceOf(IdempotentParameterMismatchException);
      expect((error as IdempotentParameterMismatchException).$metadata.httpStatusCode).toBe(400);
    }
    expect(await stockOf('sku-mismatch')).toEqual({ N: '9' });
  });

  // Developer Guide, Idempotency: a token is valid for 10 minutes after the request that used it;
  // later, a request with it is a new request. The launcher takes a shorter window for this test.
  it('forgets a token once its window has passed', async () => {
    const short = await startLocalDynamo({ [IDEMPOTENCY_WINDOW_VARIABLE]: '2' });
    try {
      await createTable(short.db, STOCK, ['pk']);
      await putStock('sku-expiry', { N: '10' }, short.db);
      const once = new TransactWriteItemsCommand({
        ClientRequestToken: 'expiry-token',
        TransactItems: [decrement('sku-expiry')],
      });

      await short.db.send(once);
      await short.db.send(once);
      expect(await stockOf('sku-expiry', short.db)).toEqual({ N: '9' });

      await sleep(2_500);
      await short.db.send(once);
      expect(await stockOf('sku-expiry', short.db)).toEqual({ N: '8' });
    } finally {
      await short.stop();
    }
  });
});

describe('cancellation reasons', () => {
  // API Reference, "CancellationReason": one reason per action, ordered as TransactItems, code
  // "None" without a message for the actions that were fine; "TransactWriteItems" lists
  // ConditionalCheckFailed ("The conditional request failed") and ValidationError (an operand of
  // the update expression has an incorrect data type, among others).
  it('answers one reason per action, in request order, and writes nothing', async () => {
    await putStock('sku-text', { S: 'ten' });
    await putStock('sku-few', { N: '3' });
    await putStock('sku-low', { N: '3' });
    const stockRecords = (await streamRecords(dynamo.streams, stockStream)).length;
    const ledgerRecords = (await streamRecords(dynamo.streams, ledgerStream)).length;
    const line = { pk: { S: 'order-1' }, sk: { S: 'line-1' } };

    const cancelled = await cancellationOf(
      transact({
        TransactItems: [
          { Put: { TableName: LEDGER, Item: { ...line, quantity: { N: '1' } } } },
          {
            Update: {
              TableName: STOCK,
              Key: sku('sku-text'),
              UpdateExpression: 'SET stock = stock - :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
          {
            ConditionCheck: {
              TableName: STOCK,
              Key: sku('sku-few'),
              ConditionExpression: 'stock >= :wanted',
              ExpressionAttributeValues: { ':wanted': { N: '20' } },
            },
          },
          {
            Update: {
              TableName: STOCK,
              Key: sku('sku-low'),
              UpdateExpression: 'SET stock = stock - :by',
              ConditionExpression: 'stock >= :by',
              ExpressionAttributeValues: { ':by': { N: '5' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Delete: { TableName: LEDGER, Key: { pk: { S: 'order-1' }, sk: { S: 'line-2' } } } },
        ],
      }),
    );

    expect(cancelled.message).toBe(
      summary(['None', 'ValidationError', 'ConditionalCheckFailed', 'ConditionalCheckFailed', 'None']),
    );
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: expect.stringContaining('operand') },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...sku('sku-low'), stock: { N: '3' } },
      },
      { Code: 'None' },
    ]);
    expect(await getItem(dynamo.db, LEDGER, line)).toBeUndefined();
    expect(await stockOf('sku-text')).toEqual({ S: 'ten' });
    expect((await streamRecords(dynamo.streams, stockStream)).length).toBe(stockRecords);
    expect((await streamRecords(dynamo.streams, ledgerStream)).length).toBe(ledgerRecords);
  });

  // API Reference, "TransactWriteItems": ReturnValuesOnConditionCheckFailure ALL_OLD returns the
  // item's attributes when its condition fails; a reason carries an Item only then, and only for an
  // item that exists.
  it('returns the old item with ALL_OLD for a failed condition on an existing item only', async () => {
    await putStock('sku-old-kept', { N: '5' });
    await putStock('sku-old-text', { S: 'five' });
    await putStock('sku-old-plain', { N: '5' });
    await putStock('sku-old-word', { S: 'plenty' });

    const cancelled = await cancellationOf(
      transact({
        TransactItems: [
          {
            Put: {
              TableName: STOCK,
              Item: { ...sku('sku-old-kept'), stock: { N: '50' } },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Delete: {
              TableName: STOCK,
              Key: sku('sku-old-missing'),
              ConditionExpression: 'attribute_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: STOCK,
              Key: sku('sku-old-text'),
              UpdateExpression: 'SET stock = stock + :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': { N: '1' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            ConditionCheck: {
              TableName: STOCK,
              Key: sku('sku-old-plain'),
              ConditionExpression: 'stock > :many',
              ExpressionAttributeValues: { ':many': { N: '100' } },
            },
          },
          // A string compared with a number: the comparison is false, so is the condition.
          {
            ConditionCheck: {
              TableName: STOCK,
              Key: sku('sku-old-word'),
              ConditionExpression: 'stock > :few',
              ExpressionAttributeValues: { ':few': { N: '1' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );

    expect(cancelled.CancellationReasons).toEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...sku('sku-old-kept'), stock: { N: '5' } },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'ValidationError', Message: expect.stringContaining('operand') },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...sku('sku-old-word'), stock: { S: 'plenty' } },
      },
    ]);
    expect(await stockOf('sku-old-kept')).toEqual({ N: '5' });
  });

  // API Reference, "TransactWriteItems" (TransactionCanceledException): an item that becomes too
  // large because of the transaction's changes cancels it, reason ValidationError "Item size to
  // update has exceeded the maximum allowed size".
  it('cancels an update that grows an item past 400 KB, with the reason on that action', async () => {
    await putStock('sku-grow', { N: '1' });
    const cancelled = await cancellationOf(
      transact({
        TransactItems: [
          { Put: { TableName: STOCK, Item: { ...sku('sku-grow-neighbour'), stock: { N: '1' } } } },
          {
            Update: {
              TableName: STOCK,
              Key: sku('sku-grow'),
              UpdateExpression: 'SET notes = :notes',
              ExpressionAttributeValues: { ':notes': { S: 'x'.repeat(420_000) } },
            },
          },
        ],
      }),
    );

    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' },
    ]);
    expect(await getItem(dynamo.db, STOCK, sku('sku-grow-neighbour'))).toBeUndefined();
    expect(await getItem(dynamo.db, STOCK, sku('sku-grow'))).toEqual({
      ...sku('sku-grow'),
      stock: { N: '1' },
    });
  });

  // API Reference, "TransactWriteItems" (TransactionCanceledException): a user error such as an
  // invalid data format cancels the transaction; a key whose type does not match the table's is
  // reported on its action.
  it('cancels an action whose key has the wrong type, with the schema message', async () => {
    const cancelled = await cancellationOf(
      transact({
        TransactItems: [
          { Put: { TableName: STOCK, Item: { pk: { N: '7' }, stock: { N: '1' } } } },
          { Delete: { TableName: STOCK, Key: { pk: { N: '8' } } } },
          { Put: { TableName: STOCK, Item: { ...sku('sku-typed'), stock: { N: '1' } } } },
        ],
      }),
    );

    expect(cancelled.CancellationReasons).toEqual([
      {
        Code: 'ValidationError',
        Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
      },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      { Code: 'None' },
    ]);
    expect(await getItem(dynamo.db, STOCK, sku('sku-typed'))).toBeUndefined();
  });
});

describe('validation of the whole request', () => {
  // Developer Guide, "Error handling for writing": more than one action on the same item is a
  // transaction validation error; API Reference: TransactItems holds 1 to 100 actions and
  // ClientRequestToken 1 to 36 characters. Each is a ValidationException for the whole request,
  // before any action runs, so nothing is written and no action is cancelled.
  const bad: Array<[string, TransactWriteItemsCommandInput, string | RegExp]> = [
    [
      'two actions on one item',
      {
        TransactItems: [
          { Put: { TableName: STOCK, Item: { ...sku('sku-twice'), stock: { N: '1' } } } },
          decrement('sku-twice'),
        ],
      },
      'Transaction request cannot include multiple operations on one item',
    ],
    [
      'more than 100 actions',
      {
        TransactItems: Array.from({ length: 101 }, (_, i) => ({
          Put: { TableName: STOCK, Item: { ...sku(`sku-bulk-${i}`), stock: { N: '1' } } },
        })),
      },
      /^1 validation error detected: .* failed to satisfy constraint: Member must have length less than or equal to 100$/,
    ],
    [
      'no action',
      { TransactItems: [] },
      /^1 validation error detected: .* failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    ],
    [
      'a token over 36 characters',
      {
        ClientRequestToken: 't'.repeat(37),
        TransactItems: [{ Put: { TableName: STOCK, Item: { ...sku('sku-token'), stock: { N: '1' } } } }],
      },
      /^1 validation error detected: .* failed to satisfy constraint: Member must have length less than or equal to 36$/,
    ],
    [
      'a put of an item over 400 KB',
      {
        TransactItems: [
          { Put: { TableName: STOCK, Item: { ...sku('sku-huge'), notes: { S: 'x'.repeat(420_000) } } } },
        ],
      },
      'Item size has exceeded the maximum allowed size',
    ],
    [
      'an empty key value',
      {
        TransactItems: [
          { Put: { TableName: STOCK, Item: { ...sku('sku-beside-empty'), stock: { N: '1' } } } },
          { Delete: { TableName: STOCK, Key: { pk: { S: '' } } } },
        ],
      },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
  ];

  it('refuses each with a ValidationException and writes nothing', async () => {
    for (const [what, input, message] of bad) {
      const error = await rejectionOf(transact(input));

      expect.soft(error.name, what).toBe('ValidationException');
      expect
        .soft((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, what)
        .toBe(400);
      if (typeof message === 'string') expect.soft(error.message, what).toBe(message);
      else expect.soft(error.message, what).toMatch(message);
      for (const entry of input.TransactItems ?? []) {
        const pk = entry.Put?.Item?.pk;
        if (pk) expect.soft(await getItem(dynamo.db, STOCK, { pk }), what).toBeUndefined();
      }
    }
  });
});

describe('injected transaction conflicts', () => {
  // Developer Guide, "Transaction conflict handling in DynamoDB": an item of a TransactWriteItems
  // that is part of another ongoing transaction cancels it (TransactionCanceledException, reason
  // TransactionConflict "Transaction is ongoing for the item"); a PutItem, UpdateItem or DeleteItem
  // on such an item fails with TransactionConflictException. The launcher stands the other
  // transaction in on request.
  it('cancels the next N transactions touching the table, then lets them through', async () => {
    await putStock('sku-conflict', { N: '10' });
    const line = { pk: { S: 'order-c' }, sk: { S: 'line-1' } };
    const order = {
      TransactItems: [
        decrement('sku-conflict'),
        { Put: { TableName: LEDGER, Item: { ...line, quantity: { N: '1' } } } },
      ],
    };
    await injectConflict(dynamo.url, { table: STOCK, times: 2 });
    expect((await conflictFaults(dynamo.url, 'GET')).body.faults).toEqual([
      { table: STOCK, times: 2, operations: ['TransactWriteItems'] },
    ]);
    // A request refused as a whole never reaches its items: no fault counts it.
    const refused = await rejectionOf(
      transact({ TransactItems: [decrement('sku-conflict'), decrement('sku-conflict')] }),
    );
    expect(refused.name).toBe('ValidationException');

    for (let attempt = 0; attempt < 2; attempt++) {
      const cancelled = await cancellationOf(transact(order));
      expect(cancelled.message).toBe(summary(['TransactionConflict', 'None']));
      expect(cancelled.CancellationReasons).toEqual([
        { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
        { Code: 'None' },
      ]);
    }
    expect(await stockOf('sku-conflict')).toEqual({ N: '10' });
    expect(await getItem(dynamo.db, LEDGER, line)).toBeUndefined();
    expect((await conflictFaults(dynamo.url, 'GET')).body.faults).toEqual([]);

    await transact(order);
    expect(await stockOf('sku-conflict')).toEqual({ N: '9' });
  });

  it('holds only the item named by its key', async () => {
    await putStock('sku-held', { N: '10' });
    await putStock('sku-free', { N: '10' });
    await injectConflict(dynamo.url, { table: STOCK, key: sku('sku-held') });

    await transact({ TransactItems: [decrement('sku-free')] });
    const cancelled = await cancellationOf(
      transact({ TransactItems: [decrement('sku-free'), decrement('sku-held')] }),
    );
    expect(cancelled.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'TransactionConflict']);

    await transact({ TransactItems: [decrement('sku-free'), decrement('sku-held')] });
    expect(await stockOf('sku-free')).toEqual({ N: '8' });
    expect(await stockOf('sku-held')).toEqual({ N: '9' });
  });

  it('answers TransactionConflictException to plain writes on a held item when asked to', async () => {
    await putStock('sku-plain', { N: '10' });
    await injectConflict(dynamo.url, {
      table: STOCK,
      key: sku('sku-plain'),
      times: 2,
      operations: ['PutItem', 'UpdateItem'],
    });
    const update = new UpdateItemCommand({
      TableName: STOCK,
      Key: sku('sku-plain'),
      UpdateExpression: 'SET stock = :five',
      ExpressionAttributeValues: { ':five': { N: '5' } },
    });

    // A transaction is not held by a fault armed for plain writes only.
    await transact({ TransactItems: [decrement('sku-plain')] });
    const conflicted = await rejectionOf(dynamo.db.send(update));
    expect(conflicted).toBeInstanceOf(TransactionConflictException);
    expect(conflicted.message).toBe('Transaction is ongoing for the item');
    await putStock('sku-plain-other', { N: '1' });
    expect(await rejectionOf(putStock('sku-plain', { N: '1' }))).toBeInstanceOf(TransactionConflictException);
    expect(await stockOf('sku-plain')).toEqual({ N: '9' });

    await dynamo.db.send(update);
    expect(await stockOf('sku-plain')).toEqual({ N: '5' });
  });

  it('is off until armed, can be cleared, and refuses a malformed fault', async () => {
    expect((await conflictFaults(dynamo.url, 'GET')).body.faults).toEqual([]);
    await injectConflict(dynamo.url, { table: STOCK, times: 5 });
    expect((await conflictFaults(dynamo.url, 'DELETE')).body.faults).toEqual([]);
    await putStock('sku-cleared', { N: '1' });
    await transact({ TransactItems: [decrement('sku-cleared')] });
    expect(await stockOf('sku-cleared')).toEqual({ N: '0' });

    for (const fault of [
      {},
      { table: '' },
      { table: STOCK, times: 0 },
      { table: STOCK, times: 1.5 },
      { table: STOCK, key: 'sku' },
      { table: STOCK, operations: ['Scan'] },
    ]) {
      const answer = await conflictFaults(dynamo.url, 'POST', fault);
      expect(answer.status, JSON.stringify(fault)).toBe(400);
      expect(answer.body.message).toEqual(expect.any(String));
    }
    expect((await conflictFaults(dynamo.url, 'GET')).body.faults).toEqual([]);
  });
});
