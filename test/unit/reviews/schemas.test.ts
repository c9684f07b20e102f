import { describe, expect, it } from 'vitest';
import {
  addedDelta,
  applyDelta,
  averageOf,
  changedDelta,
  emptySummary,
  ListReviewsQuerySchema,
  ReviewIdSchema,
  ReviewWriteSchema,
  removedDelta,
  summaryView,
} from '../../../lambdas/reviews/domain/review.ts';

const ok = { rating: 4, title: 'Nice', body: 'Does the job.' };

describe('ReviewWriteSchema', () => {
  it('takes a whole rating 1..5 and trims the text', () => {
    expect(ReviewWriteSchema.parse({ rating: 1, title: '  Nice ', body: '\nok\t' })).toEqual({
      rating: 1,
      title: 'Nice',
      body: 'ok',
    });
    expect(
      ReviewWriteSchema.parse({ ...ok, title: 'x'.repeat(120), body: 'y'.repeat(4000) }).title,
    ).toHaveLength(120);
  });

  it.each([
    ['rating 0', { ...ok, rating: 0 }],
    ['rating 6', { ...ok, rating: 6 }],
    ['rating 4.5', { ...ok, rating: 4.5 }],
    ['rating "4"', { ...ok, rating: '4' }],
    ['no rating', { title: ok.title, body: ok.body }],
    ['no title', { rating: 4, body: ok.body }],
    ['a blank title', { ...ok, title: '   ' }],
    ['a title of 121', { ...ok, title: 'x'.repeat(121) }],
    ['an empty body', { ...ok, body: '' }],
    ['a body of 4001', { ...ok, body: 'y'.repeat(4001) }],
    ['an unknown field', { ...ok, stars: 5 }],
  ])('refuses %s', (_what, body) => {
    expect(ReviewWriteSchema.safeParse(body).success).toBe(false);
  });
});

describe('ListReviewsQuerySchema and ids', () => {
  it('defaults to newest, 20; limit 1..100', () => {
    expect(ListReviewsQuerySchema.parse({})).toEqual({ sort: 'newest', limit: 20 });
    expect(ListReviewsQuerySchema.parse({ sort: 'rating', limit: '100' })).toEqual({
      sort: 'rating',
      limit: 100,
    });
    for (const q of [{ limit: '0' }, { limit: '101' }, { limit: '2.5' }, { sort: 'oldest' }, { page: '2' }])
      expect(ListReviewsQuerySchema.safeParse(q).success).toBe(false);
  });

  it('takes review ids as issued only', () => {
    expect(ReviewIdSchema.safeParse('r_AAAAAAAAAAAAAAAAAAAAAA').success).toBe(true);
    expect(ReviewIdSchema.safeParse('r_short').success).toBe(false);
  });
});

describe('summary arithmetic', () => {
  it('adds, changes by the difference and removes', () => {
    let s = emptySummary('p');
    s = applyDelta(s, addedDelta(5));
    s = applyDelta(s, addedDelta(2));
    s = applyDelta(s, changedDelta(2, 4));
    expect(s).toMatchObject({ count: 2, sum: 9, histogram: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 }, version: 3 });
    s = applyDelta(s, removedDelta(5));
    expect(summaryView(s)).toEqual({ average: 4, count: 1, histogram: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } });
    expect(changedDelta(3, 3)).toEqual({ count: 0, sum: 0, histogram: {} });
  });

  it('rounds the average to 2 decimals, 0 when empty', () => {
    expect(averageOf({ count: 3, sum: 14 })).toBe(4.67);
    expect(averageOf({ count: 0, sum: 0 })).toBe(0);
  });
});
