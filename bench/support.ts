/** What the benchmarks share: a store to measure (a running one, or a local cloud of their own) and percentiles. */
import { resolve } from 'node:path';
import { startLocalCloud } from '../local/cloud.ts';
import { freePort } from '../local/support.ts';

export interface BenchTarget {
  baseUrl: string;
  motoUrl: string;
  searchUrl: string;
  stop(): Promise<void>;
}

/**
 * `url` given: measure that store (moto and OpenSearch at the given URLs). Otherwise start a local
 * cloud on free ports with its own assembly, so a benchmark runs beside `npm start`.
 */
export async function benchTarget(options: {
  name: string;
  url?: string;
  moto: string;
  opensearch?: string;
}): Promise<BenchTarget> {
  if (options.url) {
    return {
      baseUrl: options.url,
      motoUrl: options.moto,
      searchUrl: options.opensearch ?? 'http://127.0.0.1:9200',
      stop: async () => {},
    };
  }
  const rootDir = resolve(import.meta.dirname, '..');
  const cloud = await startLocalCloud({
    rootDir,
    log: (line) => console.log(`[local-cloud] ${line}`),
    ports: {
      api: await freePort(),
      moto: await freePort(),
      opensearch: await freePort(),
      stepFunctions: await freePort(),
    },
    cdkOut: resolve(rootDir, 'cdk.out', `bench-${options.name}`),
  });
  return {
    baseUrl: cloud.url,
    motoUrl: `http://127.0.0.1:${cloud.ports.moto}`,
    searchUrl: `http://127.0.0.1:${cloud.ports.opensearch}`,
    stop: cloud.stop,
  };
}

/** The p-th percentile (nearest rank), formatted in ms. */
export function pct(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return (sorted[index] ?? Number.NaN).toFixed(1);
}
