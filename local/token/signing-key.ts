import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importJWK, type CryptoKey } from 'jose';
import { LOCAL_TOKEN_ALGORITHM } from '../../layers/shared/src/http/local-id-token.js';
import { readOrCreateFile } from './create-once.js';

/**
 * The key pair that signs local ID tokens, generated on first use under the
 * local state directory (`.local/` at the project root, git-ignored) and
 * reused after, so tokens stay valid across restarts. One algorithm only: the
 * verifier is pinned to it, so a token signed any other way (or not at all,
 * `alg: none`) is refused.
 */
export { LOCAL_TOKEN_ALGORITHM };

export const DEFAULT_STATE_DIR = fileURLToPath(new URL('../../.local', import.meta.url));

export const signingKeyPath = (stateDir: string = DEFAULT_STATE_DIR): string =>
  join(stateDir, 'secrets', 'jwt-signing-key.json');

export interface LocalSigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Key id, written into every token's header as a Cognito user pool does. */
  keyId: string;
}

interface StoredKey {
  kid: string;
  privateJwk: JsonWebKey;
}

export async function loadOrCreateSigningKey(stateDir?: string): Promise<LocalSigningKey> {
  const stored = JSON.parse(readOrCreateFile(signingKeyPath(stateDir), generateKey)) as StoredKey;
  // The public half: the private key without its private part.
  const publicJwk: JsonWebKey = { ...stored.privateJwk };
  delete publicJwk.d;
  const [privateKey, publicKey] = await Promise.all([
    importJWK({ ...stored.privateJwk }, LOCAL_TOKEN_ALGORITHM),
    importJWK(publicJwk, LOCAL_TOKEN_ALGORITHM),
  ]);
  return { privateKey: privateKey as CryptoKey, publicKey: publicKey as CryptoKey, keyId: stored.kid };
}

function generateKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stored: StoredKey = {
    kid: `local-${Date.now().toString(36)}`,
    privateJwk: privateKey.export({ format: 'jwk' }),
  };
  return JSON.stringify(stored, null, 2);
}
