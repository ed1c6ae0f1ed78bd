import type { Ticket, TicketPriority, TicketStatus } from './ticket.js';
import { CLOCK_STOPPING_STATUSES, type ServiceLevelTargetKind } from './ticket-vocabulary.js';

/*
 * Service levels: each priority has a first-response and a resolution target,
 * counted from the ticket's creation. Time spent waiting on the customer (and,
 * for a resolved ticket that is reopened, the time it was resolved) does not
 * count: while the status stops the clock the due times stand still, and when
 * it restarts they move on by the time stopped. A change of priority moves the
 * due times by the difference between the two priorities' targets; a first
 * response already given keeps the due time it was measured against.
 */

export interface ServiceLevelTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** The targets of each priority; set per deployment (template parameter ServiceLevelTargets). */
export type ServiceLevelTargets = Record<TicketPriority, ServiceLevelTarget>;

const HOUR = 60;
const DAY = 24 * HOUR;

export const DEFAULT_SERVICE_LEVEL_TARGETS: ServiceLevelTargets = {
  urgent: { firstResponseMinutes: 1 * HOUR, resolutionMinutes: 4 * HOUR },
  high: { firstResponseMinutes: 4 * HOUR, resolutionMinutes: 1 * DAY },
  normal: { firstResponseMinutes: 8 * HOUR, resolutionMinutes: 3 * DAY },
  low: { firstResponseMinutes: 1 * DAY, resolutionMinutes: 5 * DAY },
};

const MINUTES_PER_UNIT = { m: 1, h: HOUR, d: DAY } as const;
const TARGET_PATTERN =
  /^(?<priority>urgent|high|normal|low)=(?<first>[1-9][0-9]{0,5}[mhd])\/(?<resolution>[1-9][0-9]{0,5}[mhd])$/;

/**
 * The targets a deployment sets: `priority=first/resolution` pairs,
 * comma-separated, with m, h or d units (`urgent=1h/4h,low=2d/10d`);
 * priorities left out keep the defaults, and an empty setting is the
 * defaults. A malformed setting throws: the function fails its cold start.
 */
export function serviceLevelTargetsFrom(setting: string): ServiceLevelTargets {
  const targets = { ...DEFAULT_SERVICE_LEVEL_TARGETS };
  if (setting.trim() === '') return targets;
  for (const pair of setting.split(',')) {
    const groups = TARGET_PATTERN.exec(pair.trim())?.groups as
      { priority: TicketPriority; first: string; resolution: string } | undefined;
    if (!groups) {
      throw new Error(
        `SERVICE_LEVEL_TARGETS must be priority=first/resolution pairs such as urgent=1h/4h, got "${pair}".`,
      );
    }
    targets[groups.priority] = {
      firstResponseMinutes: minutesOf(groups.first),
      resolutionMinutes: minutesOf(groups.resolution),
    };
  }
  return targets;
}

/** `90m`, `4h`, `3d` in minutes; the pattern has checked the form. */
const minutesOf = (duration: string): number =>
  Number(duration.slice(0, -1)) * MINUTES_PER_UNIT[duration.slice(-1) as keyof typeof MINUTES_PER_UNIT];

export type ServiceLevels = Ticket['sla'];
/** What is stored of a ticket's service levels; whether a target is breached depends on when one asks. */
export type ServiceLevelClock = Omit<ServiceLevels, 'breached'>;

/** The ticket's state that its service levels follow. */
type ClockedTicket = Pick<Ticket, 'status' | 'priority' | 'firstResponseAt'> & { sla: ServiceLevelClock };

const MINUTE_MS = 60_000;
const plusMs = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

export const stopsClock = (status: TicketStatus): boolean =>
  (CLOCK_STOPPING_STATUSES as readonly TicketStatus[]).includes(status);

/** The clock of a new ticket, created at `createdAt` with `priority` and `status`. */
export function startClock(
  createdAt: string,
  priority: TicketPriority,
  status: TicketStatus,
  targets: ServiceLevelTargets,
): ServiceLevelClock {
  const target = targets[priority];
  return {
    firstResponseDueAt: plusMs(createdAt, target.firstResponseMinutes * MINUTE_MS),
    resolutionDueAt: plusMs(createdAt, target.resolutionMinutes * MINUTE_MS),
    pausedSince: stopsClock(status) ? createdAt : null,
  };
}

/**
 * The clock once `ticket` moves to `next` (a status, a priority, a first
 * response) at `at`. The moves compose: a clock restarting and a priority
 * changing in one write both apply.
 */
export function clockAfter(
  ticket: ClockedTicket,
  next: Partial<Pick<Ticket, 'status' | 'priority' | 'firstResponseAt'>>,
  at: string,
  targets: ServiceLevelTargets,
): ServiceLevelClock {
  let { firstResponseDueAt, resolutionDueAt, pausedSince } = ticket.sla;
  const responded = ticket.firstResponseAt !== null;
  if (!responded && next.firstResponseAt && pausedSince !== null) {
    // A first response given while the clock stands still is measured without the time stopped.
    firstResponseDueAt = plusMs(firstResponseDueAt, Math.max(0, Date.parse(at) - Date.parse(pausedSince)));
  }
  const status = next.status ?? ticket.status;
  if (pausedSince !== null && !stopsClock(status)) {
    // Restarting: the time stopped does not count.
    const stoppedMs = Math.max(0, Date.parse(at) - Date.parse(pausedSince));
    resolutionDueAt = plusMs(resolutionDueAt, stoppedMs);
    if (!responded) firstResponseDueAt = plusMs(firstResponseDueAt, stoppedMs);
    pausedSince = null;
  } else if (pausedSince === null && stopsClock(status)) {
    pausedSince = at;
  }
  const priority = next.priority ?? ticket.priority;
  if (priority !== ticket.priority) {
    const before = targets[ticket.priority];
    const after = targets[priority];
    resolutionDueAt = plusMs(resolutionDueAt, (after.resolutionMinutes - before.resolutionMinutes) * MINUTE_MS);
    if (!responded) {
      firstResponseDueAt = plusMs(
        firstResponseDueAt,
        (after.firstResponseMinutes - before.firstResponseMinutes) * MINUTE_MS,
      );
    }
  }
  return { firstResponseDueAt, resolutionDueAt, pausedSince };
}

/**
 * The targets missed as of `now`. A first response is measured when it was
 * given; a resolution when the ticket was resolved (or closed). While the
 * clock stands still, what counts is the moment it stopped.
 */
export function breachedTargets(
  clock: ServiceLevelClock,
  firstResponseAt: string | null,
  now: Date,
): ServiceLevelTargetKind[] {
  const stoppedOrNow = clock.pausedSince === null ? now.getTime() : Date.parse(clock.pausedSince);
  const breached: ServiceLevelTargetKind[] = [];
  const respondedOrNow = firstResponseAt === null ? stoppedOrNow : Date.parse(firstResponseAt);
  if (respondedOrNow > Date.parse(clock.firstResponseDueAt)) breached.push('firstResponse');
  if (stoppedOrNow > Date.parse(clock.resolutionDueAt)) breached.push('resolution');
  return breached;
}

/** The ticket's service levels as of `now`. */
export function serviceLevelsAt(clock: ServiceLevelClock, firstResponseAt: string | null, now: Date): ServiceLevels {
  return { ...clock, breached: breachedTargets(clock, firstResponseAt, now) };
}

/** The next due time the ticket must meet: its first response until one is given, then its resolution. */
export function nextDueAt(clock: ServiceLevelClock, firstResponseAt: string | null): string {
  if (firstResponseAt !== null) return clock.resolutionDueAt;
  return clock.firstResponseDueAt < clock.resolutionDueAt ? clock.firstResponseDueAt : clock.resolutionDueAt;
}
