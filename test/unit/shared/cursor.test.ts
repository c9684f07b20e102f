import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { decodeCursor, encodeCursor, parseCursor, queryBinding } from '#shared/cursor.ts';
import { ValidationError } from '#shared/errors.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The field errors of a refused cursor; fails the test when the cursor is accepted. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.path);
  }
  throw new Error('expected the cursor to be refused');
}

describe('cursor encoding', () => {
  it('round-trips a JSON value through base64url', () => {
    const value = { h: 'abc', a: [1.5, 'x', 0] };
    const cursor = encodeCursor(value);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(value);
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['not base64url', '%%%'],
    ['standard base64 with padding', Buffer.from('{"a":1}').toString('base64')],
    ['spaces', 'eyJh IjoxfQ'],
    ['not JSON', b64('not json')],
    ['truncated JSON', b64('{"a":')],
    ['NaN', b64('{"a":[NaN]}')],
    ['Infinity', b64('{"a":[Infinity]}')],
    ['a number JSON cannot hold', b64('{"a":[1e999]}')],
    ['a number spelled another way', b64('{"a":[0.1e1]}')],
    ['whitespace inside', b64('{ "a": 1 }')],
    ['duplicate keys', b64('{"a":1,"a":2}')],
    ['invalid UTF-8', Buffer.from([0x22, 0xff, 0xfe, 0x22]).toString('base64url')],
    ['a non-canonical last character', `${encodeCursor({ a: 1 }).slice(0, -1)}R`],
    ['too long', 'A'.repeat(2049)],
  ])('refuses %s with a field error on cursor', (_label, cursor) => {
    expect(refusal(() => decodeCursor(cursor))).toEqual(['cursor']);
  });

  it('refuses a decodable value that does not fit the schema', () => {
    const schema = z.strictObject({ n: z.int() });
    expect(parseCursor(encodeCursor({ n: 3 }), schema)).toEqual({ n: 3 });
    for (const value of [{ n: '3' }, { n: 3, extra: 1 }, null, [3], 'n', { n: { $gt: 1 } }]) {
      expect(
        refusal(() => parseCursor(encodeCursor(value), schema)),
        JSON.stringify(value),
      ).toEqual(['cursor']);
    }
  });
});

describe('query binding', () => {
  it('is short, stable and differs between queries', () => {
    const a = queryBinding(['search', 'lamp', null]);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(queryBinding(['search', 'lamp', null])).toBe(a);
    expect(queryBinding(['search', 'lamps', null])).not.toBe(a);
    expect(queryBinding(['search', 'lamp', 'home'])).not.toBe(a);
  });
});
