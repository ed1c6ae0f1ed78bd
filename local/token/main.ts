/**
 * Prints an ID token the local API accepts.
 *
 *   npm run --silent token -- --sub alice --email alice@example.com [--agent] [--expires-in 3600]
 *
 * The token goes to stdout alone, so `TOKEN=$(npm run --silent token -- …)` works.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXPIRES_IN_SECONDS, mintIdToken } from './id-token.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const USAGE =
  'Usage: npm run --silent token -- --sub <id> --email <email> [--agent] [--expires-in <seconds>] [--state-dir <dir>]';

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      agent: { type: 'boolean', default: false },
      'expires-in': { type: 'string', default: String(DEFAULT_EXPIRES_IN_SECONDS) },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const expiresInSeconds = Number(values['expires-in']);
  if (!values.sub || !values.email || !Number.isInteger(expiresInSeconds)) {
    throw new Error('--sub and --email are required; --expires-in takes whole seconds.');
  }
  // The same state directory as `npm start`, which LOCAL_STATE_DIR also moves.
  const fromEnvironment = process.env.LOCAL_STATE_DIR;
  const stateDir = values['state-dir'] ?? (fromEnvironment === '' ? undefined : fromEnvironment);
  return { sub: values.sub, email: values.email, agent: values.agent, expiresInSeconds, stateDir };
}

try {
  const { stateDir, ...identity } = parseCommandLine();
  const key = await loadOrCreateSigningKey(stateDir);
  console.log(await mintIdToken(key, identity));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
