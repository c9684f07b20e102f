// `node:http` for bundles, taken with `require` (Node's ES facade of `http` loads all of undici). The
// unprefixed name, so the bundler's alias of `node:http` does not send this file back to itself.
// biome-ignore lint/style/useNodejsImportProtocol: `node:http` is aliased to this very file.
module.exports = require('http');
