/**
 * Opaque pagination cursors: base64url of a small JSON value. Callers validate the decoded shape;
 * anything that does not decode is a 400 on `cursor`, never a 500.
 */
import { ValidationError } from './errors.ts';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function invalidCursor(reason = 'The cursor is not valid for this request.'): ValidationError {
  return new ValidationError(reason, [{ path: 'cursor', message: reason }]);
}

export function decodeCursor(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalidCursor();
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidCursor();
  }
}
