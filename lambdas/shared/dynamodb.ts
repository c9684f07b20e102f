/**
 * The DynamoDB document client and the commands the adapters use, loaded once per container.
 * The SDK picks up AWS_REGION and, for the local cloud, AWS_ENDPOINT_URL by itself.
 *
 * The SDK is CommonJS and stays outside the bundle (the Lambda runtime provides it). Loading it
 * with `require` rather than `import` skips Node's ESM-to-CommonJS interop pass over the SDK's
 * large files: about 30 ms less cold start per function, measured with the bundle benchmark.
 */
import { createRequire } from 'node:module';
import type * as ClientModule from '@aws-sdk/client-dynamodb';
import type * as LibModule from '@aws-sdk/lib-dynamodb';

const require = createRequire(import.meta.url);
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof ClientModule;
const lib = require('@aws-sdk/lib-dynamodb') as typeof LibModule;

export const { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } = lib;
export type {
  BatchGetCommandOutput,
  DynamoDBDocumentClient,
  QueryCommandInput,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

let client: LibModule.DynamoDBDocumentClient | undefined;

export function documentClient(): LibModule.DynamoDBDocumentClient {
  client ??= lib.DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}
