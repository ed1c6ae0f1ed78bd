import { afterAll, beforeAll, expect, jest } from '@jest/globals';
import {
  readUsersFile,
  userOf,
  USERS_FILE_VARIABLE,
  type RunRole,
  type UsersFile,
} from '../../../scripts/cloud-users-file.js';
import { readTemplate } from '../../../scripts/sam-template.js';
import type { CommentBody, TicketBody, TicketWithHistoryBody } from '../../support/api-bodies.js';
import { clientFor, everyTicket, type ApiClient } from './api-client.js';
import {
  E2E_START_TIMEOUT_MS,
  E2E_TEST_TIMEOUT_MS,
  testSystemPerFile,
  type TestSystemOptions,
} from './local-system.js';

/*
 * What the contract suite (tests/e2e/contract/) runs against: the local
 * system by default, or a deployed stack when CLOUD_USERS_FILE names the
 * users file `npm run cloud:users -- create` wrote (the cloud jest config,
 * jest.cloud.config.js, names .cloud/users.json). Tests call the API as roles
 * (a customer, another customer, an agent), whose ids, e-mails and tokens
 * come from the target, and ask the target what depends on the deployment.
 */

export interface Caller {
  /** The caller's sub: their id as a requester, an author, an assignee. */
  readonly id: string;
  readonly email: string;
  /** Their ID token, for requests made without the client. */
  readonly token: string;
  readonly client: ApiClient;
}

export interface ContractTarget {
  /** A deployed stack (real Cognito, Comprehend, DynamoDB); false for the local system. */
  readonly deployed: boolean;
  readonly apiUrl: string;
  /** The agent console's origin: CloudFront's when deployed, the console part's locally. */
  readonly consoleUrl: string;
  readonly customer: Caller;
  readonly otherCustomer: Caller;
  readonly agent: Caller;
  /** A caller who sends no token. */
  readonly anonymous: ApiClient;
  /** The deployment's template parameter values (defaults included), as `ServiceLevelTargets`. */
  readonly parameters: Readonly<Record<string, string>>;
  /**
   * A ticket subject as this target's tests send it: on a deployed stack it
   * starts with the run id, so the tickets a run leaves behind say which run
   * made them; locally it is left as it is.
   */
  subject(text: string): string;
  /** The Location the API answers for a path (`/tickets/…`): the path as the client called it, stage included. */
  location(path: string): string;
  /** The API path (for the clients) that a Location names. */
  pathOf(location: string): string;
}

export interface ContractTargetOptions {
  /** How to start the local system, when the target is local; a deployed stack has its own settings. */
  local?: TestSystemOptions;
}

/** The roles' identities on the local system. */
const LOCAL_CALLERS: Record<RunRole, { sub: string; agent?: boolean }> = {
  customer: { sub: 'alice' },
  otherCustomer: { sub: 'bob' },
  agent: { sub: 'ada', agent: true },
};

/**
 * The target for the tests of one file, ready before them (and, locally,
 * stopped after them). After them, every ticket of the file's customers is
 * closed, so that a deployed stack's queues do not grow with each run.
 * Returns the target for use inside tests and hooks registered after this call.
 */
export function contractTargetPerFile(options: ContractTargetOptions = {}): () => ContractTarget {
  jest.setTimeout(E2E_TEST_TIMEOUT_MS);
  const usersFile = process.env[USERS_FILE_VARIABLE];
  let target: ContractTarget | undefined;
  // Registered before the local system's own afterAll, which stops it: Jest runs afterAll hooks in this order.
  afterAll(async () => {
    if (target) await closeCustomersTickets(target);
  }, E2E_START_TIMEOUT_MS);
  if (usersFile) {
    beforeAll(() => {
      target = deployedTarget(readUsersFile(usersFile));
    });
  } else {
    const system = testSystemPerFile(options.local);
    beforeAll(async () => {
      target = await localTarget(system, options.local?.parameterOverrides ?? {});
    }, E2E_START_TIMEOUT_MS);
  }
  return () => {
    if (!target) throw new Error('The contract target is not ready: see the error of the first hook.');
    return target;
  };
}

/** The target a users file describes: its API, its users' tokens, its stack's parameters. */
export function deployedTarget(file: UsersFile): ContractTarget {
  const api = { apiUrl: file.apiUrl };
  const caller = (role: RunRole): Caller => {
    const user = userOf(file, role);
    return { id: user.sub, email: user.email, token: user.idToken, client: clientFor(api, user.idToken) };
  };
  return {
    deployed: true,
    apiUrl: file.apiUrl,
    consoleUrl: file.consoleUrl,
    customer: caller('customer'),
    otherCustomer: caller('otherCustomer'),
    agent: caller('agent'),
    anonymous: clientFor(api, null),
    parameters: file.parameters,
    subject: (text) => `[${file.runId}] ${text}`,
    ...locations(file.apiUrl),
  };
}

async function localTarget(
  system: ReturnType<typeof testSystemPerFile>,
  parameterOverrides: Record<string, string>,
): Promise<ContractTarget> {
  const caller = async (role: RunRole): Promise<Caller> => {
    const identity = LOCAL_CALLERS[role];
    const token = await system().token(identity);
    return { id: identity.sub, email: `${identity.sub}@example.com`, token, client: clientFor(system(), token) };
  };
  return {
    deployed: false,
    get apiUrl() {
      return system().apiUrl;
    },
    get consoleUrl() {
      return system().consoleUrl;
    },
    customer: await caller('customer'),
    otherCustomer: await caller('otherCustomer'),
    agent: await caller('agent'),
    anonymous: system().anonymous,
    parameters: localParameters(parameterOverrides),
    subject: (text) => text,
    // The local API serves at the root of its URL.
    ...locations(''),
  };
}

/** The template's parameter defaults with the overrides the local system was started with. */
export function localParameters(overrides: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, declaration] of Object.entries(readTemplate().Parameters ?? {})) {
    const fallback = (declaration as { Default?: unknown }).Default;
    if (typeof fallback === 'string' || typeof fallback === 'number') values[name] = String(fallback);
  }
  return { ...values, ...overrides };
}

/** Location headers and API paths for an API at `apiUrl`, whose path (the stage on API Gateway's endpoint) they carry. */
export function locations(apiUrl: string): Pick<ContractTarget, 'location' | 'pathOf'> {
  const base = apiUrl === '' ? '' : new URL(apiUrl).pathname.replace(/\/+$/, '');
  return {
    location: (path) => `${base}${path}`,
    pathOf: (location) => {
      if (!location.startsWith(`${base}/`)) throw new Error(`${location} is not a path under ${base || '/'}.`);
      return location.slice(base.length);
    },
  };
}

/**
 * The agent closes every ticket of the target's customers that is not closed
 * yet. On a deployed stack the customers are the run's own, so these are the
 * tickets the run made: closed, they leave the agents' status queues, which
 * a test reads whole.
 */
export async function closeCustomersTickets(target: ContractTarget): Promise<void> {
  for (const caller of [target.customer, target.otherCustomer]) {
    for (const ticket of await everyTicket(caller.client)) {
      if (ticket.status === 'closed') continue;
      const closed = await target.agent.client.update(ticket.id, { status: 'closed' });
      expect({ id: ticket.id, status: closed.status }).toEqual({ id: ticket.id, status: 200 });
    }
  }
}

/** How long a deployed stack's stream may take to complete an analysis the request left pending. */
export const ANALYSIS_SETTLES_WITHIN_MS = 60_000;
const ANALYSIS_POLL_INTERVAL_MS = 1_000;

/** A test (or hook) that waits for `settles` analyses to settle, one after another, may take that much longer than others. */
export function settlingTimeout(settles: number): number {
  return E2E_TEST_TIMEOUT_MS + settles * ANALYSIS_SETTLES_WITHIN_MS;
}

/** A test that waits for one analysis to settle. */
export const SETTLING_TEST_TIMEOUT_MS = settlingTimeout(1);

/**
 * A ticket or comment as it is once its analysis is complete. Locally the
 * analysis completes within the request: `created` must already be complete.
 * On a deployed stack a cold start may make Comprehend miss the request's
 * analysis deadline; the item is then stored `pending` and the stream
 * completes it, so `reread` is called until it reads complete (failing after
 * a minute).
 */
export async function withSettledAnalysis<Item extends { analysis: { status: string } }>(
  target: ContractTarget,
  created: Item,
  reread: () => Promise<Item>,
): Promise<Item> {
  if (!target.deployed) {
    expect(created.analysis.status).toBe('complete');
    return created;
  }
  expect(['complete', 'pending']).toContain(created.analysis.status);
  const giveUpAt = Date.now() + ANALYSIS_SETTLES_WITHIN_MS;
  let current = created;
  while (current.analysis.status === 'pending' && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, ANALYSIS_POLL_INTERVAL_MS));
    current = await reread();
  }
  expect(current.analysis.status).toBe('complete');
  return current;
}

/**
 * The ticket `created` answered, read again (by the agent, with its history)
 * once its analysis is complete: what a test's later versions, ETags and
 * history follow. Locally the create answer is complete, so this is the
 * ticket as created: version 1, no history. On a deployed stack the stream
 * may have completed it since, which is one more version and one history
 * entry: tests take versions from the answer rather than assume 1.
 */
export async function settledTicket(target: ContractTarget, created: TicketBody): Promise<TicketWithHistoryBody> {
  const read = async () => {
    const answer = await target.agent.client.get(created.id);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  await withSettledAnalysis<TicketBody>(target, created, read);
  const ticket = await read();
  expect(ticket.analysis.status).toBe('complete');
  // Nothing but the stream's completion may have changed it since the create.
  const completedLater = created.analysis.status === 'pending' ? 1 : 0;
  expect({ version: ticket.version, entries: ticket.history.length }).toEqual({
    version: created.version + completedLater,
    entries: completedLater,
  });
  if (!target.deployed) expect(ticket).toMatchObject({ version: 1, history: [] });
  return ticket;
}

/** Creates a ticket as `caller` (201) and answers it as settledTicket reads it. */
export async function createSettled(
  target: ContractTarget,
  caller: ApiClient,
  body: unknown,
  headers?: Record<string, string>,
): Promise<TicketWithHistoryBody> {
  const created = await caller.create(body, headers);
  expect(created.status).toBe(201);
  return settledTicket(target, created.body);
}

/**
 * The comment `added` answered once its analysis is complete, read by the
 * agent (who sees internal notes too). Locally that is the answer itself; on
 * a deployed stack the stream may complete it later, which changes the
 * comment (its analysis, its body's redactions) but never its ticket.
 */
export function settledComment(target: ContractTarget, added: CommentBody): Promise<CommentBody> {
  return withSettledAnalysis(
    target,
    added,
    async () => (await target.agent.client.getComment(added.ticketId, added.id)).body,
  );
}
