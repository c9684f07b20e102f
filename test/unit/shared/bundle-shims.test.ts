/**
 * The bundler's aliases (lib/constructs/service-function.ts) swap `node:http(s)` for shims that
 * take the module with `require`: a bundle built with them must get the real module, not itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER } from '../../../lib/constructs/service-function.ts';

describe('bundle shims', () => {
  it('give a bundle the real node:http and node:https', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-'));
    const entry = join(dir, 'entry.mjs');
    writeFileSync(
      entry,
      "import http from 'node:http'; import * as https from 'node:https';\n" +
        'export const seen = { request: typeof http.request, agent: typeof https.Agent, codes: Object.keys(http.STATUS_CODES ?? {}).length };\n',
    );
    const alias = Object.fromEntries(
      Object.entries(BUNDLE_ALIASES)
        .filter(([flag]) => flag.startsWith('--alias:node:'))
        .map(([flag, file]) => [flag.slice('--alias:'.length), file]),
    );
    const outfile = join(dir, 'bundle.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      alias,
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'silent',
    });
    const { seen } = (await import(pathToFileURL(outfile).href)) as {
      seen: { request: string; agent: string; codes: number };
    };
    expect(Object.keys(alias)).toEqual(['node:http', 'node:https']);
    expect(seen).toEqual({ request: 'function', agent: 'function', codes: expect.any(Number) });
    expect(seen.codes).toBeGreaterThan(50);
  });
});
