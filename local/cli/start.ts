/**
 * `npm start`: the whole store offline. Sets up what is missing, starts the local cloud, loads
 * the demo catalog and serves the API until Ctrl-C.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../cloud.ts';
import seedDemo from '../seed/demo.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm start -- [--port 3000] [--no-seed] [--verbose]
  --port      API port (also LOCAL_API_PORT; LOCAL_MOTO_PORT, LOCAL_OPENSEARCH_PORT, LOCAL_SFN_PORT for the rest)
  --no-seed   start with an empty catalog
  --verbose   print every function's log lines (always in .local/logs/<function>.log)`);
  process.exit(0);
}

const rootDir = resolve(import.meta.dirname, '../..');
const log = (line: string) => console.log(`[local-cloud] ${line}`);
const cloud = await startLocalCloud({
  rootDir,
  log,
  verbose: values.verbose,
  ports: values.port ? { api: Number(values.port) } : {},
});

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every part`);
  await cloud.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

if (!values['no-seed']) {
  const started = performance.now();
  const count = await seedDemo(cloud.url, `http://127.0.0.1:${cloud.ports.moto}`);
  log(`demo catalog: ${count} products, searchable (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(`
  The store API is on ${cloud.url}   (Ctrl-C stops everything)
    curl ${cloud.url}/health
    curl '${cloud.url}/search?q=headphones'
    curl ${cloud.url}/openapi.json
  Admin token:  curl -X POST ${cloud.url}/dev/token -H 'content-type: application/json' -d '{"sub":"me","groups":["admin"]}'
`);
