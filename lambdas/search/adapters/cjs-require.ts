/**
 * The OpenSearch transport is CommonJS and calls `require` for Node built-ins. Inside an ESM
 * bundle esbuild routes those calls through `require` if one exists, so give it one. Harmless when
 * the bundler already injects a `require` banner. Import this module before the transport.
 */
import { createRequire } from 'node:module';

const scope = globalThis as { require?: NodeJS.Require };
scope.require ??= createRequire(import.meta.url);
