import { DeserializationError, SerializationError } from '@opensearch-project/opensearch/lib/errors.js';
import { describe, expect, it } from 'vitest';
import { JsonSerializer } from '#search/adapters/json-serializer.ts';

const serializer = new JsonSerializer();

describe('the transport serializer', () => {
  it('reads and writes JSON bodies', () => {
    const doc = { productId: 'p1', minPrice: 599, name: 'Lamp "Aurora"', tags: ['a', 'b'] };
    expect(serializer.deserialize(serializer.serialize(doc))).toEqual(doc);
  });

  it('writes bulk bodies as one JSON document per line, passing strings through', () => {
    expect(serializer.ndserialize([{ index: { _id: 'p1' } }, '{"name":"x"}', { name: 'y' }])).toBe(
      '{"index":{"_id":"p1"}}\n{"name":"x"}\n{"name":"y"}\n',
    );
    expect(() => serializer.ndserialize('nope' as never)).toThrow(SerializationError);
  });

  it('writes query strings: lists comma-separated, keys without a value left out', () => {
    expect(
      serializer.qserialize({ refresh: 'wait_for', _source: ['a', 'b'], routing: undefined, size: 10 }),
    ).toBe('refresh=wait_for&_source=a%2Cb&size=10');
    expect(serializer.qserialize('a=1')).toBe('a=1');
    expect(serializer.qserialize(undefined)).toBe('');
  });

  it("refuses bodies that would poison a prototype, and bad JSON, with the client's error", () => {
    for (const body of [
      '{"a":1,"__proto__":{"admin":true}}',
      '{"nested":{"constructor":{"prototype":{"admin":true}}}}',
      '{"broken":',
    ]) {
      expect(() => serializer.deserialize(body), body).toThrow(DeserializationError);
    }
    // A key merely named constructor is data.
    expect(serializer.deserialize('{"constructor":"Acme"}')).toEqual({ constructor: 'Acme' });
  });
});
