import * as z from 'zod';

/** One probed part: its state and how long the probe took. */
export const PartHealthSchema = z
  .strictObject({
    status: z.enum(['ok', 'down']),
    latencyMs: z.int().min(0).meta({ description: 'How long the probe took (it gives up after 1.5 s).' }),
  })
  .meta({ id: 'PartHealth' });

/** The parts the Health function probes: every stage's report has exactly these. */
const probedParts = {
  dynamodb: PartHealthSchema,
  search: PartHealthSchema,
};

const overall = z
  .enum(['ok', 'degraded'])
  .meta({ description: '`degraded` as soon as a probed part is down.' });

export const HealthReportSchema = z
  .strictObject({ status: overall, parts: z.strictObject(probedParts) })
  .meta({ id: 'Health' });

/**
 * The local cloud's own parts (moto, opensearch, lambda, stepFunctions, eventSourceMappings,
 * eventRules, apiGateway), which it adds to the report: a state and diagnostics that vary by part.
 */
export const LocalPartHealthSchema = z.looseObject({ status: z.enum(['ok', 'down', 'degraded']) }).meta({
  id: 'LocalPartHealth',
  description: 'A local cloud part: its state, then diagnostics of that part.',
  // Stated outright: any further field is allowed (zod-to-openapi would write `{ nullable: true }`).
  additionalProperties: true,
});

/** Stage local: the probed parts, plus the local cloud's own parts. */
export const LocalHealthReportSchema = z
  .strictObject({ status: overall, parts: z.object(probedParts).catchall(LocalPartHealthSchema) })
  .meta({ id: 'Health' });

export type PartHealth = z.output<typeof PartHealthSchema>;
export type HealthReport = z.output<typeof HealthReportSchema>;

export function summarize(parts: HealthReport['parts']): HealthReport {
  const ok = Object.values(parts).every((p) => p.status === 'ok');
  return { status: ok ? 'ok' : 'degraded', parts };
}

/**
 * `load`'s result, kept for `ttlMs` after it settles and shared by the calls made while it runs. A
 * rejection is not kept: the next call loads again.
 */
export function memoizeFor<T>(
  ttlMs: number,
  load: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let kept: { value: Promise<T>; until: number } | undefined;
  return () => {
    if (kept && now() < kept.until) return kept.value;
    const entry = { value: load(), until: Number.POSITIVE_INFINITY };
    kept = entry;
    entry.value.then(
      () => {
        entry.until = now() + ttlMs;
      },
      () => {
        if (kept === entry) kept = undefined;
      },
    );
    return entry.value;
  };
}
