/**
 * The transport's serializer: JSON bodies, newline-delimited JSON for bulk bodies, query strings.
 * It stands in for the client's own, whose long-numeral option (BigInt through json11, about a
 * tenth of a search function's bundle) the index never needs: its numbers are prices in minor
 * units, versions, ratings and counts. Like the client's, it refuses a body that would poison a
 * prototype (`__proto__`, `constructor.prototype`) and throws the client's error types.
 */
import { stringify } from 'node:querystring';
import { DeserializationError, SerializationError } from '@opensearch-project/opensearch/lib/errors.js';

// Only a body naming one of these keys needs the slower check.
const SUSPECT = /"(?:__proto__|constructor)"\s*:/;

function refusePoisoning(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('Object contains forbidden prototype property');
  if (
    key === 'constructor' &&
    value !== null &&
    typeof value === 'object' &&
    Object.hasOwn(value, 'prototype')
  ) {
    throw new SyntaxError('Object contains forbidden prototype property');
  }
  return value;
}

export class JsonSerializer {
  serialize(object: unknown): string {
    try {
      return JSON.stringify(object);
    } catch (error) {
      throw new SerializationError((error as Error).message, object as object);
    }
  }

  deserialize(json: string): unknown {
    try {
      return SUSPECT.test(json) ? JSON.parse(json, refusePoisoning) : JSON.parse(json);
    } catch (error) {
      throw new DeserializationError((error as Error).message, json);
    }
  }

  ndserialize(array: unknown[]): string {
    if (!Array.isArray(array)) throw new SerializationError('The argument provided is not an array', array);
    return array.map((line) => `${typeof line === 'string' ? line : this.serialize(line)}\n`).join('');
  }

  qserialize(object: Record<string, unknown> | string | null | undefined): string {
    if (object == null) return '';
    if (typeof object === 'string') return object;
    const query: Record<string, string | number | boolean> = {};
    // OpenSearch refuses keys without a value; lists are comma-separated.
    for (const [key, value] of Object.entries(object)) {
      if (value === undefined) continue;
      query[key] = Array.isArray(value) ? value.join(',') : (value as string | number | boolean);
    }
    return stringify(query);
  }
}
