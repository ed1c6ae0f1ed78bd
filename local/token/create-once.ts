import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * The contents of `path`, creating it from `create()` first if it does not
 * exist. Generated once and then reused, so a signing key or a secret stays
 * the same across restarts. Written to a scratch file and hard-linked into
 * place: linking fails if the file already exists, so when several processes
 * race (an `npm start` and an `npm run token`), one wins and every one of them
 * reads the winner's complete file, never a half-written one.
 */
export function readOrCreateFile(path: string, create: () => string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const scratch = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // Owner-only: these files hold private keys and secrets.
  writeFileSync(scratch, create(), { mode: 0o600 });
  try {
    linkSync(scratch, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(scratch, { force: true });
  }
  return readFileSync(path, 'utf8');
}
