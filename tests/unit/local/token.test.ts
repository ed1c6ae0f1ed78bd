import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  mintIdToken,
  TokenRejectedError,
  verifyIdToken,
} from '../../../local/token/id-token.js';
import { loadOrCreateSigningKey, signingKeyPath } from '../../../local/token/signing-key.js';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

describe('local ID tokens', () => {
  let stateDir: string;

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-token-'));
  });
  afterAll(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Each run starts Node.js with tsx: seconds apiece on a busy machine. */
  const COMMAND_TIMEOUT_MS = 30_000;
  /** `npm run token` with these arguments, keeping its key in this suite's state directory. */
  const runTokenCommand = (args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'local/token/main.ts', ...args, '--state-dir', stateDir],
      { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: '' } },
    );

  test('carry the claims of a Cognito ID token', async () => {
    const key = await loadOrCreateSigningKey(stateDir);
    const token = await mintIdToken(key, { sub: 'bob', email: 'bob@example.com', agent: true, expiresInSeconds: 120 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.keyId, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'bob',
      email: 'bob@example.com',
      'cognito:groups': ['agents'],
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
    });
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(decodeJwt(await mintIdToken(key, { sub: 'carol', email: 'c@example.com' }))['cognito:groups']).toEqual([]);
  });

  test('are verified with the same key, and refused once expired', async () => {
    const key = await loadOrCreateSigningKey(stateDir);
    await expect(verifyIdToken(key, await mintIdToken(key, { sub: 'bob', email: 'b@x' }))).resolves.toMatchObject({
      sub: 'bob',
    });
    const expired = await mintIdToken(key, { sub: 'bob', email: 'b@x', expiresInSeconds: -1 });
    await expect(verifyIdToken(key, expired)).rejects.toThrow(TokenRejectedError);
    await expect(verifyIdToken(key, expired)).rejects.toMatchObject({
      gatewayMessage: 'The incoming token has expired',
    });
  });

  test('the key is generated once, private to its owner, and reused by every later load', async () => {
    const fresh = join(stateDir, 'fresh');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(fresh)));
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(1);
    expect(statSync(signingKeyPath(fresh)).mode & 0o777).toBe(0o600);
    const token = await mintIdToken(keys[0]!, { sub: 'a', email: 'a@x' });
    await expect(verifyIdToken(await loadOrCreateSigningKey(fresh), token)).resolves.toMatchObject({ sub: 'a' });
  });

  test(
    'npm run token prints a token alone on stdout, and fails with usage without --sub',
    async () => {
      const { stdout } = await runTokenCommand(['--sub', 'dave', '--email', 'dave@example.com', '--agent']);
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const key = await loadOrCreateSigningKey(stateDir);
      await expect(verifyIdToken(key, stdout.trim())).resolves.toMatchObject({
        sub: 'dave',
        'cognito:groups': ['agents'],
      });
      await expect(runTokenCommand(['--email', 'x@example.com'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Usage'),
      });
    },
    COMMAND_TIMEOUT_MS,
  );

  test(
    'npm run token --expires-in sets the expiry, in seconds from issue; a non-integer is refused',
    async () => {
      const identity = ['--sub', 'erin', '--email', 'erin@example.com'];
      const short = decodeJwt((await runTokenCommand([...identity, '--expires-in', '90'])).stdout.trim());
      expect(short.exp! - short.iat!).toBe(90);
      const standard = decodeJwt((await runTokenCommand(identity)).stdout.trim());
      expect(standard.exp! - standard.iat!).toBe(3600);
      // Already expired: the local API refuses it with 401.
      const expired = (await runTokenCommand([...identity, '--expires-in=-60'])).stdout.trim();
      await expect(verifyIdToken(await loadOrCreateSigningKey(stateDir), expired)).rejects.toMatchObject({
        gatewayMessage: 'The incoming token has expired',
      });
      await expect(runTokenCommand([...identity, '--expires-in', 'soon'])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--expires-in takes whole seconds'),
      });
    },
    COMMAND_TIMEOUT_MS,
  );
});
