/**
 * fast-check arbitraries from the OpenAPI document: valid requests for an operation, built from
 * the JSON schemas of its parameters and body, and requests broken in exactly one way the
 * document forbids. The converter knows the subset of JSON Schema the document uses and throws on
 * anything else, so the document cannot outgrow the contract test without it noticing.
 */
import * as fc from 'fast-check';
import {
  type OpenApiDocument,
  type OperationRef,
  type Parameter,
  refTarget,
  resolve,
  type Schema,
  SchemaValidators,
} from './openapi-schemas.ts';

/** Keywords that only annotate: they neither constrain nor shape a value. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'xml',
  // Informs code generators which branch of a oneOf applies; the oneOf itself is what validates.
  'discriminator',
]);
const CONSTRAINTS = new Set([
  '$ref',
  'type',
  'nullable',
  'enum',
  'oneOf',
  'anyOf',
  'allOf',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
]);
/**
 * The rule for an object's keys: JSON Schema's `propertyNames`, or `x-propertyNames`, where the
 * document states it for OpenAPI 3.0 (which lacks the keyword). Its `not: { enum }` (names the
 * rule's pattern allows but the API reserves) is honoured by leaving those names out.
 */
function propertyNamesOf(schema: Schema): { schema: Schema; excluded: readonly unknown[] } | undefined {
  const names = (schema.propertyNames ?? schema['x-propertyNames']) as Schema | undefined;
  if (!names) return undefined;
  const { not, ...rest } = names as Schema & { not?: { enum?: unknown[] } };
  return { schema: rest, excluded: not?.enum ?? [] };
}

const NUMBER_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

/** Whether real ids are mixed with generated ones, or used alone where there are some. */
export type RealIds = 'mixed' | 'only';

/** Who sends a request: the operation's `security` decides which of these it may be. */
export type Auth = 'none' | 'shopper' | 'admin';

/** A request as it goes on the wire, before the token and the cursor are filled in. */
export interface WireRequest {
  auth: Auth;
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { json: unknown } | { raw: string; contentType: string };
  /** On a route with a `cursor`: follow the n-th cursor an earlier answer issued (modulo), or none. */
  follow?: number;
  /** Send the cursor of an earlier answer (or a made-up one), altered this way. */
  tamperCursor?: 'append' | 'truncate' | 'foreign';
}

export interface BrokenRequest {
  request: WireRequest;
  /** What was broken, e.g. `query.limit: does not match ^\d{1,3}$`. */
  broken: string;
  /** 400 for invalid input; 415 for a body that is not sent as JSON. */
  expect: 400 | 415;
  /** False when the change left the request valid after all: the run is discarded. */
  invalid: boolean;
}

interface Violation {
  label: string;
  arb: fc.Arbitrary<unknown>;
}

const REMOVE = Symbol('remove');
type Path = (string | number)[];

const codePoints = (s: string) => [...s].length;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** The name under which an opaque pagination cursor travels. */
export const isCursor = (p: Parameter) => p.in === 'query' && p.name === 'cursor';

/** Header values a fetch can send unchanged: visible ASCII, inner spaces, no edge whitespace. */
const HEADER_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
/** A path segment that survives URL normalisation as itself. */
const usableSegment = (s: string) => s.length > 0 && s !== '.' && s !== '..';

export class OpenApiArbitraries {
  readonly validators: SchemaValidators;
  private readonly byRef = new Map<string, fc.Arbitrary<unknown>>();
  private readonly violationCache = new Map<string, Violation[]>();

  /**
   * `constants` are real values by name (a product id, a cart id...): each parameter and each body
   * field of that name draws them as often as a generated value, when its schema accepts them.
   */
  constructor(
    readonly doc: OpenApiDocument,
    private readonly constants: Record<string, readonly string[]> = {},
  ) {
    this.validators = new SchemaValidators(doc);
  }

  // ---- valid values --------------------------------------------------------------------------

  /** Values that satisfy `schema`; throws on a construct the converter does not know. */
  valid(schema: Schema, at: string, stack: readonly string[] = []): fc.Arbitrary<unknown> {
    this.checkKeywords(schema, at);
    if (typeof schema.$ref === 'string') {
      const { name, schema: target } = refTarget(this.doc, schema.$ref);
      if (stack.includes(name)) throw new Error(`${at}: recursive schema ${name} is not supported`);
      let arb = this.byRef.get(name);
      if (!arb) {
        arb = this.valid(target, `#/components/schemas/${name}`, [...stack, name]);
        this.byRef.set(name, arb);
      }
      return arb;
    }
    const core = this.core(schema, at, stack);
    return schema.nullable === true ? fc.option(core, { nil: null, freq: 6 }) : core;
  }

  private checkKeywords(schema: Schema, at: string): void {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new Error(`${at}: a schema must be an object, got ${JSON.stringify(schema)}`);
    }
    for (const key of Object.keys(schema)) {
      if (!ANNOTATIONS.has(key) && !CONSTRAINTS.has(key) && !key.startsWith('x-')) {
        throw new Error(`${at}: schema keyword '${key}' is not understood by the contract test`);
      }
    }
    if (schema.$ref !== undefined && Object.keys(schema).some((k) => CONSTRAINTS.has(k) && k !== '$ref')) {
      throw new Error(`${at}: constraints beside $ref are ignored by OpenAPI 3.0 and not supported here`);
    }
    if (Array.isArray(schema.type)) throw new Error(`${at}: a list of types is not supported`);
  }

  private core(schema: Schema, at: string, stack: readonly string[]): fc.Arbitrary<unknown> {
    if (Array.isArray(schema.enum)) {
      if (schema.enum.length === 0) throw new Error(`${at}: an empty enum`);
      return fc.constantFrom(...(schema.enum as unknown[]));
    }
    if (Array.isArray(schema.oneOf)) {
      const branches = (schema.oneOf as Schema[]).map((b, i) => this.valid(b, `${at}.oneOf[${i}]`, stack));
      // Exactly one branch may match: values that several branches accept are not valid.
      return fc
        .oneof(...branches)
        .filter((v) => (schema.oneOf as Schema[]).filter((b) => this.validators.accepts(b, v)).length === 1);
    }
    if (Array.isArray(schema.anyOf)) {
      return fc.oneof(...(schema.anyOf as Schema[]).map((b, i) => this.valid(b, `${at}.anyOf[${i}]`, stack)));
    }
    if (Array.isArray(schema.allOf)) return this.allOf(schema, at, stack);
    switch (schema.type) {
      case 'string':
        return this.string(schema, at);
      case 'integer':
      case 'number':
        return this.number(schema, at);
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (!schema.items || typeof schema.items !== 'object')
          throw new Error(`${at}: an array without items`);
        const minLength = (schema.minItems as number | undefined) ?? 0;
        const maxLength = (schema.maxItems as number | undefined) ?? minLength + 4;
        return fc.array(this.valid(schema.items as Schema, `${at}.items`, stack), {
          minLength,
          maxLength: Math.min(maxLength, minLength + 6),
        });
      }
      case 'object':
        return this.object(schema, at, stack);
      case undefined:
        if (schema.properties !== undefined || schema.additionalProperties !== undefined) {
          return this.object(schema, at, stack);
        }
        // `{}`: any JSON value.
        if (!Object.keys(schema).some((k) => CONSTRAINTS.has(k) && k !== 'nullable')) return fc.jsonValue();
        throw new Error(`${at}: constraints without a type`);
      default:
        throw new Error(`${at}: type '${String(schema.type)}' is not supported`);
    }
  }

  private allOf(schema: Schema, at: string, stack: readonly string[]): fc.Arbitrary<unknown> {
    const branches = schema.allOf as Schema[];
    if (branches.length === 1 && branches[0]) return this.valid(branches[0], `${at}.allOf[0]`, stack);
    const resolved = branches.map((b) => resolve(this.doc, b));
    if (!resolved.every((b) => b.type === 'object' || b.properties !== undefined)) {
      throw new Error(`${at}: allOf of anything but objects is not supported`);
    }
    const merged: Schema = {
      type: 'object',
      properties: Object.assign({}, ...resolved.map((b) => b.properties ?? {})),
      required: resolved.flatMap((b) => (b.required as string[] | undefined) ?? []),
    };
    return this.object(merged, at, stack).filter((v) => this.validators.accepts(schema, v));
  }

  private string(schema: Schema, at: string): fc.Arbitrary<string> {
    const minLength = (schema.minLength as number | undefined) ?? 0;
    const maxLength = schema.maxLength as number | undefined;
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
    let base: fc.Arbitrary<string>;
    if (typeof schema.format === 'string') base = this.format(schema.format, at);
    else if (pattern) {
      try {
        base = fc.stringMatching(pattern);
      } catch (error) {
        throw new Error(`${at}: pattern ${schema.pattern} cannot be generated (${(error as Error).message})`);
      }
    } else {
      return fc.string({
        minLength,
        ...(maxLength === undefined ? {} : { maxLength: Math.min(maxLength, minLength + 40) }),
      });
    }
    return base.filter(
      (s) =>
        codePoints(s) >= minLength &&
        (maxLength === undefined || codePoints(s) <= maxLength) &&
        (!pattern || pattern.test(s)),
    );
  }

  /**
   * Formats generate conventional values: any of them is valid, though not every valid value is
   * reached (e-mail addresses keep to a plain local part and domain).
   */
  private format(format: string, at: string): fc.Arbitrary<string> {
    switch (format) {
      case 'date-time':
        return fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2099-12-31T23:59:59Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      case 'email':
        return fc
          .tuple(
            fc.stringMatching(/^[a-z0-9]{1,12}(?:\.[a-z0-9]{1,8})?$/),
            fc.stringMatching(/^[a-z0-9]{1,12}\.[a-z]{2,6}$/),
          )
          .map(([local, domain]) => `${local}@${domain}`);
      case 'uri':
        return fc.webUrl({ validSchemes: ['https', 'http'] });
      case 'uuid':
        return fc.uuid();
      default:
        throw new Error(`${at}: string format '${format}' is not supported`);
    }
  }

  private number(schema: Schema, at: string): fc.Arbitrary<number> {
    if (schema.format !== undefined && !NUMBER_FORMATS.has(String(schema.format))) {
      throw new Error(`${at}: number format '${String(schema.format)}' is not supported`);
    }
    const { min, max, minExcluded, maxExcluded } = bounds(schema);
    if (schema.type === 'integer') {
      const lo =
        min === undefined ? -1_000_000 : Math.ceil(minExcluded ? min + (Number.isInteger(min) ? 1 : 0) : min);
      const hi =
        max === undefined
          ? lo + 2_000_000
          : Math.floor(maxExcluded ? max - (Number.isInteger(max) ? 1 : 0) : max);
      if (lo > hi) throw new Error(`${at}: no integer between the bounds`);
      return fc.integer({ min: lo, max: Math.min(hi, Number.MAX_SAFE_INTEGER) });
    }
    return fc.double({
      noNaN: true,
      noDefaultInfinity: true,
      min: min ?? -1e9,
      max: max ?? 1e9,
      minExcluded,
      maxExcluded,
    });
  }

  private object(
    schema: Schema,
    at: string,
    stack: readonly string[],
  ): fc.Arbitrary<Record<string, unknown>> {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    const required = (schema.required as string[] | undefined) ?? [];
    const additional = schema.additionalProperties;
    for (const name of required) {
      if (!(name in properties) && !(additional && typeof additional === 'object')) {
        throw new Error(`${at}: required '${name}' is not among the properties`);
      }
    }
    const model = Object.fromEntries(
      Object.entries(properties).map(([name, sub]) => [
        name,
        this.withReal(name, sub, this.valid(sub, `${at}.properties.${name}`, stack)),
      ]),
    );
    const fixed = fc.record(model, { requiredKeys: required.filter((name) => name in properties) });
    const minProperties = (schema.minProperties as number | undefined) ?? 0;
    const maxProperties = schema.maxProperties as number | undefined;
    // Open objects (`additionalProperties` absent or true) are sent with their named fields only.
    if (!additional || typeof additional !== 'object') {
      return fixed.filter(
        (o) =>
          Object.keys(o).length >= minProperties &&
          (maxProperties === undefined || Object.keys(o).length <= maxProperties),
      );
    }
    const names = propertyNamesOf(schema);
    const key = names
      ? (
          this.valid(
            { type: 'string', ...names.schema },
            `${at}.propertyNames`,
            stack,
          ) as fc.Arbitrary<string>
        ).filter((k) => !names.excluded.includes(k))
      : fc.string({ minLength: 1, maxLength: 16 });
    const extra = fc.dictionary(
      key.filter((k) => !(k in properties)),
      this.valid(additional as Schema, `${at}.additionalProperties`, stack),
      { maxKeys: Math.min(maxProperties ?? 4, 4), minKeys: 0 },
    );
    return fc
      .tuple(fixed, extra)
      .map(([named, more]) => ({ ...more, ...named }))
      .filter(
        (o) =>
          Object.keys(o).length >= minProperties &&
          (maxProperties === undefined || Object.keys(o).length <= maxProperties),
      );
  }

  /** `generated`, or as often one of the real values for `name` that `schema` accepts. */
  private withReal(name: string, schema: Schema, generated: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const real = (this.constants[name] ?? []).filter((v) => this.validators.accepts(schema, v));
    return real.length > 0 ? fc.oneof(fc.constantFrom(...real), generated) : generated;
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Who may send the operation's requests, as its `security` says. */
  auth(ref: OperationRef): fc.Arbitrary<Auth> {
    const security = ref.operation.security;
    if (!security || security.length === 0) return fc.constant('none');
    const signedIn: Auth = isAdminOnly(ref) ? 'admin' : 'shopper';
    const optional = security.some((requirement) => Object.keys(requirement).length === 0);
    return optional ? fc.constantFrom<Auth>('none', signedIn) : fc.constant(signedIn);
  }

  /**
   * The values of one parameter as they travel (text; an array query parameter is exploded, one
   * value per occurrence, OpenAPI's default `form` style), real ids mixed in.
   */
  private param(ref: OperationRef, p: Parameter, realIds: RealIds): fc.Arbitrary<string[]> {
    if (!p.schema) throw new Error(`${ref.route}: parameter ${p.name} without a schema`);
    const at = `${ref.route} ${p.in}.${p.name}`;
    const schema = resolve(this.doc, p.schema);
    let generated: fc.Arbitrary<string[]>;
    if (schema.type === 'array') {
      if (p.in !== 'query') throw new Error(`${at}: array parameters outside the query are not supported`);
      const minItems = (schema.minItems as number | undefined) ?? 0;
      const maxItems = (schema.maxItems as number | undefined) ?? minItems + 3;
      // No occurrence at all is the parameter left out, which optionality already covers.
      generated = fc.array(this.valid(schema.items as Schema, `${at}.items`).map(wire), {
        minLength: Math.max(minItems, 1),
        maxLength: Math.max(Math.min(maxItems, minItems + 3), Math.max(minItems, 1)),
      });
    } else {
      let one = this.valid(p.schema, at).map(wire);
      if (p.in === 'path') one = one.filter(usableSegment);
      if (p.in === 'header') one = one.filter((v) => HEADER_VALUE.test(v));
      generated = one.map((v) => [v]);
    }
    const real = (this.constants[p.name] ?? []).map((v) => [v]).filter((v) => this.paramAccepts(p, v));
    if (real.length === 0) return generated;
    return realIds === 'only' ? fc.constantFrom(...real) : fc.oneof(fc.constantFrom(...real), generated);
  }

  /** Whether the wire values satisfy the parameter's schema (numbers parsed as numbers). */
  paramAccepts(p: Parameter, raws: readonly string[] | undefined): boolean {
    if (raws === undefined || raws.length === 0) return !p.required;
    const schema = resolve(this.doc, p.schema ?? {});
    const parse = (item: Schema, raw: string): { value: unknown } | undefined => {
      const numeric = item.type === 'integer' || item.type === 'number';
      if (numeric) return /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw) ? { value: Number(raw) } : undefined;
      if (item.type === 'boolean')
        return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : undefined;
      return { value: raw };
    };
    if (schema.type === 'array') {
      const item = resolve(this.doc, schema.items as Schema);
      const values = raws.map((raw) => parse(item, raw));
      if (values.some((v) => v === undefined)) return false;
      return this.validators.accepts(
        p.schema ?? {},
        values.map((v) => v?.value),
      );
    }
    if (raws.length !== 1) return false;
    const parsed = parse(schema, raws[0] as string);
    return parsed !== undefined && this.validators.accepts(p.schema ?? {}, parsed.value);
  }

  /** Values of one parameter that break its schema, as they travel. */
  private paramViolations(p: Parameter): { label: string; arb: fc.Arbitrary<string[]> }[] {
    const schema = resolve(this.doc, p.schema ?? {});
    if (schema.type === 'array') {
      const items = schema.items as Schema;
      const item = this.valid(items, `${p.name}.items`).map(wire);
      const out = this.violations(items, 'query').map((v) => ({
        label: `a value that ${v.label}`,
        arb: fc.tuple(fc.array(item, { maxLength: 2 }), v.arb.map(wire)).map(([rest, bad]) => [...rest, bad]),
      }));
      if (typeof schema.maxItems === 'number') {
        const n = schema.maxItems;
        out.push({
          label: `more than ${n} values`,
          arb: fc.array(item, { minLength: n + 1, maxLength: n + 2 }),
        });
      }
      return out;
    }
    const where = p.in === 'path' ? 'path' : p.in === 'query' ? 'query' : 'header';
    return this.violations(schema, where).map((v) => {
      let one = v.arb.map(wire);
      if (p.in === 'path') one = one.filter(usableSegment);
      if (p.in === 'header') one = one.filter((x) => HEADER_VALUE.test(x));
      return { label: v.label, arb: one.map((x) => [x]) };
    });
  }

  /** Whether anything in the operation's requests can be broken: a constrained parameter or a body. */
  canBreak(ref: OperationRef): boolean {
    return (
      ref.operation.requestBody !== undefined ||
      ref.parameters.some(
        (p) => isCursor(p) || (p.required && p.in !== 'path') || this.paramViolations(p).length > 0,
      )
    );
  }

  /** Valid requests with one query parameter the document does not name. */
  unnamedQuery(ref: OperationRef): fc.Arbitrary<{ request: WireRequest; name: string }> {
    const named = new Set(ref.parameters.map((p) => p.name));
    return fc
      .tuple(
        this.validRequest(ref),
        fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,11}$/).filter((name) => !named.has(name)),
        fc.string({ maxLength: 12 }),
      )
      .map(([request, name, value]) => ({
        request: { ...request, query: [...request.query, [name, value]] },
        name,
      }));
  }

  private jsonBodySchema(ref: OperationRef): Schema | undefined {
    const body = ref.operation.requestBody;
    if (!body) return undefined;
    const types = Object.keys(body.content);
    if (types.some((t) => t !== 'application/json')) {
      throw new Error(`${ref.route}: request content type ${types.join(', ')} is not supported`);
    }
    const schema = body.content['application/json']?.schema;
    if (!schema) throw new Error(`${ref.route}: a request body without a schema`);
    return schema;
  }

  /**
   * Requests the document allows for the operation. Real ids are drawn as often as generated ones;
   * with `only`, a parameter that has real ids takes one of them.
   */
  validRequest(ref: OperationRef, realIds: RealIds = 'mixed'): fc.Arbitrary<WireRequest> {
    const params = ref.parameters;
    for (const p of params) {
      if (p.in === 'cookie') throw new Error(`${ref.route}: cookie parameters are not supported`);
    }
    const record = (where: Parameter['in']) => {
      const chosen = params.filter((p) => p.in === where && !isCursor(p));
      return fc
        .record(Object.fromEntries(chosen.map((p) => [p.name, this.param(ref, p, realIds)])), {
          requiredKeys: chosen.filter((p) => p.required || p.in === 'path').map((p) => p.name),
        })
        .map((values) => Object.entries(values as Record<string, string[]>));
    };
    const single = (entries: [string, string[]][]) =>
      Object.fromEntries(entries.map(([name, values]) => [name, values[0] as string]));
    const bodySchema = this.jsonBodySchema(ref);
    const json = bodySchema
      ? this.valid(bodySchema, `${ref.route} body`).map((value) => ({ json: value }))
      : undefined;
    const body = !json
      ? fc.constant(undefined)
      : ref.operation.requestBody?.required
        ? json
        : fc.option(json, { nil: undefined });
    const follow = params.some(isCursor) ? fc.option(fc.nat(), { nil: undefined }) : fc.constant(undefined);
    return fc
      .record({
        auth: this.auth(ref),
        path: record('path').map(single),
        query: record('query').map((entries) =>
          entries.flatMap(([name, values]) => values.map((v): [string, string] => [name, v])),
        ),
        headers: record('header').map(single),
        body,
        follow,
      })
      .map((r) => strip(r));
  }

  /** Requests broken in exactly one way the document forbids, each saying what and how. */
  brokenRequest(ref: OperationRef): fc.Arbitrary<BrokenRequest> {
    // Real ids elsewhere, so the one broken thing is the only thing wrong (not also an unknown id).
    return this.validRequest(ref, 'only').chain((request) => {
      const candidates = this.breakings(ref, request);
      if (candidates.length === 0) throw new Error(`${ref.route}: nothing in its requests can be broken`);
      return fc.oneof(...candidates);
    });
  }

  private breakings(ref: OperationRef, request: WireRequest): fc.Arbitrary<BrokenRequest>[] {
    const out: fc.Arbitrary<BrokenRequest>[] = [];
    for (const p of ref.parameters) {
      if (isCursor(p)) {
        const how = {
          append: 'an issued cursor with a character appended',
          truncate: 'an issued cursor cut short by a character',
          foreign: 'a well-formed cursor that was never issued',
        } as const;
        for (const [tamper, label] of Object.entries(how) as [keyof typeof how, string][]) {
          out.push(
            fc.nat().map((n) => ({
              request: { ...request, follow: n, tamperCursor: tamper },
              broken: `query.cursor: ${label}`,
              expect: 400,
              invalid: true,
            })),
          );
        }
      }
      for (const v of this.paramViolations(p)) {
        out.push(
          v.arb.map((values) => ({
            request: withParam(unfollowed(request), p, values),
            broken: `${p.in}.${p.name}: ${v.label} (${JSON.stringify(values).slice(0, 80)})`,
            expect: 400,
            invalid: !this.paramAccepts(p, values),
          })),
        );
      }
      if (p.required && p.in !== 'path') {
        out.push(
          fc.constant({
            request: withParam(unfollowed(request), p, undefined),
            broken: `${p.in}.${p.name}: missing (required)`,
            expect: 400,
            invalid: true,
          }),
        );
      }
    }
    const schema = this.jsonBodySchema(ref);
    if (schema) {
      const sent = request.body && 'json' in request.body ? request.body.json : undefined;
      const text = JSON.stringify(sent ?? {});
      if (sent !== undefined) {
        for (const m of this.bodyMutations(schema, sent, [])) {
          out.push(
            m.arb.map((json) => ({
              request: { ...request, body: { json } },
              broken: `body${m.label}`,
              expect: 400,
              invalid: !this.validators.accepts(schema, json),
            })),
          );
        }
      }
      out.push(
        fc.constant({
          request: {
            ...request,
            body: { raw: text.slice(0, Math.max(1, text.length - 1)), contentType: 'application/json' },
          },
          broken: 'body: not JSON (cut short)',
          expect: 400,
          invalid: true,
        }),
      );
      for (const top of [[sent ?? {}], 'text', 42, null, true]) {
        out.push(
          fc.constant({
            request: { ...request, body: { json: top } },
            broken: `body: a JSON ${top === null ? 'null' : Array.isArray(top) ? 'array' : typeof top}`,
            expect: 400,
            invalid: !this.validators.accepts(schema, top),
          }),
        );
      }
      if (ref.operation.requestBody?.required) {
        out.push(
          fc.constant({
            request: { ...request, body: undefined },
            broken: 'body: missing (required)',
            expect: 400,
            invalid: true,
          }),
        );
      }
      out.push(
        fc.constant({
          request: { ...request, body: { raw: text, contentType: 'text/plain' } },
          broken: 'body: sent as text/plain',
          expect: 415,
          invalid: true,
        }),
      );
    }
    return out.map((arb) => arb.map((b) => ({ ...b, request: strip(b.request) })));
  }

  /**
   * Values that break `schema` on their own: of another type, outside the enum, the pattern, a
   * length, a bound or an item count. Parameters travel as text, so a text parameter has no
   * wrong type.
   */
  violations(schema: Schema, where: 'body' | 'path' | 'query' | 'header'): Violation[] {
    const key = `${where} ${JSON.stringify(schema)}`;
    let found = this.violationCache.get(key);
    if (!found) {
      found = this.computeViolations(schema, where);
      this.violationCache.set(key, found);
    }
    return found;
  }

  private computeViolations(schema: Schema, where: 'body' | 'path' | 'query' | 'header'): Violation[] {
    const s = resolve(this.doc, schema);
    const out: Violation[] = [];
    const type = s.type as string | undefined;
    if (where === 'body') {
      const others = TYPE_EXEMPLARS.filter(
        ([t]) => !sameType(t, type) && !(t === 'null' && s.nullable === true),
      );
      if (type !== undefined)
        out.push({
          label: `not ${type === 'integer' ? 'an' : 'a'} ${type}`,
          arb: fc.constantFrom(...others.map(([, v]) => v)),
        });
    } else if (type === 'integer' || type === 'number') {
      out.push({ label: 'not a number', arb: fc.constantFrom('abc', '1x', '', 'NaN') });
    } else if (type === 'boolean') {
      out.push({ label: 'not a boolean', arb: fc.constantFrom('yes', '1', '') });
    }
    if (Array.isArray(s.enum)) {
      const allowed = s.enum as unknown[];
      const outside = sampled(fc.string({ maxLength: 12 }), (v) => !allowed.includes(v));
      if (outside) out.push({ label: 'outside the enum', arb: outside });
    } else if (type === 'string') {
      const minLength = (s.minLength as number | undefined) ?? 0;
      const maxLength = s.maxLength as number | undefined;
      if (typeof s.pattern === 'string') {
        const re = new RegExp(s.pattern, 'u');
        const within = (v: string) =>
          codePoints(v) >= minLength && (maxLength === undefined || codePoints(v) <= maxLength);
        // Random text, and valid text with one character put in: the second finds the narrow
        // misses of a permissive pattern.
        const valid = this.string({ ...s, format: undefined }, 'pattern');
        const candidates = fc.oneof(
          fc.string({ minLength: Math.max(minLength, 1), maxLength: Math.min(maxLength ?? 24, 24) }),
          fc
            .tuple(valid, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([v, at, c]) => v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1))),
        );
        const arb = sampled(candidates, (v) => !re.test(v) && within(v));
        if (arb) out.push({ label: `does not match ${s.pattern}`, arb });
      }
      if (maxLength !== undefined) {
        out.push({
          label: `longer than ${maxLength}`,
          arb: fc.integer({ min: maxLength + 1, max: maxLength + 8 }).map((n) => 'a'.repeat(n)),
        });
      }
      // A path segment cannot be empty: there the shortest is one character.
      const shortest = where === 'path' ? 1 : 0;
      if (minLength > shortest)
        out.push({ label: `shorter than ${minLength}`, arb: fc.constant('a'.repeat(minLength - 1)) });
      const badFormat = typeof s.format === 'string' ? FORMAT_BREAKERS[s.format] : undefined;
      if (badFormat) out.push({ label: `not a ${String(s.format)}`, arb: fc.constantFrom(...badFormat) });
    } else if (type === 'integer' || type === 'number') {
      const { min, max, minExcluded, maxExcluded } = bounds(s);
      const step = type === 'integer' ? 1 : 0.5;
      if (min !== undefined) {
        out.push({
          label: `below ${minExcluded ? 'the exclusive ' : ''}minimum ${min}`,
          arb: fc
            .integer({ min: 0, max: 1000 })
            .map((d) => (minExcluded ? min - d * step : min - step - d * step)),
        });
      }
      if (max !== undefined) {
        out.push({
          label: `above ${maxExcluded ? 'the exclusive ' : ''}maximum ${max}`,
          arb: fc
            .integer({ min: 0, max: 1000 })
            .map((d) => (maxExcluded ? max + d * step : max + step + d * step)),
        });
      }
      if (type === 'integer') {
        const lo = min ?? -1000;
        out.push({
          label: 'not an integer',
          arb: fc.integer({ min: Math.ceil(lo), max: Math.ceil(lo) + 100 }).map((n) => n + 0.5),
        });
      }
    } else if (type === 'array') {
      const minItems = (s.minItems as number | undefined) ?? 0;
      const maxItems = s.maxItems as number | undefined;
      const item = this.valid(s.items as Schema, 'items');
      if (minItems > 0)
        out.push({ label: `fewer than ${minItems} items`, arb: fc.array(item, { maxLength: minItems - 1 }) });
      if (maxItems !== undefined) {
        out.push({
          label: `more than ${maxItems} items`,
          arb: fc.array(item, { minLength: maxItems + 1, maxLength: maxItems + 2 }),
        });
      }
    }
    return out;
  }

  /** One-change variants of the body `value` (valid for `schema`), anywhere in its tree. */
  private bodyMutations(
    schema: Schema,
    value: unknown,
    path: Path,
  ): { label: string; arb: fc.Arbitrary<unknown> }[] {
    const root = value;
    const out: { label: string; arb: fc.Arbitrary<unknown> }[] = [];
    const at = (p: Path) => (p.length === 0 ? '' : `.${p.join('.')}`);
    const walk = (raw: Schema, v: unknown, p: Path, depth: number) => {
      if (depth > 8) return;
      const s = resolve(this.doc, raw);
      for (const violation of this.violations(s, 'body')) {
        out.push({ label: `${at(p)}: ${violation.label}`, arb: violation.arb.map((x) => setAt(root, p, x)) });
      }
      if (v === null) return;
      for (const key of ['oneOf', 'anyOf'] as const) {
        const branches = s[key] as Schema[] | undefined;
        const taken = branches?.find((b) => this.validators.accepts(b, v));
        if (taken) walk(taken, v, p, depth + 1);
      }
      for (const branch of (s.allOf as Schema[] | undefined) ?? []) walk(branch, v, p, depth + 1);
      if (
        isPlainObject(v) &&
        (s.type === 'object' || s.properties !== undefined || s.additionalProperties !== undefined)
      ) {
        const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
        for (const name of (s.required as string[] | undefined) ?? []) {
          if (name in v)
            out.push({
              label: `${at([...p, name])}: missing (required)`,
              arb: fc.constant(setAt(root, [...p, name], REMOVE)),
            });
        }
        const additional = s.additionalProperties;
        if (additional === false) {
          out.push({
            label: `${at(p)}: a field the schema does not name`,
            arb: fc
              .tuple(
                fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/).filter((k) => !(k in properties)),
                fc.jsonValue({ maxDepth: 1 }),
              )
              .map(([k, x]) => setAt(root, [...p, k], x)),
          });
        } else if (additional && typeof additional === 'object') {
          for (const violation of this.violations(additional as Schema, 'body')) {
            out.push({
              label: `${at(p)}.<extra>: ${violation.label}`,
              arb: fc
                .tuple(
                  fc.stringMatching(/^[a-z]{1,10}$/).filter((k) => !(k in properties)),
                  violation.arb,
                )
                .map(([k, x]) => setAt(root, [...p, k], x)),
            });
          }
          const names = propertyNamesOf(s);
          if (names) {
            for (const violation of this.violations({ type: 'string', ...names.schema }, 'path')) {
              out.push({
                label: `${at(p)}: a key that ${violation.label}`,
                arb: fc
                  .tuple(violation.arb, this.valid(additional as Schema, 'additionalProperties'))
                  .map(([k, x]) => setAt(root, [...p, String(k)], x)),
              });
            }
          }
          if (typeof s.maxProperties === 'number') {
            const n = s.maxProperties;
            out.push({
              label: `${at(p)}: more than ${n} properties`,
              arb: fc
                .uniqueArray(
                  fc.stringMatching(/^[a-z]{1,10}$/).filter((k) => !(k in properties) && !(k in v)),
                  { minLength: n + 1, maxLength: n + 1 },
                )
                .chain((keys) =>
                  fc
                    .tuple(...keys.map(() => this.valid(additional as Schema, 'additionalProperties')))
                    .map((vals) => ({ keys, vals })),
                )
                .map(({ keys, vals }) =>
                  setAt(root, p, { ...v, ...Object.fromEntries(keys.map((k, i) => [k, vals[i]])) }),
                ),
            });
          }
        }
        for (const [name, sub] of Object.entries(v)) {
          const subSchema =
            properties[name] ??
            (additional && typeof additional === 'object' ? (additional as Schema) : undefined);
          if (subSchema) walk(subSchema, sub, [...p, name], depth + 1);
        }
      }
      if (Array.isArray(v) && s.type === 'array' && s.items) {
        for (const [i, item] of v.slice(0, 2).entries()) walk(s.items as Schema, item, [...p, i], depth + 1);
      }
    };
    walk(schema, value, path, 0);
    return out;
  }
}

/**
 * Routes only an administrator may call: under /admin/, or summarised "(admin)" /
 * "(..., admin)" (the /dev/ routes say so).
 */
export function isAdminOnly(ref: OperationRef): boolean {
  return ref.path.startsWith('/admin/') || /\((?:[^)]*,\s*)?admin\)/.test(ref.operation.summary ?? '');
}

function bounds(schema: Schema) {
  const min =
    typeof schema.exclusiveMinimum === 'number'
      ? schema.exclusiveMinimum
      : (schema.minimum as number | undefined);
  const max =
    typeof schema.exclusiveMaximum === 'number'
      ? schema.exclusiveMaximum
      : (schema.maximum as number | undefined);
  const minExcluded = schema.exclusiveMinimum === true || typeof schema.exclusiveMinimum === 'number';
  const maxExcluded = schema.exclusiveMaximum === true || typeof schema.exclusiveMaximum === 'number';
  return { min, max, minExcluded, maxExcluded };
}

/**
 * Values of `candidates` that satisfy `keep`, drawn once up front (fixed seed): a constraint almost
 * nothing violates yields a few examples instead of a filter that would search for ever, and one
 * nothing violates yields none (undefined).
 */
function sampled<T>(candidates: fc.Arbitrary<T>, keep: (value: T) => boolean): fc.Arbitrary<T> | undefined {
  const found = [...new Set(fc.sample(candidates, { numRuns: 300, seed: 7 }).filter(keep))].slice(0, 40);
  return found.length > 0 ? fc.constantFrom(...found) : undefined;
}

const TYPE_EXEMPLARS: [string, unknown][] = [
  ['string', 'text'],
  ['integer', 7],
  ['number', 2.5],
  ['boolean', true],
  ['null', null],
  ['array', []],
  ['object', {}],
];
/** Whether an exemplar of JSON type `exemplar` is also of schema type `type` (integers are numbers). */
const sameType = (exemplar: string, type: string | undefined) =>
  exemplar === type || (type === 'number' && exemplar === 'integer');

const FORMAT_BREAKERS: Record<string, string[]> = {
  'date-time': ['yesterday', '2024-13-01T00:00:00Z', '2024-01-01'],
  email: ['no-at-sign', 'a@', '@example.com'],
  uri: ['not a uri', '//no-scheme'],
  uuid: ['not-a-uuid', '1234'],
};

/** How a parameter value travels: text. */
function wire(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The request without a cursor to follow: following one sends the issuing page's query, which
 * would overwrite the one parameter a broken request breaks.
 */
function unfollowed(request: WireRequest): WireRequest {
  const { follow: _follow, ...rest } = request;
  return rest;
}

function withParam(request: WireRequest, p: Parameter, values: string[] | undefined): WireRequest {
  const value = values?.[0];
  if (p.in === 'path') return { ...request, path: { ...request.path, [p.name]: value ?? '' } };
  if (p.in === 'header') {
    const headers = { ...request.headers };
    if (value === undefined) delete headers[p.name];
    else headers[p.name] = value;
    return { ...request, headers };
  }
  const query = request.query.filter(([name]) => name !== p.name);
  return { ...request, query: [...query, ...(values ?? []).map((v): [string, string] => [p.name, v])] };
}

/** A copy of `root` with the value at `path` replaced (or removed, for REMOVE). */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === REMOVE) delete node[last];
  else if (Array.isArray(node) && typeof last === 'number') node[last] = value;
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** The request without keys whose value is undefined (fast-check records keep them). */
function strip(request: {
  auth: Auth;
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: WireRequest['body'];
  follow?: number | undefined;
  tamperCursor?: WireRequest['tamperCursor'];
}): WireRequest {
  const out: WireRequest = {
    auth: request.auth,
    path: request.path,
    query: request.query,
    headers: request.headers,
  };
  if (request.body !== undefined) out.body = request.body;
  if (request.follow !== undefined) out.follow = request.follow;
  if (request.tamperCursor !== undefined) out.tamperCursor = request.tamperCursor;
  return out;
}
