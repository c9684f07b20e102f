/**
 * Responses checked against the published OpenAPI document (GET /openapi.json): the status must be
 * one the operation lists, and the body must match the schema the document gives for it, so the
 * document clients generate from is what the API does.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import type { ApiResponse } from '../../../local/seed/store-client.ts';
import { client } from './fixtures.ts';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
let document: Promise<OpenApiDocument> | undefined;
const compiled = new Map<string, ReturnType<Ajv['compile']>>();

function openApi(): Promise<OpenApiDocument> {
  document ??= client.request<OpenApiDocument>('GET', '/openapi.json').then((res) => res.body);
  return document;
}

/**
 * Asserts the response is documented for `method pathTemplate` (e.g. `GET /orders/{orderId}`):
 * its status listed, its body valid against that status's schema for its content type.
 */
export async function expectDocumented(route: string, res: ApiResponse<unknown>): Promise<void> {
  const [method, path] = route.split(' ') as [string, string];
  const doc = await openApi();
  const operation = doc.paths[path]?.[method.toLowerCase()];
  expect(operation, `${route} is in the document`).toBeDefined();
  const documented = operation?.responses[String(res.status)];
  expect(documented, `${route} lists status ${res.status}`).toBeDefined();
  const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!documented?.content || res.status === 204) return;
  const media = documented.content[type];
  expect(media, `${route} ${res.status} documents ${type}`).toBeDefined();
  const key = `${route} ${res.status} ${type}`;
  let validate = compiled.get(key);
  if (!validate) {
    // The operation's schema with the document's components beside it, so `#/components/...` resolves.
    validate = ajv.compile({ ...(media?.schema as object), components: doc.components });
    compiled.set(key, validate);
  }
  const valid = validate(res.body);
  expect(valid, `${key}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}
