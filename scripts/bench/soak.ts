import { randomInt, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadOrCreateSigningKey } from '../../local/token/signing-key.js';
import { mintIdToken } from '../../local/token/id-token.js';
import { percentile } from './figures.js';

/*
 * The soak: customers and agents creating, reading, updating and commenting on
 * tickets at a fixed number of requests in flight for a bounded time, against
 * a running local system (or any deployment of the API with tokens for it).
 * Every answer that is not the operation's success counts as an error by its
 * status; afterwards every ticket answered 201 is read back, and one that
 * cannot be read is lost. Used by `npm run soak` and the bench's local-system part.
 */

export interface SoakCallers {
  /** Tokens of a few customers: each ticket is created by one of them. */
  customers: string[];
  agent: string;
}

export interface SoakOptions {
  apiUrl: string;
  callers: SoakCallers;
  seconds: number;
  /**
   * Load before the measured time, not counted in it (each function's
   * execution environments start cold then, as after a deployment); its
   * errors are reported apart, and its tickets are checked like the others.
   */
  warmUpSeconds?: number;
  /** Requests in flight at once. */
  inFlight?: number;
}

export interface SoakResult {
  seconds: number;
  inFlight: number;
  requests: number;
  /** Per operation: how many were sent. */
  requestsByOperation: Record<string, number>;
  /** Answers other than the operation's success, by status (`network` for no answer at all). */
  errorsByStatus: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  ticketsCreated: number;
  /** Answered 201 on create but not readable afterwards. */
  ticketsLost: number;
  /** Any 5xx at all. */
  serverErrors: number;
  warmUp: { seconds: number; requests: number; errorsByStatus: Record<string, number> };
}

/** Tokens for `npm run soak`'s callers, signed with the state directory's key as `npm run token` signs them. */
export async function localCallers(stateDir?: string, customers = 4): Promise<SoakCallers> {
  const key = await loadOrCreateSigningKey(stateDir);
  const run = randomUUID().slice(0, 8);
  const tokens = await Promise.all(
    Array.from({ length: customers }, (_, index) =>
      mintIdToken(key, { sub: `soak-${run}-customer-${String(index)}`, email: `customer${String(index)}@example.com` }),
    ),
  );
  const agent = await mintIdToken(key, { sub: `soak-${run}-agent`, email: 'agent@example.com', agent: true });
  return { customers: tokens, agent };
}

/** Reads of a ticket after the load before it counts as lost, when the answers are 429 or 503. */
const READ_BACK_ATTEMPTS = 5;

interface Answer {
  status: number;
  body: string;
}

interface Created {
  id: string;
  /** Index into the customers. */
  owner: number;
}

type Operation = 'create' | 'read' | 'update' | 'add comment' | 'list comments';

/** How often each operation is picked, relatively. */
const MIX: readonly (readonly [Operation, number])[] = [
  ['create', 2],
  ['read', 4],
  ['update', 2],
  ['add comment', 1],
  ['list comments', 1],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
/** Statuses an update moves between; never `closed`, which would end the ticket's comments. */
const STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved'] as const;
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
const DESCRIPTIONS = [
  'The invoice for March charged us twice; please refund the second payment.',
  'I cannot log in since this morning, the page says my password is wrong.',
  'The export to CSV stops at 1000 rows and the rest of the report is missing.',
  'Could you add dark mode to the dashboard? It would help on night shifts.',
  'Our production database is down and we are losing money, please help ASAP!',
];

function pickOperation(): Operation {
  let roll = randomInt(MIX_TOTAL);
  for (const [operation, weight] of MIX) {
    if (roll < weight) return operation;
    roll -= weight;
  }
  return 'read';
}

function pick<Value>(values: readonly Value[]): Value {
  return values[randomInt(values.length)] as Value;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const inFlight = options.inFlight ?? 16;
  const { customers, agent } = options.callers;
  const httpAgent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const base = new URL(options.apiUrl);
  const call = (method: string, path: string, token: string, body?: unknown) =>
    send(httpAgent, base, method, path, token, body);

  let latenciesMs: number[] = [];
  let requestsByOperation: Record<string, number> = {};
  let errorsByStatus: Record<string, number> = {};
  const created: Created[] = [];
  const countError = (status: number) => {
    const key = status === 0 ? 'network' : String(status);
    errorsByStatus[key] = (errorsByStatus[key] ?? 0) + 1;
  };

  /** One request of `operation`, with a ticket of this worker's own for writes (no artificial write contention). */
  const perform = async (operation: Operation, own: Created[]) => {
    const target =
      operation === 'create' ? undefined : pick(operation === 'read' || operation === 'list comments' ? created : own);
    const ownerToken = customers[target?.owner ?? 0] ?? agent;
    const started = performance.now();
    let answer: Answer;
    let expected: number;
    switch (operation) {
      case 'create': {
        const owner = randomInt(customers.length);
        answer = await call('POST', '/tickets', customers[owner] ?? agent, {
          subject: `Soak ${String(created.length)}`,
          description: pick(DESCRIPTIONS),
        });
        expected = 201;
        if (answer.status === 201) {
          const ticket = { id: (JSON.parse(answer.body) as { id: string }).id, owner };
          created.push(ticket);
          own.push(ticket);
        }
        break;
      }
      case 'read':
        answer = await call('GET', `/tickets/${target?.id ?? ''}`, randomInt(2) ? ownerToken : agent);
        expected = 200;
        break;
      case 'update':
        answer = await call('PATCH', `/tickets/${target?.id ?? ''}`, agent, {
          status: pick(STATUSES),
          priority: pick(PRIORITIES),
        });
        expected = 200;
        break;
      case 'add comment':
        answer = await call('POST', `/tickets/${target?.id ?? ''}/comments`, randomInt(2) ? ownerToken : agent, {
          body: 'Thanks, we are looking into it; could you tell us which browser you use?',
        });
        expected = 201;
        break;
      case 'list comments':
        answer = await call('GET', `/tickets/${target?.id ?? ''}/comments?limit=20`, agent);
        expected = 200;
        break;
    }
    latenciesMs.push(performance.now() - started);
    requestsByOperation[operation] = (requestsByOperation[operation] ?? 0) + 1;
    if (answer.status !== expected) countError(answer.status);
  };

  const owned: Created[][] = Array.from({ length: inFlight }, () => []);
  /** Every worker sends one request after another until `seconds` have passed; resolves to the time it took. */
  const phase = async (phaseSeconds: number) => {
    const started = performance.now();
    const deadline = started + phaseSeconds * 1000;
    await Promise.all(
      owned.map(async (own) => {
        while (performance.now() < deadline) {
          // Until a worker has a ticket of its own, it creates one.
          await perform(own.length === 0 ? 'create' : pickOperation(), own);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };
  const warmUpSeconds = await phase(options.warmUpSeconds ?? 0);
  const warmUp = { seconds: warmUpSeconds, requests: latenciesMs.length, errorsByStatus };
  latenciesMs = [];
  requestsByOperation = {};
  errorsByStatus = {};
  const seconds = await phase(options.seconds);

  /**
   * Whether a ticket answered 201 reads back. A throttled (429) or unavailable
   * (503) answer says nothing of the ticket: asked again after a pause, a few times.
   */
  const readsBack = async (id: string): Promise<boolean> => {
    for (let attempt = 1; ; attempt += 1) {
      const { status } = await call('GET', `/tickets/${id}`, agent);
      if (status === 200) return true;
      if ((status !== 429 && status !== 503) || attempt === READ_BACK_ATTEMPTS) return false;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  };

  // Every ticket answered 201 must read back.
  let ticketsLost = 0;
  const toCheck = [...created];
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let ticket = toCheck.pop(); ticket; ticket = toCheck.pop()) {
        if (!(await readsBack(ticket.id))) ticketsLost += 1;
      }
    }),
  );
  httpAgent.destroy();

  const requests = latenciesMs.length;
  return {
    seconds,
    inFlight,
    requests,
    requestsByOperation,
    errorsByStatus,
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    ticketsCreated: created.length,
    ticketsLost,
    // The warm-up's answers count too: it is when every environment starts cold, and a 5xx then is still one.
    serverErrors: serverErrorsIn(errorsByStatus) + serverErrorsIn(warmUp.errorsByStatus),
    warmUp,
  };
}

const serverErrorsIn = (errorsByStatus: Record<string, number>): number =>
  Object.entries(errorsByStatus)
    .filter(([status]) => status.startsWith('5'))
    .reduce((sum, [, count]) => sum + count, 0);

/** One request; status 0 when no answer came (refused, reset). */
function send(agent: Agent, base: URL, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveAnswer) => {
    const call = request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload !== undefined && {
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(payload)),
          }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolveAnswer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', () => {
          resolveAnswer({ status: 0, body: '' });
        });
      },
    );
    call.on('error', () => {
      resolveAnswer({ status: 0, body: '' });
    });
    call.end(payload);
  });
}

/** The soak's result in a few lines. */
export function soakReport(result: SoakResult): string {
  const errors = Object.entries(result.errorsByStatus)
    .map(([status, count]) => `${status}: ${String(count)}`)
    .join(', ');
  const mix = Object.entries(result.requestsByOperation)
    .map(([operation, count]) => `${operation} ${String(count)}`)
    .join(', ');
  const warmUpErrors = Object.entries(result.warmUp.errorsByStatus)
    .map(([status, count]) => `${status}: ${String(count)}`)
    .join(', ');
  return [
    `warm-up         ${String(result.warmUp.requests)} requests in ${result.warmUp.seconds.toFixed(1)} s (not counted below), errors ${warmUpErrors || 'none'}`,
    `requests        ${String(result.requests)} in ${result.seconds.toFixed(1)} s at ${String(result.inFlight)} in flight (${(result.requests / result.seconds).toFixed(0)}/s: ${mix})`,
    `errors          ${errors || 'none'}`,
    `latency         p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`,
    `tickets lost    ${String(result.ticketsLost)} of ${String(result.ticketsCreated)} created`,
  ].join('\n');
}
