/**
 * Service-level arithmetic: due times from the priority's targets, the clock
 * standing still while the ticket waits on the customer (or is resolved), a
 * change of priority, and which targets are breached as of a given moment.
 */
import { describe, expect, test } from '@jest/globals';
import {
  breachedTargets,
  clockAfter,
  DEFAULT_SERVICE_LEVEL_TARGETS,
  nextDueAt,
  serviceLevelTargetsFrom,
  startClock,
  type ServiceLevelClock,
  type ServiceLevelTargets,
} from '../../../layers/shared/src/domain/service-levels.js';
import type { Ticket, TicketPriority, TicketStatus } from '../../../layers/shared/src/domain/ticket.js';
import { readTemplate } from '../../../scripts/sam-template.js';

const targets = DEFAULT_SERVICE_LEVEL_TARGETS;
const CREATED = '2026-03-02T09:00:00.000Z';
/** `hours` after the ticket was created. */
const at = (hours: number) => new Date(Date.parse(CREATED) + hours * 3_600_000).toISOString();

interface State {
  status: TicketStatus;
  priority: TicketPriority;
  firstResponseAt: string | null;
  sla: ServiceLevelClock;
}

function created(priority: TicketPriority = 'normal'): State {
  return { status: 'open', priority, firstResponseAt: null, sla: startClock(CREATED, priority, 'open', targets) };
}

/** Applies a change at `when`, as the services do: the clock first, then the ticket's fields. */
function change(state: State, next: Partial<Pick<Ticket, 'status' | 'priority' | 'firstResponseAt'>>, when: string) {
  const sla = clockAfter(state, next, when, targets);
  return { ...state, ...next, sla };
}

describe('due times from the targets', () => {
  test.each([
    ['urgent', at(1), at(4)],
    ['high', at(4), at(24)],
    ['normal', at(8), at(72)],
    ['low', at(24), at(120)],
  ] as const)('a new %s ticket: first response and resolution due per the contract', (priority, first, resolved) => {
    expect(created(priority).sla).toEqual({ firstResponseDueAt: first, resolutionDueAt: resolved, pausedSince: null });
  });

  test('targets are set per deployment', () => {
    const quick: ServiceLevelTargets = { ...targets, normal: { firstResponseMinutes: 30, resolutionMinutes: 120 } };
    expect(startClock(CREATED, 'normal', 'open', quick)).toMatchObject({
      firstResponseDueAt: at(0.5),
      resolutionDueAt: at(2),
    });
  });
});

describe('time waiting on the customer does not count', () => {
  test('the due times stand still while waiting and move on by the time waited', () => {
    let ticket = created('normal');
    ticket = change(ticket, { status: 'waiting_on_customer' }, at(2));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(8), resolutionDueAt: at(72), pausedSince: at(2) });
    ticket = change(ticket, { status: 'open' }, at(5));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(11), resolutionDueAt: at(75), pausedSince: null });
  });

  test('an agent reply that waits on the customer: the first response keeps its due time, the resolution moves on', () => {
    let ticket = created('high');
    ticket = { ...change(ticket, { status: 'waiting_on_customer', firstResponseAt: at(1) }, at(1)) };
    ticket = change(ticket, { status: 'open' }, at(11));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(4), resolutionDueAt: at(34), pausedSince: null });
    expect(breachedTargets(ticket.sla, ticket.firstResponseAt, new Date(at(30)))).toEqual([]);
  });

  test('a first response given while the clock stands still is measured without the time stopped', () => {
    let ticket = created('urgent');
    ticket = change(ticket, { status: 'waiting_on_customer' }, at(0.5));
    ticket = change(ticket, { firstResponseAt: at(3) }, at(3));
    expect(ticket.sla.firstResponseDueAt).toBe(at(3.5));
    // Still waiting on the customer: nothing is late, however long that takes.
    expect(breachedTargets(ticket.sla, ticket.firstResponseAt, new Date(at(10)))).toEqual([]);
  });

  test('a resolved ticket stops the clock; reopened, it restarts where it stood', () => {
    let ticket = created('urgent');
    ticket = change(ticket, { firstResponseAt: at(0.5) }, at(0.5));
    ticket = change(ticket, { status: 'resolved' }, at(3));
    expect(breachedTargets(ticket.sla, ticket.firstResponseAt, new Date(at(100)))).toEqual([]);
    ticket = change(ticket, { status: 'open' }, at(50));
    expect(ticket.sla.resolutionDueAt).toBe(at(51));
    expect(breachedTargets(ticket.sla, ticket.firstResponseAt, new Date(at(50.5)))).toEqual([]);
    expect(breachedTargets(ticket.sla, ticket.firstResponseAt, new Date(at(52)))).toEqual(['resolution']);
  });

  test('moving between two statuses that stop the clock keeps the moment it stopped', () => {
    let ticket = created();
    ticket = change(ticket, { status: 'waiting_on_customer' }, at(1));
    ticket = change(ticket, { status: 'resolved' }, at(2));
    expect(ticket.sla.pausedSince).toBe(at(1));
  });
});

describe('a change of priority', () => {
  test('moves both due times by the difference between the targets', () => {
    const ticket = change(created('normal'), { priority: 'urgent' }, at(0.25));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(1), resolutionDueAt: at(4), pausedSince: null });
  });

  test('after the first response, only the resolution moves', () => {
    let ticket = change(created('low'), { firstResponseAt: at(2) }, at(2));
    ticket = change(ticket, { priority: 'high' }, at(3));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(24), resolutionDueAt: at(24), pausedSince: null });
  });

  test('with time already waited, the waiting still does not count', () => {
    let ticket = created('normal');
    ticket = change(ticket, { status: 'waiting_on_customer' }, at(1));
    ticket = change(ticket, { status: 'open' }, at(3));
    ticket = change(ticket, { priority: 'urgent' }, at(3.5));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(3), resolutionDueAt: at(6), pausedSince: null });
  });

  test('restarting the clock and changing the priority in one change both apply', () => {
    let ticket = change(created('normal'), { status: 'waiting_on_customer' }, at(1));
    ticket = change(ticket, { status: 'in_progress', priority: 'high' }, at(5));
    expect(ticket.sla).toEqual({ firstResponseDueAt: at(8), resolutionDueAt: at(28), pausedSince: null });
  });
});

describe('breached targets', () => {
  const clock = created('urgent').sla;

  test('none before the due times, the first response after its own, both after the resolution', () => {
    expect(breachedTargets(clock, null, new Date(at(1)))).toEqual([]);
    expect(breachedTargets(clock, null, new Date(at(1.01)))).toEqual(['firstResponse']);
    expect(breachedTargets(clock, null, new Date(at(4.01)))).toEqual(['firstResponse', 'resolution']);
  });

  test('a first response is measured when it was given: late stays breached, on time never is', () => {
    expect(breachedTargets(clock, at(2), new Date(at(3)))).toEqual(['firstResponse']);
    expect(breachedTargets(clock, at(0.5), new Date(at(3)))).toEqual([]);
  });

  test('while the clock stands still, what counts is when it stopped', () => {
    const stoppedLate = { ...clock, pausedSince: at(5) };
    const stoppedEarly = { ...clock, pausedSince: at(0.5) };
    expect(breachedTargets(stoppedLate, null, new Date(at(100)))).toEqual(['firstResponse', 'resolution']);
    expect(breachedTargets(stoppedEarly, null, new Date(at(100)))).toEqual([]);
  });
});

describe('the next due time (the byDue order)', () => {
  test('the first response until one is given, then the resolution', () => {
    const clock = created('normal').sla;
    expect(nextDueAt(clock, null)).toBe(at(8));
    expect(nextDueAt(clock, at(1))).toBe(at(72));
  });

  test('whichever comes first when a deployment sets a resolution sooner than a first response', () => {
    const odd: ServiceLevelTargets = { ...targets, low: { firstResponseMinutes: 600, resolutionMinutes: 300 } };
    expect(nextDueAt(startClock(CREATED, 'low', 'open', odd), null)).toBe(at(5));
  });
});

describe("a deployment's targets (SERVICE_LEVEL_TARGETS)", () => {
  test("empty: the contract's defaults", () => {
    expect(serviceLevelTargetsFrom('')).toEqual(DEFAULT_SERVICE_LEVEL_TARGETS);
    expect(serviceLevelTargetsFrom(' ')).toEqual(DEFAULT_SERVICE_LEVEL_TARGETS);
    expect(DEFAULT_SERVICE_LEVEL_TARGETS).toEqual({
      urgent: { firstResponseMinutes: 60, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      normal: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
      low: { firstResponseMinutes: 1440, resolutionMinutes: 7200 },
    });
  });

  test('the template default reads as the defaults; priorities left out keep theirs', () => {
    expect(serviceLevelTargetsFrom('urgent=1h/4h,high=4h/1d,normal=8h/3d,low=1d/5d')).toEqual(
      DEFAULT_SERVICE_LEVEL_TARGETS,
    );
    expect(serviceLevelTargetsFrom('urgent=30m/2h, low=2d/10d')).toEqual({
      ...DEFAULT_SERVICE_LEVEL_TARGETS,
      urgent: { firstResponseMinutes: 30, resolutionMinutes: 120 },
      low: { firstResponseMinutes: 2880, resolutionMinutes: 14400 },
    });
  });

  test.each(['urgent=1h', 'urgent=0h/4h', 'critical=1h/4h', 'urgent=1w/4h', 'urgent=1h/4h,', 'urgent = 1h/4h'])(
    'a malformed setting is refused, naming the variable: %s',
    (setting) => {
      expect(() => serviceLevelTargetsFrom(setting)).toThrow('SERVICE_LEVEL_TARGETS must be');
    },
  );

  test("the template's AllowedPattern accepts what the reader reads and refuses what it refuses", () => {
    const pattern = new RegExp(
      (readTemplate().Parameters as Record<string, { AllowedPattern: string }>).ServiceLevelTargets!.AllowedPattern,
    );
    for (const good of ['urgent=1h/4h,high=4h/1d,normal=8h/3d,low=1d/5d', 'urgent=30m/2h,low=2d/10d']) {
      expect(pattern.test(good)).toBe(true);
      expect(() => serviceLevelTargetsFrom(good)).not.toThrow();
    }
    for (const bad of ['urgent=1h', 'urgent=0h/4h', 'critical=1h/4h', 'urgent=1h/4h,']) {
      expect(pattern.test(bad)).toBe(false);
    }
  });
});
