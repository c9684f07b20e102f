/**
 * The OpenAPI document as the contract tests read it: its shapes, `$ref` resolution, and ajv
 * validators for the schemas it states. Request schemas validate as written. Response schemas
 * validate closed: an object schema that does not say `additionalProperties` is taken as
 * `additionalProperties: false`, so a field the API sends and the document does not name fails
 * (clients generated from the document would never see it).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export type Schema = { [keyword: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  description?: string;
  example?: unknown;
}

export interface MediaType {
  schema?: Schema;
}

export interface ResponseObject {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What a path item may hold besides its operations (OpenAPI 3.0, "Path Item Object"). */
const PATH_ITEM_FIELDS = new Set(['summary', 'description', 'servers', 'parameters']);

export interface OperationRef {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  /** `GET /orders/{orderId}` */
  route: string;
  operation: Operation;
  /** The path item's parameters and the operation's, the operation's winning (by name and place). */
  parameters: Parameter[];
}

/** Every operation of the document, in its order; a path item field it does not know throws. */
export function operationsOf(doc: OpenApiDocument): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const key of Object.keys(item)) {
      if (
        !PATH_ITEM_FIELDS.has(key) &&
        !(HTTP_METHODS as readonly string[]).includes(key) &&
        !key.startsWith('x-')
      ) {
        throw new Error(`${path}: path item field '${key}' is not understood by the contract test`);
      }
    }
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const own = operation.parameters ?? [];
      const parameters = [
        ...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)),
        ...own,
      ];
      out.push({ method, path, route: `${method.toUpperCase()} ${path}`, operation, parameters });
    }
  }
  return out;
}

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

/** The component a `$ref` names; any other kind of reference throws. */
export function refTarget(doc: OpenApiDocument, ref: string): { name: string; schema: Schema } {
  const name = COMPONENT_REF.exec(ref)?.[1];
  const schema = name === undefined ? undefined : doc.components?.schemas?.[name];
  if (name === undefined || !schema) throw new Error(`unresolvable $ref ${ref}`);
  return { name, schema };
}

/** Follows `$ref`s to the schema they name. */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${String(schema.$ref)}`);
    current = refTarget(doc, current.$ref).schema;
  }
  return current;
}

const isObjectSchema = (s: Schema) =>
  s.type === 'object' || (s.type === undefined && s.properties !== undefined);

/**
 * A copy of `schema` in ajv's dialect (draft-07): OpenAPI 3.0's boolean `exclusiveMinimum` /
 * `exclusiveMaximum` become numeric bounds; with `closed`, every object without
 * `additionalProperties` gets `additionalProperties: false`.
 */
export function toAjvSchema(doc: OpenApiDocument, schema: unknown, closed: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toAjvSchema(doc, s, closed));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [
          name,
          toAjvSchema(doc, sub, closed),
        ]),
      );
    } else if (key === 'enum' || key === 'required' || key === 'example' || key === 'default') {
      out[key] = value;
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      if (typeof value === 'boolean') {
        const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        if (value && typeof s[bound] === 'number') out[key] = s[bound];
      } else out[key] = value;
    } else {
      out[key] = toAjvSchema(doc, value, closed);
    }
  }
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
    // Numeric exclusive bound replaces the inclusive one it came with.
    if (s[key] === true && typeof s[bound] === 'number') delete out[bound];
  }
  if (closed && out.additionalProperties === undefined) {
    if (isObjectSchema(s)) out.additionalProperties = false;
    else if (Array.isArray(s.allOf)) {
      // Each branch stays open (closing one would refuse the others' fields); the allOf as a whole
      // allows exactly the fields its branches name.
      const names = (s.allOf as Schema[]).flatMap((branch) =>
        Object.keys((resolve(doc, branch).properties as Record<string, unknown> | undefined) ?? {}),
      );
      out.properties = { ...Object.fromEntries(names.map((n) => [n, true])), ...(out.properties as object) };
      out.additionalProperties = false;
    }
  }
  return out;
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** ajv validators for one document: requests as written, responses closed. Compiled once each. */
export class SchemaValidators {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly components: { open: unknown; closed: unknown };

  constructor(readonly doc: OpenApiDocument) {
    const schemas = doc.components?.schemas ?? {};
    this.components = {
      open: { schemas: toAjvSchema(doc, schemas, false) },
      closed: { schemas: toAjvSchema(doc, schemas, true) },
    };
  }

  /** A validator of `schema`, resolving `#/components/...` in the same (open or closed) dialect. */
  validator(schema: Schema, closed: boolean): ValidateFunction {
    const key = `${closed ? 'closed' : 'open'} ${JSON.stringify(schema)}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const root = toAjvSchema(this.doc, schema, closed) as Schema;
      validate = this.ajv.compile({
        ...root,
        components: closed ? this.components.closed : this.components.open,
      });
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** Whether `value` satisfies the request-side `schema`. */
  accepts(schema: Schema, value: unknown): boolean {
    return this.validator(schema, false)(value) === true;
  }

  /**
   * Why an answer does not match the document for `operation` (undefined when it does): its status
   * listed, its content type documented for that status, its body valid against the closed schema.
   */
  responseMismatch(
    operation: Operation,
    answer: { status: number; contentType: string; body: unknown; text: string },
  ): string | undefined {
    const documented = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!documented) {
      return `status ${answer.status} is not listed (lists ${Object.keys(operation.responses).join(', ')})`;
    }
    if (!documented.content || answer.status === 204) {
      return answer.text.length > 0 && answer.status === 204 ? 'a 204 with a body' : undefined;
    }
    const media = documented.content[answer.contentType];
    if (!media) {
      return `content type '${answer.contentType}' is not documented for ${answer.status} (documents ${Object.keys(documented.content).join(', ')})`;
    }
    if (!media.schema) return undefined;
    const validate = this.validator(media.schema, true);
    if (validate(answer.body)) return undefined;
    return `body does not match the ${answer.status} ${answer.contentType} schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`;
  }
}
