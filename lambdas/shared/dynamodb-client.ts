/**
 * The low-level DynamoDB client, made once per container; `dynamodb.ts` wraps it in the document
 * client. Functions that need no marshalling (Health) import only this module.
 *
 * The SDK is CommonJS and stays outside the bundle (the Lambda runtime provides it). Loading it
 * with `require` rather than `import` skips Node's ESM-to-CommonJS interop pass over the SDK's
 * large files: about 30 ms less cold start per function, measured with the bundle benchmark.
 * The SDK picks up AWS_REGION and, for the local cloud, AWS_ENDPOINT_URL by itself. Its calls are
 * X-Ray subsegments where tracing is on (the document client shares this client's middleware).
 */
import { createRequire } from 'node:module';
import type * as ClientModule from '@aws-sdk/client-dynamodb';
import { captureClient } from './tracer.ts';

export const requireSdk = createRequire(import.meta.url);

const sdk = requireSdk('@aws-sdk/client-dynamodb') as typeof ClientModule;

export const { GetItemCommand } = sdk;
export type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

let client: ClientModule.DynamoDBClient | undefined;

export function dynamoDbClient(): ClientModule.DynamoDBClient {
  client ??= captureClient(new sdk.DynamoDBClient({}));
  return client;
}
