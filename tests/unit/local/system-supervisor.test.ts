/**
 * The supervisor of the local system's child servers: a server that dies is
 * started again, the death and the restart said in the output; restarts are
 * bounded within a window; a stopped server is never restarted, not even one
 * whose restart was under way.
 */
import { describe, expect, test } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { looksLikeStop, supervise, type ExitStatus, type Restartable } from '../../../local/system/supervisor.js';

/** A server whose process "ends" when the test says so. */
class FakeServer implements Restartable {
  readonly exited: Promise<ExitStatus>;
  stopped = false;
  private end!: (status: ExitStatus) => void;

  constructor(readonly pid: number) {
    this.exited = new Promise((resolve) => {
      this.end = resolve;
    });
  }

  die(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.end({ code: null, signal });
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.end({ code: 0, signal: null });
    return Promise.resolve();
  }
}

/** Lets the supervisor's promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function harness(options: { maxRestarts?: number; failFirstRestarts?: number } = {}) {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let nextPid = 100;
  let failures = options.failFirstRestarts ?? 0;
  const servers: FakeServer[] = [new FakeServer(nextPid++)];
  let clock = 0;
  const supervised = supervise({
    name: 'fake',
    address: '127.0.0.1:9999',
    keeps: 'its data in /data',
    first: servers[0]!,
    restart: () => {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('port busy'));
      }
      const server = new FakeServer(nextPid++);
      servers.push(server);
      return Promise.resolve(server);
    },
    output,
    policy: { maxRestarts: options.maxRestarts ?? 3, windowMs: 60_000, stopGraceMs: 0, retryDelayMs: 0 },
    now: () => clock,
  });
  return {
    supervised,
    servers,
    output: () => text,
    advance: (ms: number) => (clock += ms),
  };
}

describe('supervising a child server', () => {
  test('a server killed by SIGKILL is restarted on its address, and the output says it died and came back', async () => {
    const { supervised, servers, output } = harness();

    servers[0]!.die();
    await settle();

    expect(servers).toHaveLength(2);
    expect(supervised.current).toBe(servers[1]);
    expect(supervised.restarts).toBe(1);
    expect(output()).toContain(
      '[fake] died (killed by SIGKILL); restarting it on 127.0.0.1:9999, keeping its data in /data…',
    );
    expect(output()).toContain('[fake] restarted on 127.0.0.1:9999 (process 101).');

    servers[1]!.die();
    await settle();
    expect(supervised.current).toBe(servers[2]);
    await supervised.stop();
    expect(servers[2]!.stopped).toBe(true);
  });

  test('a restart that fails is tried again, within the bound', async () => {
    const { supervised, servers, output } = harness({ failFirstRestarts: 2 });

    servers[0]!.die();
    // Each failed attempt waits a (zero) retry delay on a timer before the next.
    for (let round = 0; round < 100 && supervised.current === servers[0]; round++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }

    expect(output().match(/could not be restarted: port busy/g)).toHaveLength(2);
    expect(supervised.current).toBe(servers[1]);
    await supervised.stop();
  });

  test('after the most restarts allowed within the window it is left down, saying so; later deaths restart again', async () => {
    const { supervised, servers, output, advance } = harness({ maxRestarts: 2 });

    servers[0]!.die();
    await settle();
    servers[1]!.die();
    await settle();
    servers[2]!.die();
    await settle();

    expect(servers).toHaveLength(3);
    expect(supervised.restarts).toBe(2);
    expect(output()).toContain('[fake] died again after 2 restarts within 60 s; not restarting it any more.');

    // Outside the window the count starts afresh: a server restarted now and then is not given up on.
    const { supervised: other, servers: others, advance: later } = harness({ maxRestarts: 2 });
    others[0]!.die();
    await settle();
    later(60_000);
    others[1]!.die();
    await settle();
    later(60_000);
    others[2]!.die();
    await settle();
    expect(other.restarts).toBe(3);
    advance(0);
    await Promise.all([supervised.stop(), other.stop()]);
  });

  test('a stopped server is not restarted', async () => {
    const { supervised, servers, output } = harness();

    await supervised.stop();
    await settle();

    expect(servers).toHaveLength(1);
    expect(servers[0]!.stopped).toBe(true);
    expect(output()).toBe('');
  });

  test('a server that ends on SIGINT while the system stops is not restarted (Ctrl-C reaches the children first)', async () => {
    const { supervised, servers, output } = harness();

    servers[0]!.die('SIGINT');
    await supervised.stop();
    await settle();

    expect(servers).toHaveLength(1);
    expect(output()).toBe('');
  });

  test('once told to stop restarting, a server that dies stays down until it is stopped', async () => {
    const { supervised, servers, output } = harness();

    supervised.stopRestarting();
    servers[0]!.die();
    await settle();

    expect(servers).toHaveLength(1);
    expect(output()).toBe('');
    await supervised.stop();
  });

  test('what counts as an ordinary stop', () => {
    expect(looksLikeStop({ code: null, signal: 'SIGTERM' })).toBe(true);
    expect(looksLikeStop({ code: 130, signal: null })).toBe(true);
    expect(looksLikeStop({ code: 0, signal: null })).toBe(true);
    expect(looksLikeStop({ code: null, signal: 'SIGKILL' })).toBe(false);
    expect(looksLikeStop({ code: 1, signal: null })).toBe(false);
  });
});
