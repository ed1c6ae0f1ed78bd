import { beforeAll, describe, expect, test } from '@jest/globals';
import { expectProblem } from '../../support/problem-details.js';
import type { ApiClient } from '../support/api-client.js';
import {
  contractTargetPerFile,
  createSettled,
  settlingTimeout,
  type ContractTarget,
} from '../support/contract-target.js';

/**
 * Service levels over HTTP: due times on every ticket following the
 * deployment's targets (its ServiceLevelTargets parameter: set here for the
 * local system, the stack's own when deployed), the clock standing still
 * while the ticket waits on the customer, and the queue's 400s. The order of
 * an agent's queue by due time needs a queue of this file's tickets alone:
 * it is local-only, in ../service-levels.test.ts.
 */
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The local system's targets here: normal 2 h to a first response and 1 day to resolve, urgent 10 days. */
const LOCAL_TARGETS = 'urgent=10d/20d,normal=2h/1d';

interface ExpectedTargets {
  normal: { firstResponseMs: number; resolutionMs: number };
  urgent: { firstResponseMs: number };
}

/**
 * What a deployment's targets make the due times, in milliseconds after
 * creation. Locally written out; on a deployed stack read from its
 * ServiceLevelTargets parameter by this file's own reading of the documented
 * format (the README's and the template's), never the functions' parser.
 */
function expectedTargets(target: ContractTarget): ExpectedTargets {
  if (!target.deployed) {
    return {
      normal: { firstResponseMs: 2 * HOUR_MS, resolutionMs: 24 * HOUR_MS },
      urgent: { firstResponseMs: 10 * DAY_MS },
    };
  }
  const setting = targetsIn(target.parameters.ServiceLevelTargets ?? '');
  return { normal: setting.normal, urgent: { firstResponseMs: setting.urgent.firstResponseMs } };
}

/** The documented defaults, which a priority left out of the setting keeps. */
const DEFAULT_TARGETS_MS: Record<string, { firstResponseMs: number; resolutionMs: number }> = {
  urgent: { firstResponseMs: 1 * HOUR_MS, resolutionMs: 4 * HOUR_MS },
  high: { firstResponseMs: 4 * HOUR_MS, resolutionMs: 1 * DAY_MS },
  normal: { firstResponseMs: 8 * HOUR_MS, resolutionMs: 3 * DAY_MS },
  low: { firstResponseMs: 1 * DAY_MS, resolutionMs: 5 * DAY_MS },
};
const UNIT_MS: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** `urgent=1h/4h,normal=2h/1d`: comma-separated priority=first/resolution pairs with m, h or d units. */
function targetsIn(setting: string) {
  const targets = { ...DEFAULT_TARGETS_MS };
  const duration = (text: string) => {
    const match = /^(\d+)([mhd])$/.exec(text);
    if (!match) throw new Error(`"${text}" in ServiceLevelTargets is not a duration such as 4h.`);
    return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  };
  for (const pair of setting.split(',').filter((entry) => entry !== '')) {
    const [priority = '', durations = ''] = pair.split('=');
    const [first = '', resolution = ''] = durations.split('/');
    if (!(priority in DEFAULT_TARGETS_MS)) throw new Error(`"${pair}" in ServiceLevelTargets names no priority.`);
    targets[priority] = { firstResponseMs: duration(first), resolutionMs: duration(resolution) };
  }
  return { normal: targets.normal!, urgent: targets.urgent! };
}

describe('service levels over HTTP', () => {
  const target = contractTargetPerFile({
    local: { parameterOverrides: { ServiceLevelTargets: LOCAL_TARGETS } },
  });
  let customer: ApiClient;
  let agent: ApiClient;
  let urgentId: string;
  let normalId: string;

  beforeAll(async () => {
    customer = target().customer.client;
    agent = target().agent.client;
    // Settled before the agent sets their priorities: an analysis completed later by a deployed stack's stream
    // could otherwise move a priority the agent's update left as it was, and its due times with it.
    const first = await createSettled(target(), customer, {
      subject: target().subject('Export question'),
      description: 'How do I export my data?',
    });
    const second = await createSettled(target(), customer, {
      subject: target().subject('Another question'),
      description: 'Where are my invoices?',
    });
    urgentId = first.id;
    normalId = second.id;
    const raised = await agent.update(urgentId, { priority: 'urgent' });
    const kept = await agent.update(normalId, { priority: 'normal' });
    expect([raised.status, kept.status]).toEqual([200, 200]);
  }, settlingTimeout(2));

  test("a ticket's due times follow this deployment's targets for its priority", async () => {
    const targets = expectedTargets(target());
    const { body: normal } = await customer.get(normalId);
    const created = Date.parse(normal.createdAt);
    expect(Date.parse(normal.sla.firstResponseDueAt) - created).toBe(targets.normal.firstResponseMs);
    expect(Date.parse(normal.sla.resolutionDueAt) - created).toBe(targets.normal.resolutionMs);
    expect(normal.sla).toMatchObject({ pausedSince: null, breached: [] });

    const { body: urgent } = await agent.get(urgentId);
    expect(Date.parse(urgent.sla.firstResponseDueAt) - Date.parse(urgent.createdAt)).toBe(
      targets.urgent.firstResponseMs,
    );
  });

  test('waiting on the customer stops the clock; the customer answering restarts it', async () => {
    const reply = await agent.addComment(normalId, { body: 'Which browser do you use?' });
    expect(reply.status).toBe(201);
    const waiting = await customer.get(normalId);
    expect(waiting.body.status).toBe('waiting_on_customer');
    expect(waiting.body.sla.pausedSince).toBe(reply.body.createdAt);
    expect(waiting.body.firstResponseAt).toBe(reply.body.createdAt);

    const answer = await customer.addComment(normalId, { body: 'Firefox.' });
    expect(answer.status).toBe(201);
    const back = await agent.get(normalId);
    expect(back.body.status).toBe('open');
    expect(back.body.sla.pausedSince).toBeNull();
    const stopped = Date.parse(answer.body.createdAt) - Date.parse(reply.body.createdAt);
    expect(Date.parse(back.body.sla.resolutionDueAt) - Date.parse(waiting.body.sla.resolutionDueAt)).toBe(stopped);
    // The first response was given: its due time no longer moves.
    expect(back.body.sla.firstResponseDueAt).toBe(waiting.body.sla.firstResponseDueAt);
  });

  test.each([
    ['a customer asking for a queue', 'customer', { status: 'open', sort: 'due' }],
    ['no status', 'agent', { sort: 'due' }],
    ['a priority with the due order', 'agent', { status: 'open', sort: 'due', priority: 'high' }],
    ['an unknown order', 'agent', { status: 'open', sort: 'oldest' }],
  ])('%s: 400', async (_case, who, query) => {
    const answer = await (who === 'agent' ? agent : customer).list(query);
    expectProblem(answer, 400);
  });
});
