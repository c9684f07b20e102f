/**
 * moto alone, started by the local cloud's launcher (local/moto/server.py) on a free port, with an SDK
 * client pointed at it and helpers for the launcher's transaction-conflict injector.
 */
import { resolve } from 'node:path';
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startMoto } from '../../../local/moto.ts';
import { freePort } from '../../../local/support.ts';

const rootDir = resolve(import.meta.dirname, '../../..');

/** The launcher reads the idempotency window (seconds) from this variable; 600 when unset. */
export const IDEMPOTENCY_WINDOW_VARIABLE = 'LOCAL_DYNAMODB_IDEMPOTENCY_WINDOW_SECONDS';

export const CONFLICT_FAULTS_PATH = '/_local/faults/transaction-conflict';

export interface LocalDynamo {
  url: string;
  /** One attempt per call: the assertions are about the first answer, not what a retry makes of it. */
  db: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  stop(): Promise<void>;
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

/** Starts moto with `env` added to this process's environment (the launcher inherits it). */
export async function startLocalDynamo(env: Record<string, string> = {}): Promise<LocalDynamo> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const moto = await startMoto({ rootDir, port: await freePort(), log: () => {} });
    const db = new DynamoDBClient(clientConfig(moto.url));
    const streams = new DynamoDBStreamsClient(clientConfig(moto.url));
    return {
      url: moto.url,
      db,
      streams,
      stop: async () => {
        db.destroy();
        streams.destroy();
        await moto.stop();
      },
    };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** An on-demand table with string keys and a stream of new and old images; returns its stream ARN. */
export async function createTable(db: DynamoDBClient, name: string, keys: string[]): Promise<string> {
  const schema: KeySchemaElement[] = keys.map((key, i) => ({
    AttributeName: key,
    KeyType: i === 0 ? 'HASH' : 'RANGE',
  }));
  const created = await db.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: schema,
      AttributeDefinitions: keys.map((key) => ({ AttributeName: key, AttributeType: 'S' })),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const arn = created.TableDescription?.LatestStreamArn;
  if (!arn) throw new Error(`table ${name} has no stream`);
  return arn;
}

export async function getItem(
  db: DynamoDBClient,
  table: string,
  key: Record<string, AttributeValue>,
): Promise<Record<string, AttributeValue> | undefined> {
  return (await db.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
}

/** Every stream record of the table so far, read from the start of its (only) shard. */
export async function streamRecords(streams: DynamoDBStreamsClient, streamArn: string) {
  const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records = [];
  for (const shard of described.StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!page.Records?.length) break;
      records.push(...page.Records);
      iterator = page.NextShardIterator;
    }
  }
  return records;
}

/** The error a call fails with; fails the test when the call succeeds. */
export async function rejectionOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`the call failed with a non-error: ${String(error)}`);
  }
  throw new Error('the call succeeded; it was expected to fail');
}

export interface ConflictFault {
  table: string;
  key?: Record<string, AttributeValue>;
  times?: number;
  operations?: string[];
}

/** Calls the launcher's conflict injector; answers its status and JSON body. */
export async function conflictFaults(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  body?: unknown,
): Promise<{ status: number; body: { faults?: unknown[]; message?: string } }> {
  const response = await fetch(`${url}${CONFLICT_FAULTS_PATH}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { faults?: unknown[] } };
}

/** Arms a conflict fault; fails when the launcher refuses it. */
export async function injectConflict(url: string, fault: ConflictFault): Promise<void> {
  const answer = await conflictFaults(url, 'POST', fault);
  if (answer.status !== 200)
    throw new Error(`fault refused (${answer.status}): ${JSON.stringify(answer.body)}`);
}
