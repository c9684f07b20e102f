import { describe, expect, it } from 'vitest';
import { matches, matchesAnyPattern } from '../../../local/runtime/event-filter.ts';

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
