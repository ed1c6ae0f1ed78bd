import {
  DEFAULT_SERVICE_LEVEL_TARGETS,
  startClock,
  type ServiceLevels,
} from '../../layers/shared/src/domain/service-levels.js';
import type { HistoryEntry, Ticket, TicketAnalysis } from '../../layers/shared/src/domain/ticket.js';

/*
 * Tickets for the tests, built fresh on each call (a test may change what it
 * gets). The defaults are an ordinary ticket just created: open, not yet
 * triaged by an agent, its analysis pending. A test passes as an override
 * every field its assertions rely on.
 */

const CREATED_AT = '2026-03-01T10:00:00.000Z';

/** An analysis, pending by default: what a ticket holds until Comprehend has read it. */
export function anAnalysis(overrides: Partial<TicketAnalysis> = {}): TicketAnalysis {
  return {
    status: 'pending',
    language: null,
    sentiment: null,
    keyPhrases: [],
    urgent: false,
    redactions: [],
    signals: { priority: [], category: [] },
    ...overrides,
  };
}

/** The service levels of a ticket created at `createdAt` with `priority`, under the default targets, none breached. */
export function serviceLevelsOf(
  { createdAt, priority, status }: Pick<Ticket, 'createdAt' | 'priority' | 'status'>,
  breached: ServiceLevels['breached'] = [],
): ServiceLevels {
  return { ...startClock(createdAt, priority, status, DEFAULT_SERVICE_LEVEL_TARGETS), breached };
}

/** A ticket; `updatedAt` follows `createdAt` unless given, its service levels its creation and priority. */
export function aTicket(overrides: Partial<Ticket> = {}): Ticket {
  const createdAt = overrides.createdAt ?? CREATED_AT;
  const sla = serviceLevelsOf({
    createdAt,
    priority: overrides.priority ?? 'normal',
    status: overrides.status ?? 'open',
  });
  return {
    id: '01HZXTICKET000000000000000',
    subject: 'Cannot export',
    description: 'The export fails.',
    status: 'open',
    priority: 'normal',
    category: 'general',
    tags: [],
    requester: { id: 'alice', email: 'alice@example.com' },
    assigneeId: null,
    channel: 'web',
    analysis: anAnalysis(),
    createdAt,
    updatedAt: createdAt,
    version: 1,
    commentCount: 0,
    lastCommentAt: null,
    firstResponseAt: null,
    sla,
    ...overrides,
  };
}

/** An agent's change of a ticket, recorded in its history: by default, taking it into work. */
export function aHistoryEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    version: 2,
    at: '2026-03-01T11:00:00.000Z',
    by: { id: 'agent-ada', role: 'agent' },
    changes: [{ field: 'status', from: 'open', to: 'in_progress' }],
    ...overrides,
  };
}

/** A ticket as the table holds it, with its table key (the index keys the repository adds do not matter here). */
export function storedTicketItem(ticket: Ticket): Ticket & { pk: string; sk: 'TICKET' } {
  return { pk: `TICKET#${ticket.id}`, sk: 'TICKET', ...ticket };
}
