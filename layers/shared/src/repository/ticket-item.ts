import {
  ACTOR_ROLES,
  ANALYSIS_STATUSES,
  HISTORY_FIELDS,
  SENTIMENT_LABELS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type CallerRole,
  type HistoryEntry,
  type Redaction,
  type SentimentResult,
  type Ticket,
  type TicketAnalysis,
  type TriageSignal,
} from '../domain/ticket.js';
import {
  DEFAULT_SERVICE_LEVEL_TARGETS,
  serviceLevelsAt,
  startClock,
  stopsClock,
  type ServiceLevelClock,
  type ServiceLevels,
} from '../domain/service-levels.js';
import { ItemAttributes } from './item-attributes.js';
import { historyKey, ticketItemKeys, type Item } from './table-layout.js';

/*
 * Tickets and history entries to items and back. An item read from the table
 * is rebuilt attribute by attribute into the domain object, so a malformed item
 * fails here, loudly, instead of travelling on as a Ticket it is not.
 */

/**
 * What a ticket's conversation adds to its item. Only comment writes change
 * these attributes (an update never writes them, so it cannot undo a
 * concurrent comment), and absent reads as none yet:
 *
 *   commentCount, lastCommentAt              every comment (what agents see)
 *   publicCommentCount, lastPublicCommentAt  public comments (what the requester sees)
 *   firstResponseAt                          the first public reply of an agent
 */
export const CONVERSATION_ATTRIBUTES = {
  commentCount: 'commentCount',
  lastCommentAt: 'lastCommentAt',
  publicCommentCount: 'publicCommentCount',
  lastPublicCommentAt: 'lastPublicCommentAt',
  firstResponseAt: 'firstResponseAt',
} as const;

/** The ticket's fields that its conversation decides. */
type ConversationField = 'commentCount' | 'lastCommentAt' | 'firstResponseAt';
type StoredTicket = Omit<Ticket, ConversationField | 'sla'> & { sla: ServiceLevelClock };

/**
 * The ticket's own fields and its keys, without its conversation: a
 * TicketWithHistory passed in must not copy its history here.
 */
export function toTicketItem(ticket: Ticket): Item {
  const attributes: StoredTicket = {
    id: ticket.id,
    subject: ticket.subject,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    tags: ticket.tags,
    requester: ticket.requester,
    assigneeId: ticket.assigneeId,
    channel: ticket.channel,
    analysis: ticket.analysis,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    version: ticket.version,
    sla: serviceLevelClockOf(ticket.sla),
  };
  return { ...attributes, ...ticketItemKeys(ticket) };
}

/** A new ticket's item: no comments yet, and the timestamps absent so that the first comment can set them. */
export const toNewTicketItem = (ticket: Ticket): Item => ({
  ...toTicketItem(ticket),
  [CONVERSATION_ATTRIBUTES.commentCount]: 0,
  [CONVERSATION_ATTRIBUTES.publicCommentCount]: 0,
});

export const toHistoryItem = (ticketId: string, entry: HistoryEntry): Item => ({
  ...entry,
  ...historyKey(ticketId, entry.version),
});

/**
 * The ticket an item holds, as a caller of `seenBy`'s role sees it: a
 * customer's comment count and latest comment leave agents' internal notes
 * out; which service-level targets are breached is as of `now`. An Error if
 * the item is not a well-formed ticket.
 */
export function ticketFromItem(item: unknown, seenBy: CallerRole, now: Date): Ticket {
  const attributes = new ItemAttributes(item, 'ticket');
  const requester = attributes.map('requester');
  const status = attributes.oneOf('status', TICKET_STATUSES);
  const priority = attributes.oneOf('priority', TICKET_PRIORITIES);
  const createdAt = attributes.string('createdAt');
  const updatedAt = attributes.string('updatedAt');
  const firstResponseAt = attributes.optionalString(CONVERSATION_ATTRIBUTES.firstResponseAt);
  return {
    id: attributes.string('id'),
    subject: attributes.string('subject'),
    description: attributes.string('description'),
    status,
    priority,
    category: attributes.oneOf('category', TICKET_CATEGORIES),
    tags: attributes.strings('tags'),
    requester: { id: requester.string('id'), email: requester.nullableString('email') },
    assigneeId: attributes.nullableString('assigneeId'),
    channel: attributes.oneOf('channel', TICKET_CHANNELS),
    analysis: analysisFrom(attributes.map('analysis')),
    createdAt,
    updatedAt,
    version: attributes.integer('version'),
    commentCount: attributes.optionalCount(
      seenBy === 'agent' ? CONVERSATION_ATTRIBUTES.commentCount : CONVERSATION_ATTRIBUTES.publicCommentCount,
    ),
    lastCommentAt: attributes.optionalString(
      seenBy === 'agent' ? CONVERSATION_ATTRIBUTES.lastCommentAt : CONVERSATION_ATTRIBUTES.lastPublicCommentAt,
    ),
    firstResponseAt,
    sla: serviceLevelsAt(clockFrom(attributes, { status, priority, createdAt, updatedAt }), firstResponseAt, now),
  };
}

/** What is stored of a ticket's service levels: whether a target is breached is worked out when read. */
const serviceLevelClockOf = ({
  firstResponseDueAt,
  resolutionDueAt,
  pausedSince,
}: ServiceLevels): ServiceLevelClock => ({
  firstResponseDueAt,
  resolutionDueAt,
  pausedSince,
});

/**
 * A ticket stored before service levels were kept gets the default targets'
 * clock from its creation; one in a status that stops the clock, stopped
 * since its last change (its history is not read here). Its first write
 * stores a clock and puts it in the byDue index.
 */
function clockFrom(
  attributes: ItemAttributes,
  ticket: Pick<Ticket, 'status' | 'priority' | 'createdAt' | 'updatedAt'>,
): ServiceLevelClock {
  const sla = attributes.optionalMap('sla');
  if (!sla) {
    const clock = startClock(ticket.createdAt, ticket.priority, 'open', DEFAULT_SERVICE_LEVEL_TARGETS);
    return { ...clock, pausedSince: stopsClock(ticket.status) ? ticket.updatedAt : null };
  }
  return {
    firstResponseDueAt: sla.string('firstResponseDueAt'),
    resolutionDueAt: sla.string('resolutionDueAt'),
    pausedSince: sla.nullableString('pausedSince'),
  };
}

/** The history entry an item holds; an Error if the item is not a well-formed entry. */
export function historyEntryFromItem(item: unknown): HistoryEntry {
  const attributes = new ItemAttributes(item, 'history entry');
  const by = attributes.map('by');
  const commentId = attributes.optionalString('commentId');
  return {
    version: attributes.integer('version'),
    at: attributes.string('at'),
    ...(commentId === null ? {} : { commentId }),
    by: { id: by.string('id'), role: by.oneOf('role', ACTOR_ROLES) },
    changes: attributes.maps('changes').map((change) => ({
      field: change.oneOf('field', HISTORY_FIELDS),
      from: change.value('from'),
      to: change.value('to'),
    })),
  };
}

function analysisFrom(attributes: ItemAttributes): TicketAnalysis {
  // Tickets stored before triage recorded its signals have none to show.
  const signals = attributes.optionalMap('signals');
  const sentiment = attributes.nullableMap('sentiment');
  return {
    status: attributes.oneOf('status', ANALYSIS_STATUSES),
    language: attributes.nullableString('language'),
    sentiment: sentiment && sentimentFrom(sentiment),
    keyPhrases: attributes.strings('keyPhrases'),
    urgent: attributes.boolean('urgent'),
    redactions: redactionsFrom(attributes),
    signals: signals
      ? { priority: signalsFrom(signals, 'priority'), category: signalsFrom(signals, 'category') }
      : { priority: [], category: [] },
  };
}

/** The redaction counts of an analysis, a ticket's or a comment's. */
export const redactionsFrom = (analysis: ItemAttributes): Redaction[] =>
  analysis.maps('redactions').map((redaction) => ({
    type: redaction.string('type'),
    count: redaction.integer('count'),
  }));

/** A sentiment as Comprehend gave it, a ticket's or a comment's. */
export function sentimentFrom(attributes: ItemAttributes): SentimentResult {
  const scores = attributes.map('scores');
  return {
    label: attributes.oneOf('label', SENTIMENT_LABELS),
    scores: {
      positive: scores.number('positive'),
      negative: scores.number('negative'),
      neutral: scores.number('neutral'),
      mixed: scores.number('mixed'),
    },
  };
}

const signalsFrom = (signals: ItemAttributes, name: string): TriageSignal[] =>
  signals.maps(name).map((signal) => ({ kind: signal.string('kind'), phrase: signal.string('phrase') }));
