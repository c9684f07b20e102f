/**
 * Writes client/openapi.d.ts: the TypeScript types of the OpenAPI document, built in-process from
 * the same zod schemas the handlers validate with (no server needed). The output is formatted with
 * the project's Biome settings so the checked-in file and a fresh generation compare byte for byte.
 *
 *   npm run client:generate
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildOpenApiDocument } from '../lambdas/ops/openapi.ts';

const root = resolve(import.meta.dirname, '..');
export const CLIENT_TYPES_FILE = resolve(root, 'client/openapi.d.ts');

const HEADER = [
  '/**',
  ' * Types of the Serverless Store API, from its OpenAPI document (stage local, which adds /dev/*).',
  ' * generated, do not edit; npm run client:generate',
  ' */',
  '',
].join('\n');

/** The generated file's text, exactly as `npm run client:generate` writes it. */
export async function renderClientTypes(): Promise<string> {
  // The document object is plain JSON; openapi-typescript's own type is a looser mirror of it.
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument({ stage: 'local' }))) as OpenAPI3;
  const ast = await openapiTS(document, {
    silent: true,
    // Keep the document's order (paths and properties), which is already stable.
    alphabetize: false,
    // `{}` response schemas (GET /openapi.json) are unknown, not `Record<string, never>`.
    emptyObjectsUnknown: true,
    // Optional stays optional: a field with a server-side default need not be sent.
    defaultNonNullable: false,
  });
  return format(HEADER + astToString(ast));
}

/** Formats with the repository's biome.json (through the CLI's stdin, so no extra package). */
function format(source: string): string {
  const biome = resolve(root, 'node_modules/.bin/biome');
  const result = spawnSync(biome, ['format', `--stdin-file-path=${CLIENT_TYPES_FILE}`], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`biome format failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(CLIENT_TYPES_FILE, await renderClientTypes());
  console.log(`wrote ${CLIENT_TYPES_FILE}`);
}
