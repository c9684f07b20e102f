import { describe, expect, it } from 'vitest';
import {
  matches,
  matchesAnyPattern,
  matchesSqsRecord,
  sqsFilterProblem,
} from '../../../local/runtime/event-filter.ts';

const record = {
  eventName: 'MODIFY',
  dynamodb: { Keys: { pk: { S: 'PRODUCT#p1' }, sk: { S: 'PRODUCT' } }, NewImage: { version: { N: '3' } } },
};

describe('event source filter patterns', () => {
  it('matches prefix rules on nested keys, as the indexer mapping uses', () => {
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'PRODUCT#' }] } } } }, record)).toBe(true);
    expect(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'SKU#' }] } } } }, record)).toBe(false);
  });

  it('matches literal values, anything-but, exists and numeric ranges', () => {
    expect(matches({ eventName: ['INSERT', 'MODIFY'] }, record)).toBe(true);
    expect(matches({ eventName: [{ 'anything-but': ['REMOVE'] }] }, record)).toBe(true);
    expect(matches({ eventName: [{ 'anything-but': 'MODIFY' }] }, record)).toBe(false);
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } }, record)).toBe(true);
    expect(matches({ dynamodb: { NewImage: [{ exists: true }] } }, record)).toBe(true);
    expect(
      matches({ dynamodb: { NewImage: { version: { N: [{ numeric: ['>', 2, '<=', 3] }] } } } }, record),
    ).toBe(true);
    expect(matches({ dynamodb: { NewImage: { version: { N: [{ numeric: ['>', 3] }] } } } }, record)).toBe(
      false,
    );
  });

  it('passes everything when there are no filters and needs one matching pattern otherwise', () => {
    expect(matchesAnyPattern([], record)).toBe(true);
    expect(matchesAnyPattern([{ eventName: ['REMOVE'] }, { eventName: ['MODIFY'] }], record)).toBe(true);
    expect(matchesAnyPattern([{ eventName: ['REMOVE'] }], record)).toBe(false);
  });
});

// Lambda developer guide, "Control which events Lambda sends to your function" ("Properly
// filtering Amazon SQS messages") and "Using event filtering with an Amazon SQS event source".
describe('SQS filter criteria', () => {
  const json = { body: { type: ['order'], total: [{ numeric: ['>', 10] }] } };
  const plain = { body: [{ prefix: 'ping' }] };

  it('matches a JSON body by its fields', () => {
    expect(matchesSqsRecord([json], { body: '{"type":"order","total":12}' })).toBe(true);
    expect(matchesSqsRecord([json], { body: '{"type":"order","total":9}' })).toBe(false);
    expect(matchesSqsRecord([json], { body: '{"type":"refund","total":12}' })).toBe(false);
  });

  it('matches a plain-string body only with a plain-string pattern, and drops format mismatches', () => {
    expect(matchesSqsRecord([plain], { body: 'ping-1' })).toBe(true);
    expect(matchesSqsRecord([plain], { body: 'pong' })).toBe(false);
    // Valid JSON (a JSON string) against a plain-string pattern, and plain text against a JSON one.
    expect(matchesSqsRecord([plain], { body: '"ping-2"' })).toBe(false);
    expect(matchesSqsRecord([json], { body: 'type=order' })).toBe(false);
  });

  it('passes everything without filters and needs one matching pattern otherwise', () => {
    expect(matchesSqsRecord([], { body: 'anything' })).toBe(true);
    expect(matchesSqsRecord([json, plain], { body: 'ping' })).toBe(true);
    expect(matchesSqsRecord([json, plain], { body: '{"type":"order","total":50}' })).toBe(true);
    expect(matchesSqsRecord([json, plain], { body: '{"type":"other"}' })).toBe(false);
  });

  it('accepts only patterns on the body key', () => {
    expect(sqsFilterProblem(json)).toBeUndefined();
    expect(sqsFilterProblem(plain)).toBeUndefined();
    expect(sqsFilterProblem({ attributes: { SenderId: ['x'] } })).toMatch(
      /only support filtering on the body key/,
    );
    expect(sqsFilterProblem({ body: 'order' })).toMatch(/object .* or a list of rules/);
  });
});
