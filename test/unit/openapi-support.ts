/**
 * The published OpenAPI document (`buildOpenApiDocument({ stage: 'local' })`) as the handlers'
 * unit tests check it: a parameter or body value the document allows must not be refused with a
 * 400 (and one it refuses must be), and every response a handler gives must be one the document
 * lists, its body valid against that status's schema with no property the schema does not name,
 * its headers documented. The orders, fulfillment, notifications, reviews and recommendations
 * tests share it.
 */
import { OpenAPIRegistry, OpenApiGeneratorV3, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { expect } from 'vitest';
import * as z from 'zod';
import { buildOpenApiDocument } from '../../lambdas/ops/openapi.ts';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: Json }>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Response>;
  security?: unknown[];
}

export const document = buildOpenApiDocument({ stage: 'local' }) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const bodies = addFormats(new Ajv({ strict: false, allErrors: true }));
// Query and path values are strings on the wire: `limit=5` is the integer 5.
const params = addFormats(new Ajv({ strict: false, allErrors: true, coerceTypes: true }));

/**
 * The schema with `additionalProperties: false` on every object schema that names its properties
 * and says nothing of others: what a client generated with unknown properties forbidden accepts.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, closed(v)]))
        : closed(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const closedComponents = closed(document.components) as Json;

/** `METHOD /path/{template}` as the document spells it. */
export function operation(route: string): Operation {
  const [method = '', path = ''] = route.split(' ');
  const op = document.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${route} is not in the document`);
  return op;
}

export const statuses = (route: string) => Object.keys(operation(route).responses).sort();

export function parameter(route: string, where: Parameter['in'], name: string): Parameter {
  const found = (operation(route).parameters ?? []).find(
    (p) => p.in === where && p.name.toLowerCase() === name.toLowerCase(),
  );
  if (!found) throw new Error(`${route} documents no ${where} parameter ${name}`);
  return found;
}

const compiled = new Map<string, ValidateFunction>();
function compile(ajv: Ajv, key: string, schema: Json): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    // Components beside the schema, so `#/components/schemas/...` resolves.
    fn = ajv.compile({ ...(closed(schema) as Json), components: closedComponents });
    compiled.set(key, fn);
  }
  return fn;
}

/** Whether the document allows `value` (absent: undefined) for this parameter. */
export function documentAllowsParam(
  route: string,
  where: Parameter['in'],
  name: string,
  value: string | undefined,
): boolean {
  const p = parameter(route, where, name);
  if (value === undefined) return !p.required;
  // A fresh object per call: coercion rewrites the value in place.
  const holder = { value };
  const validate = compile(params, `param ${route} ${where} ${name}`, {
    type: 'object',
    properties: { value: p.schema },
  });
  return validate(holder);
}

/** Whether the document allows `body` as the operation's JSON request body. */
export function documentAllowsBody(route: string, body: unknown): boolean {
  const schema = operation(route).requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${route} documents no JSON body`);
  return compile(bodies, `body ${route}`, schema)(body);
}

/** Statuses each route was seen answering in this test file. */
const seen = new Map<string, Set<number>>();

/** The statuses `route` was seen answering so far, sorted as the document's keys. */
export const produced = (route: string) => [...(seen.get(route) ?? [])].map(String).sort();

/**
 * The statuses a service's own registration lists for `route`: without the ones the ops document
 * adds to every operation (a body that is not JSON, the gateway's own answers).
 */
export function ownStatuses(
  register: (
    registry: OpenAPIRegistry,
    options: { bearer: string; problem: (d: string) => ResponseConfig },
  ) => void,
  route: string,
): string[] {
  const registry = new OpenAPIRegistry();
  register(registry, {
    bearer: 'bearer',
    problem: (description) => ({
      description,
      content: { 'application/problem+json': { schema: z.object({}) } },
    }),
  });
  const own = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
  });
  const [method = '', path = ''] = route.split(' ');
  const op = own.paths?.[path]?.[method.toLowerCase() as 'get'];
  if (!op) throw new Error(`${route} is not registered`);
  return Object.keys(op.responses).sort();
}

// The shared HTTP layer's, on every response (CORS: `vary` and `access-control-*`).
const UNDOCUMENTED_HEADERS = new Set(['content-type', 'x-request-id', 'vary']);

/**
 * Asserts that the response is documented for `route`: its status listed, its body valid against
 * that status's schema (closed: no property it does not name), and every header it sets, other
 * than the content type, the request id and CORS, listed for that status.
 */
export function expectDocumented(route: string, res: APIGatewayProxyResult): void {
  seen.set(route, (seen.get(route) ?? new Set()).add(res.statusCode));
  const documented = operation(route).responses[String(res.statusCode)];
  expect(documented, `${route} lists ${res.statusCode} (${res.body})`).toBeDefined();
  for (const name of Object.keys(res.headers ?? {})) {
    const key = name.toLowerCase();
    if (UNDOCUMENTED_HEADERS.has(key) || key.startsWith('access-control-')) continue;
    expect(
      Object.keys(documented?.headers ?? {}).map((h) => h.toLowerCase()),
      `${route} ${res.statusCode} header ${name}`,
    ).toContain(key);
  }
  if (res.statusCode === 204) {
    expect(res.body).toBe('');
    return;
  }
  const type = String(res.headers?.['content-type'] ?? '');
  const media = documented?.content?.[type];
  expect(media, `${route} ${res.statusCode} documents ${type}`).toBeDefined();
  const validate = compile(bodies, `response ${route} ${res.statusCode} ${type}`, media?.schema ?? {});
  const body: unknown = JSON.parse(res.body);
  expect(
    validate(body),
    `${route} ${res.statusCode}: ${bodies.errorsText(validate.errors)} in ${res.body}`,
  ).toBe(true);
}

/** The field paths a 400 names. */
export function refusedFields(res: APIGatewayProxyResult): string[] {
  if (res.statusCode !== 400) return [];
  const problem = JSON.parse(res.body) as { errors?: { path: string }[] };
  return (problem.errors ?? []).map((e) => e.path);
}

/** Strings the document and a handler must agree on: lengths, code points, white space, ASCII edges. */
export const awkwardText = (max: number): string[] => [
  '',
  ' ',
  '\t\n',
  '\u00a0\u2003',
  'a',
  ' a ',
  'x'.repeat(max),
  'x'.repeat(max + 1),
  `${'x'.repeat(max)} `,
  '😀'.repeat(max),
  '😀'.repeat(max + 1),
  'é'.repeat(max),
];
