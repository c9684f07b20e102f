/**
 * Opaque pagination cursors: base64url of a small JSON value. A cursor is only ever one the server
 * issued for the same query: anything else (undecodable, re-encoded, reshaped, from another query)
 * is a 400 on `cursor`, never a 500, and never reaches a data store.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from './errors.ts';

/** Longest cursor accepted; issued cursors are well under a few hundred characters. */
export const MAX_CURSOR_LENGTH = 2048;

const CURSOR_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_CURSOR_LENGTH}}$`);

/** What every issued cursor is (base64url, never empty), as the `cursor` parameter states it. */
export const CURSOR_PARAM_PATTERN = /^[A-Za-z0-9_-]+$/;

const INVALID_CURSOR = 'The cursor is not valid for this request.';

/**
 * The `cursor` query parameter of a list route, documented with what binds it: `sameQuery` names
 * what must not change between pages (e.g. "category", "q, filters and sort").
 */
export function cursorParam(sameQuery: string, issuedBy: string) {
  return z
    .string()
    .max(MAX_CURSOR_LENGTH, INVALID_CURSOR)
    .regex(CURSOR_PARAM_PATTERN, INVALID_CURSOR)
    .optional()
    .meta({
      description:
        `An opaque token: nextCursor of the previous page, passed back unchanged with the same ${sameQuery} ` +
        `(limit may change). Cursors are bound to the ${issuedBy} that issued them: a cursor from another ` +
        `${issuedBy}, or one that was altered, is a 400 with a field error on \`cursor\`.`,
    });
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function invalidCursor(reason = INVALID_CURSOR): ValidationError {
  return new ValidationError(reason, [{ path: 'cursor', message: reason }]);
}

/**
 * The JSON value inside a cursor. Only the exact bytes encodeCursor produces decode: re-encoding the
 * parsed value must give the same string back, which refuses non-canonical base64, invalid UTF-8,
 * extra whitespace, duplicate keys and numbers JSON cannot round-trip (1e999, 0.1e1...).
 */
export function decodeCursor(cursor: string): unknown {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidCursor();
  }
  if (encodeCursor(value) !== cursor) throw invalidCursor();
  return value;
}

/** Decodes `cursor` and checks it against `schema` (which states the exact shape); 400 otherwise. */
export function parseCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  const result = schema.safeParse(decodeCursor(cursor));
  if (!result.success) throw invalidCursor();
  return result.data;
}

/**
 * A short digest of the normalised query a cursor was issued for. Stored in the cursor, it ties
 * the cursor to that query: the same cursor on another query (other text, filters, sort or
 * category) is refused instead of paging from a position that query never produced.
 */
export function queryBinding(normalisedQuery: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(normalisedQuery), 'utf8')
    .digest('base64url')
    .slice(0, 16);
}

export function wrongQueryCursor(): ValidationError {
  return invalidCursor(
    'The cursor belongs to another query (text, filters, sort or category changed); start again without it.',
  );
}

/** An instant as positions store it (Date.toISOString()), spelled exactly so: nothing else decodes. */
export const IsoInstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .refine((t) => {
    const ms = Date.parse(t);
    return Number.isFinite(ms) && new Date(ms).toISOString() === t;
  });

/** The API's list `limit` (API.md: 1..100, default 20), documented with what it counts. */
export function limitParam(what: string, max = 100, fallback = 20) {
  const message = `limit: a whole number from 1 to ${max}.`;
  // Decimal digits only: `0x10`, `1e1` or ` 12 ` are not the integer the document states.
  return z
    .preprocess(
      (value) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value),
      z.int({ error: message }).min(1, message).max(max, message),
    )
    .default(fallback)
    .meta({ description: `${what} per page, 1..${max} (default ${fallback}).` });
}
