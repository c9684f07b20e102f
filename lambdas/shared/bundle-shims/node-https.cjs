// `node:https` for bundles, taken with `require` (see node-http.cjs).
// biome-ignore lint/style/useNodejsImportProtocol: `node:https` is aliased to this very file.
module.exports = require('https');
