/**
 * The local cloud's token issuer (stage local only): an ES256 key pair kept in
 * `.local/issuer-key.json`, created on first synth and reused afterwards so tokens minted by
 * `POST /dev/token` stay valid across restarts. Never used for a deployed stage.
 */
import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface LocalIssuer {
  kid: string;
  /** Private JWK with `kid`, `alg`, `use`: the DevToken function signs with it. */
  privateJwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
  /** `{ keys: [public JWK] }`: the authorizer verifies against it. */
  jwks: { keys: (JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' })[] };
}

export const DEFAULT_ISSUER_KEY_FILE = resolve(import.meta.dirname, '../../.local/issuer-key.json');

interface KeyFile {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

/** RFC 7638 thumbprint: a stable kid derived from the public key itself. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function create(file: string): KeyFile {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicKey.export({ format: 'jwk' });
  const keyFile: KeyFile = {
    kid: thumbprint(publicJwk),
    privateJwk: privateKey.export({ format: 'jwk' }),
    publicJwk,
  };
  mkdirSync(dirname(file), { recursive: true });
  // Write aside and rename: two synths starting together never read a half-written file.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(keyFile, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return keyFile;
}

function load(file: string): KeyFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFile>;
    if (parsed.kid && parsed.privateJwk?.d && parsed.publicJwk?.x) return parsed as KeyFile;
    throw new Error(`${file} is not an issuer key file; delete it to have a new key made`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function loadOrCreateLocalIssuer(file = DEFAULT_ISSUER_KEY_FILE): LocalIssuer {
  const keyFile = load(file) ?? create(file);
  const meta = { kid: keyFile.kid, alg: 'ES256', use: 'sig' } as const;
  return {
    kid: keyFile.kid,
    privateJwk: { ...keyFile.privateJwk, ...meta },
    jwks: { keys: [{ ...keyFile.publicJwk, ...meta }] },
  };
}
