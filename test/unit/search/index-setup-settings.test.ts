import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamicIndexSettings, indexSettingsFor } from '#search/adapters/index-definition.ts';

/** What the fake OpenSearch was asked, and the answers it gave (CloudFormation's included). */
const requests: { method: string; path: string; body: unknown }[] = [];
const responses: { Status: string; Reason: string }[] = [];
let aliasExists = true;

function route(method: string, path: string): { status: number; body?: unknown } {
  if (method === 'HEAD' && path === '/_alias/products') return { status: aliasExists ? 200 : 404 };
  if (method === 'PUT' && path === '/products-v1') return { status: 200, body: { acknowledged: true } };
  if (method === 'GET' && path.startsWith('/_cluster/health/products-v1')) return { status: 200, body: {} };
  if (method === 'PUT' && path === '/products-v1/_alias/products') return { status: 200, body: {} };
  if (method === 'PUT' && path === '/products/_settings')
    return { status: 200, body: { acknowledged: true } };
  return { status: 400, body: { error: { type: 'unexpected_request' } } };
}

let server: Server;
const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const path = req.url ?? '';
      if (path === '/cloudformation') {
        responses.push(JSON.parse(text));
        res.writeHead(200).end();
        return;
      }
      requests.push({ method: req.method ?? '', path, body: text ? JSON.parse(text) : undefined });
      const answer = route(req.method ?? '', path.split('?')[0] ?? '');
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' || answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  vi.stubEnv('SEARCH_ENDPOINT', url());
  vi.stubEnv('SEARCH_AUTH', 'none');
  vi.stubEnv('SEARCH_INDEX', 'products');
  vi.stubEnv('SEARCH_REPLICAS', '1');
  vi.stubEnv('STAGE', 'staging');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
});
beforeEach(() => {
  requests.length = 0;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

function event(type: 'Create' | 'Update'): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:setup',
    ResponseURL: `${url()}/cloudformation`,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/store/1',
    RequestId: 'r1',
    LogicalResourceId: 'SearchIndex',
    ResourceType: 'Custom::SearchIndex',
    ResourceProperties: { ServiceToken: 'x', Replicas: 1 },
  };
  return type === 'Create'
    ? { ...base, RequestType: 'Create' }
    : {
        ...base,
        RequestType: 'Update',
        PhysicalResourceId: 'search-index-products',
        OldResourceProperties: { ServiceToken: 'x', Replicas: 0 },
      };
}

const handler = async (type: 'Create' | 'Update') => {
  const { handler } = await import('#search/handlers/index-setup.handler.ts');
  await handler(event(type));
  return responses.at(-1)?.Status;
};

describe('search index custom resource', () => {
  it('applies the dynamic settings (replicas, slow logs) to an index that already exists', async () => {
    aliasExists = true;
    expect(await handler('Update')).toBe('SUCCESS');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'HEAD /_alias/products',
      'PUT /products/_settings',
    ]);
    const expected = dynamicIndexSettings(indexSettingsFor({ STAGE: 'staging', SEARCH_REPLICAS: '1' }));
    expect(requests[1]?.body).toEqual(expected);
    expect(expected).toMatchObject({
      'index.number_of_replicas': 1,
      'index.search.slowlog.threshold.query.warn': '200ms',
      'index.indexing.slowlog.threshold.index.info': '50ms',
    });
  });

  it('creates a missing index with them', async () => {
    aliasExists = false;
    expect(await handler('Create')).toBe('SUCCESS');
    expect(requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'HEAD /_alias/products',
      'PUT /products-v1',
      'GET /_cluster/health/products-v1',
      'PUT /products-v1/_alias/products',
      'PUT /products/_settings',
    ]);
    const created = (requests[1]?.body as { settings?: Record<string, unknown> } | undefined)?.settings;
    expect(created).toMatchObject({
      'index.search.slowlog.threshold.query.info': '50ms',
      'index.search.slowlog.threshold.fetch.warn': '100ms',
    });
  });

  it('fails the deployment when the domain refuses the settings', async () => {
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on('end', () => {
        if (req.url === '/cloudformation') {
          responses.push(JSON.parse(text));
          res.writeHead(200).end();
          return;
        }
        const ok = req.method === 'HEAD';
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
        res.end(ok ? undefined : JSON.stringify({ error: { type: 'illegal_argument_exception' } }));
      });
    });
    expect(await handler('Update')).toBe('FAILED');
    expect(responses.at(-1)?.Reason).toMatch(/illegal_argument_exception/);
  });
});
