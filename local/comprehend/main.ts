/**
 * Runs the Comprehend stand-in until SIGINT/SIGTERM.
 *
 *   npx tsx local/comprehend/main.ts [--port N]
 *
 * The port defaults to env COMPREHEND_PORT, else its default in local/system/parts.ts (4620, clear of
 * LocalStack's 4566–4599 range).
 * Point the SDK at it with AWS_ENDPOINT_URL_COMPREHEND=<printed endpoint>.
 * env COMPREHEND_STAND_IN_FAULT (throttle | error | timeout | delay=<ms>) starts it faulty.
 */
import { parseArgs } from 'node:util';
import { LOCAL_SYSTEM_PORTS } from '../system/parts.js';
import { startComprehendStandIn } from './comprehend-stand-in.js';

const { setting, defaultPort } = LOCAL_SYSTEM_PORTS.comprehend;
const USAGE = `Usage: npx tsx local/comprehend/main.ts [--port N]   (default: env ${setting} or ${String(defaultPort)})`;

function parsePort(value: string | undefined): number {
  const text = value ?? process.env[setting] ?? String(defaultPort);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new Error(`Invalid port '${text}': expected 0–65535`);
  return port;
}

async function main(): Promise<number> {
  let port: number;
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    port = parsePort(values.port);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  let standIn;
  try {
    const started = performance.now();
    standIn = await startComprehendStandIn({ port });
    console.log(
      `Comprehend stand-in listening on ${standIn.endpoint} (ready in ${Math.round(performance.now() - started)} ms)`,
    );
    console.log(`  AWS_ENDPOINT_URL_COMPREHEND=${standIn.endpoint}`);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'EADDRINUSE') {
      console.error(
        `Comprehend stand-in: port ${port} on 127.0.0.1 is already in use (EADDRINUSE). ` +
          'Stop the other process or pass --port N (0 picks a free port).',
      );
    } else {
      console.error(`Comprehend stand-in failed to start: ${message}`);
    }
    return 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log(`Comprehend stand-in: ${signal}, stopping`);
  await standIn.stop();
  return 0;
}

process.exitCode = await main();
