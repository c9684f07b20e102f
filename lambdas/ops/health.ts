import * as z from 'zod';

export const PartHealthSchema = z.object({ status: z.enum(['ok', 'down']), latencyMs: z.int() });

export const HealthReportSchema = z
  .object({ status: z.enum(['ok', 'degraded']), parts: z.record(z.string(), PartHealthSchema) })
  .meta({ id: 'Health' });

export type PartHealth = z.output<typeof PartHealthSchema>;
export type HealthReport = z.output<typeof HealthReportSchema>;

export function summarize(parts: Record<string, PartHealth>): HealthReport {
  const ok = Object.values(parts).every((p) => p.status === 'ok');
  return { status: ok ? 'ok' : 'degraded', parts };
}
