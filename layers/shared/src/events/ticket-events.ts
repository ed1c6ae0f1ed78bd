import type { DynamoDBRecord } from 'aws-lambda';
import { MalformedRecordError, RecordImage } from './record-image.js';

/*
 * The table's stream is the outbox: each committed change leaves exactly one
 * stream record that becomes an event, and a rolled-back transaction leaves
 * none. Which record that is:
 *
 *   ticket INSERT                                   Ticket Created
 *   history INSERT by a person, not made by a comment Ticket Updated
 *   comment INSERT                                  Comment Added (with the status move it made)
 *   ticket or comment MODIFY, analysis pending → not  Analysis Completed
 *
 * Everything else says nothing new: a ticket MODIFY of an update or a
 * comment is published from its history entry or its comment, a status move
 * made by a comment from the comment, an analysis's history entry from the
 * ticket's MODIFY; removals (TTL) and idempotency records are no change.
 *
 * A detail carries ids, who and what changed, never a ticket's or comment's
 * text or personal data: no subject, description, body, key phrases, e-mail
 * or tag values.
 */

export const EVENT_SOURCE = 'aws-support-system';

export const DETAIL_TYPES = {
  ticketCreated: 'Ticket Created',
  ticketUpdated: 'Ticket Updated',
  commentAdded: 'Comment Added',
  analysisCompleted: 'Analysis Completed',
} as const;

export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** What a record of the table is, by its key; the repository's layout says (repository/ticket-stream.ts, itemOfStreamKeys). */
export interface StreamItem {
  kind: 'ticket' | 'history' | 'comment';
  ticketId: string;
}

/** The item a record's keys name, or undefined for any item that never becomes an event. */
export type StreamItemOfKeys = (pk: string, sk: string) => StreamItem | undefined;

export interface TicketEvent {
  detailType: DetailType;
  /** When the change was made (ISO 8601). */
  time: string;
  detail: { ticketId: string; changeId: string } & Record<string, unknown>;
}

/** A history entry's fields whose values are ids or vocabulary; any other field is named without its values. */
const FIELDS_PUBLISHED_WITH_VALUES = new Set(['status', 'priority', 'category', 'assigneeId']);

const PENDING = 'pending';
const SYSTEM_ROLE = 'system';

/**
 * The event `record` stands for, or null when it stands for none. A
 * MalformedRecordError when it cannot be read (a key, an id or an attribute missing);
 * the caller logs it without the record's content.
 */
export function eventOfRecord(record: Partial<DynamoDBRecord>, itemOf: StreamItemOfKeys): TicketEvent | null {
  const event = eventOfChange(record, itemOf);
  // An event's Time must be a date, or the whole PutEvents call would fail on it.
  if (event && Number.isNaN(Date.parse(event.time))) throw new MalformedRecordError('The change has no valid time.');
  return event;
}

function eventOfChange(record: Partial<DynamoDBRecord>, itemOf: StreamItemOfKeys): TicketEvent | null {
  const name = record.eventName;
  if (name !== 'INSERT' && name !== 'MODIFY') return null;
  const keys = record.dynamodb?.Keys;
  const pk = keys?.pk?.S;
  const sk = keys?.sk?.S;
  if (typeof pk !== 'string' || typeof sk !== 'string') throw new MalformedRecordError('The record has no table key.');
  const item = itemOf(pk, sk);
  if (!item) return null;
  const changeId = record.eventID;
  if (typeof changeId !== 'string' || changeId === '') throw new MalformedRecordError('The record has no eventID.');
  const base = { ticketId: item.ticketId, changeId };
  const newImage = () => RecordImage.of(record.dynamodb?.NewImage, 'NewImage');
  const oldImage = () => RecordImage.of(record.dynamodb?.OldImage, 'OldImage');

  switch (item.kind) {
    case 'ticket':
      return name === 'INSERT'
        ? ticketCreated(base, newImage())
        : ticketAnalysisCompleted(base, oldImage(), newImage());
    case 'history':
      return name === 'INSERT' ? ticketUpdated(base, newImage()) : null;
    case 'comment':
      return name === 'INSERT'
        ? commentAdded(base, newImage())
        : commentAnalysisCompleted(base, oldImage(), newImage(), record);
  }
}

type Base = TicketEvent['detail'];

function ticketCreated(base: Base, ticket: RecordImage): TicketEvent {
  const createdAt = ticket.string('createdAt');
  return {
    detailType: DETAIL_TYPES.ticketCreated,
    time: createdAt,
    detail: {
      ...base,
      version: ticket.integer('version'),
      requesterId: ticket.map('requester').string('id'),
      status: ticket.string('status'),
      priority: ticket.string('priority'),
      category: ticket.string('category'),
      channel: ticket.string('channel'),
      assigneeId: ticket.nullableString('assigneeId'),
      analysisStatus: ticket.map('analysis').string('status'),
      createdAt,
    },
  };
}

function ticketUpdated(base: Base, entry: RecordImage): TicketEvent | null {
  const by = entry.map('by');
  // A comment's status move is published with the comment; an analysis's entry with its completion.
  if (entry.has('commentId') || by.string('role') === SYSTEM_ROLE) return null;
  const at = entry.string('at');
  return {
    detailType: DETAIL_TYPES.ticketUpdated,
    time: at,
    detail: {
      ...base,
      version: entry.integer('version'),
      at,
      by: { id: by.string('id'), role: by.string('role') },
      changes: entry.maps('changes').map((change) => {
        const field = change.string('field');
        return FIELDS_PUBLISHED_WITH_VALUES.has(field)
          ? { field, from: change.value('from') ?? null, to: change.value('to') ?? null }
          : { field };
      }),
    },
  };
}

function ticketAnalysisCompleted(base: Base, before: RecordImage, after: RecordImage): TicketEvent | null {
  const analysis = completedAnalysis(before, after);
  if (!analysis) return null;
  return {
    detailType: DETAIL_TYPES.analysisCompleted,
    time: after.string('updatedAt'),
    detail: {
      ...base,
      version: after.integer('version'),
      ...analysisSummary(analysis),
      urgent: analysis.boolean('urgent'),
      priority: after.string('priority'),
      category: after.string('category'),
    },
  };
}

function commentAdded(base: Base, comment: RecordImage): TicketEvent {
  const author = comment.map('author');
  const createdAt = comment.string('createdAt');
  const statusChange = comment.optionalMap('statusChange');
  return {
    detailType: DETAIL_TYPES.commentAdded,
    time: createdAt,
    detail: {
      ...base,
      commentId: comment.string('id'),
      author: { id: author.string('id'), role: author.string('role') },
      visibility: comment.string('visibility'),
      createdAt,
      statusChange: statusChange && { from: statusChange.string('from'), to: statusChange.string('to') },
    },
  };
}

function commentAnalysisCompleted(
  base: Base,
  before: RecordImage,
  after: RecordImage,
  record: Partial<DynamoDBRecord>,
): TicketEvent | null {
  const analysis = completedAnalysis(before, after);
  if (!analysis) return null;
  return {
    detailType: DETAIL_TYPES.analysisCompleted,
    time: timeOfRecord(record),
    detail: { ...base, commentId: after.string('id'), ...analysisSummary(analysis) },
  };
}

/** The new analysis when `before` owed one and `after` no longer does; null for any other change. */
function completedAnalysis(before: RecordImage, after: RecordImage): RecordImage | null {
  const analysis = after.map('analysis');
  return before.map('analysis').string('status') === PENDING && analysis.string('status') !== PENDING ? analysis : null;
}

/** An analysis's outcome without its text: no key phrases, redactions as types and counts. */
function analysisSummary(analysis: RecordImage) {
  return {
    status: analysis.string('status'),
    language: analysis.nullableString('language'),
    sentiment: analysis.optionalMap('sentiment')?.string('label') ?? null,
    redactions: analysis
      .maps('redactions')
      .map((redaction) => ({ type: redaction.string('type'), count: redaction.integer('count') })),
  };
}

/** A comment keeps no time of its analysis: the record's own, which DynamoDB gives in seconds. */
function timeOfRecord(record: Partial<DynamoDBRecord>): string {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new MalformedRecordError('The record has no ApproximateCreationDateTime.');
  }
  return new Date(seconds * 1000).toISOString();
}
