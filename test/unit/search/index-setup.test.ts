import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/support.ts';

// A port nothing listens on: the index setup meets a real connection refusal.
const deadPort = await freePort();
const savedEnv = { ...process.env };
process.env.SEARCH_ENDPOINT = `http://127.0.0.1:${deadPort}`;
process.env.SEARCH_AUTH = 'none';
process.env.SEARCH_INDEX = 'products';
const { handler } = await import('#search/handlers/index-setup.handler.ts');

let server: Server;
let responseUrl = '';
const responses: { Status: string; Reason: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      responses.push(JSON.parse(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  process.env = savedEnv;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function createEvent(): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:setup',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/store/1',
    RequestId: 'r1',
    LogicalResourceId: 'SearchIndex',
    ResourceType: 'Custom::SearchIndex',
    ResourceProperties: { ServiceToken: 'x' },
  };
}

describe('search index custom resource with no OpenSearch reachable', () => {
  it('fails the deployment of a deployed stage', async () => {
    process.env.STAGE = 'staging';
    await handler(createEvent());
    expect(responses.at(-1)?.Status).toBe('FAILED');
  }, 30_000);

  it('lets stage local deploy (LocalStack) and leaves the index to the indexer', async () => {
    process.env.STAGE = 'local';
    await handler(createEvent());
    expect(responses.at(-1)?.Status).toBe('SUCCESS');
  }, 30_000);
});
