/**
 * `npm run setup`: installs what the local cloud needs beyond npm (moto in `.local/venv`, the
 * OpenSearch jars in `.local/opensearch`). Idempotent and cached; `npm start` calls the same steps.
 */
import { resolve } from 'node:path';
import { ensureMoto } from '../moto.ts';
import { ensureOpenSearch } from '../opensearch.ts';

const rootDir = resolve(import.meta.dirname, '../..');
const log = (line: string) => console.log(`[setup] ${line}`);
const started = performance.now();
await Promise.all([ensureMoto(rootDir, log), ensureOpenSearch(rootDir, log)]);
log(`ready (${((performance.now() - started) / 1000).toFixed(1)} s)`);
