/**
 * `npm run soak`: a mixed load of creates, reads, updates and comments (added
 * and listed) at 16 in flight for a bounded time, then every ticket answered
 * 201 read back (see scripts/bench/soak.ts). Prints requests, errors by
 * status, p50 and p99 latency and tickets lost; exits 1 when a ticket was lost
 * or any answer was a 5xx.
 *
 *   npm run soak                          starts its own `npm start` (free ports, a fresh state
 *                                         directory, the stage throttle lifted), soaks it, stops it
 *   npm run soak -- --url http://127.0.0.1:3000
 *                                         against a running `npm start`: tokens are signed with its
 *                                         key (LOCAL_STATE_DIR or --state-dir, else .local/); with
 *                                         the template's stage throttle (50/s) expect 429s, so start it
 *                                         with PARAMETER_OVERRIDES='ApiThrottlingRateLimit=100000 ApiThrottlingBurstLimit=100000'
 *   npm run soak -- --url URL --customer-token T [--customer-token T2 …] --agent-token A
 *                                         against any deployment, with its tokens
 *   --seconds N (60)   --warm-up N (10: seconds of load first, not counted; every function's
 *   environments start cold then)   --in-flight N (16)
 */
import { parseArgs } from 'node:util';
import { startNpmStart } from './bench/npm-start.js';
import { localCallers, runSoak, soakReport, type SoakCallers } from './bench/soak.js';

const USAGE =
  'Usage: npm run soak -- [--seconds N] [--warm-up N] [--in-flight N] [--url URL [--state-dir DIR | --customer-token T… --agent-token A]]';

/** Unset and empty alike are none. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new Error(`--${name} takes a whole number of at least 1.`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      'warm-up': { type: 'string', default: '10' },
      'in-flight': { type: 'string', default: '16' },
      url: { type: 'string' },
      'state-dir': { type: 'string' },
      'customer-token': { type: 'string', multiple: true },
      'agent-token': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seconds = positiveInteger(values.seconds, 'seconds');
  const inFlight = positiveInteger(values['in-flight'], 'in-flight');
  const warmUpSeconds = values['warm-up'] === '0' ? 0 : positiveInteger(values['warm-up'], 'warm-up');
  const customerTokens = values['customer-token'] ?? [];
  if (customerTokens.length > 0 !== (values['agent-token'] !== undefined)) {
    throw new Error('--customer-token and --agent-token go together.');
  }

  const system = values.url === undefined ? await startNpmStart() : undefined;
  try {
    const apiUrl = values.url ?? system?.apiUrl ?? '';
    const callers: SoakCallers =
      values['agent-token'] !== undefined
        ? { customers: customerTokens, agent: values['agent-token'] }
        : await localCallers(system?.stateDir ?? values['state-dir'] ?? nonEmpty(process.env.LOCAL_STATE_DIR));
    if (system) console.log(`npm start served at ${apiUrl} after ${system.startupSeconds.toFixed(1)} s.`);
    console.log(
      `Soaking ${apiUrl} for ${String(seconds)} s after ${String(warmUpSeconds)} s of warm-up, at ${String(inFlight)} in flight…`,
    );
    const result = await runSoak({ apiUrl, callers, seconds, warmUpSeconds, inFlight });
    console.log(soakReport(result));
    return result.ticketsLost > 0 || result.serverErrors > 0 ? 1 : 0;
  } finally {
    await system?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
  },
);
