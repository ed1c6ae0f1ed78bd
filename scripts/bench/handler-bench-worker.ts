/**
 * A child process measuring one part with the functions' handlers in it
 * (handler-bench.ts, runWorker): `handler-bench-worker.ts NAME [--quick]`.
 * It reports progress and its result to its parent over IPC.
 */
import { parseArgs } from 'node:util';
import type { BenchPartOptions, BenchPartResult } from './figures.js';
import type { Progress } from './handler-bench.js';
import { measureHandlerOverhead } from './handler-overhead.js';
import { measureListScaling } from './list-scaling.js';

const MEASURES: Record<string, (options: BenchPartOptions, progress: Progress) => Promise<BenchPartResult>> = {
  'handler-overhead': measureHandlerOverhead,
  'list-scaling': measureListScaling,
};

function send(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (process.send)
      process.send(message, () => {
        resolve();
      });
    else resolve();
  });
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false } },
});
const [name = ''] = positionals;
const measure = MEASURES[name];
try {
  if (!measure) throw new Error(`No part ${name} runs in a worker.`);
  const result = await measure({ quick: values.quick }, (line) => void send({ progress: line }));
  await send({ result });
} catch (error) {
  await send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
// The SDK's keep-alive sockets would hold the process open.
process.exit(0);
