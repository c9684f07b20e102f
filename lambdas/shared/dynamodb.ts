/**
 * The DynamoDB document client and the commands the adapters use, made once per container (see
 * `dynamodb-client.ts` for why the SDK is loaded with `require`).
 */
import type * as LibModule from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient, requireSdk } from './dynamodb-client.ts';

const lib = requireSdk('@aws-sdk/lib-dynamodb') as typeof LibModule;

export const { BatchGetCommand, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } =
  lib;
export type {
  BatchGetCommandOutput,
  DynamoDBDocumentClient,
  QueryCommandInput,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

let client: LibModule.DynamoDBDocumentClient | undefined;

export function documentClient(): LibModule.DynamoDBDocumentClient {
  client ??= lib.DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}
