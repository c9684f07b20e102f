/**
 * Responses checked against the published OpenAPI document (GET /openapi.json): the status must be
 * one the operation lists, and the body must match the schema the document gives for it, objects
 * closed (a field the document does not name fails), so the document clients generate from is
 * what the API does.
 */
import { expect } from 'vitest';
import type { ApiResponse } from '../../../local/seed/store-client.ts';
import { type Answer, asResponse, client } from './fixtures.ts';
import { type OpenApiDocument, type Operation, SchemaValidators } from './openapi-schemas.ts';

let validators: Promise<SchemaValidators> | undefined;

function openApi(): Promise<SchemaValidators> {
  validators ??= client
    .request<OpenApiDocument>('GET', '/openapi.json')
    .then((res) => new SchemaValidators(res.body));
  return validators;
}

/**
 * Asserts the response is documented for `method pathTemplate` (e.g. `GET /orders/{orderId}`):
 * its status listed, its body valid against that status's schema for its content type.
 */
export async function expectDocumented(route: string, answer: ApiResponse<unknown> | Answer): Promise<void> {
  const res = asResponse(answer);
  const [method, path] = route.split(' ') as [string, string];
  const validate = await openApi();
  const operation = validate.doc.paths[path]?.[method.toLowerCase()] as Operation | undefined;
  expect(operation, `${route} is in the document`).toBeDefined();
  if (!operation) return;
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  const text =
    res.body === undefined ? '' : typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  const mismatch = validate.responseMismatch(operation, {
    status: res.status,
    contentType,
    body: res.body,
    text,
  });
  expect(mismatch, `${route} ${res.status}: ${mismatch}`).toBeUndefined();
}
