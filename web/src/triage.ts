import type { HistoryEntry, Ticket, TicketWithHistory } from '../../layers/shared/src/domain/ticket.js';

/** The fields the console edits with `PATCH /tickets/{id}`. */
export const EDITABLE_FIELDS = ['status', 'priority', 'category', 'assigneeId'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
/** The user's unsaved choices: only what they touched, so a save never rewrites what others changed. */
export type TicketEdits = Partial<Pick<Ticket, EditableField>>;

export const FIELD_LABELS: Record<EditableField, string> = {
  status: 'Status',
  priority: 'Priority',
  category: 'Category',
  assigneeId: 'Assignee',
};

/** The edits that would change the ticket as it is: what a PATCH sends. */
export function changesAgainst(ticket: Ticket, edits: TicketEdits): TicketEdits {
  const changes: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (field in edits && edits[field] !== ticket[field]) changes[field] = edits[field];
  }
  return changes;
}

export interface ChangesSince {
  /** Who changed the ticket after the version the user had, in order, each once; the user is `you`. */
  by: string[];
  /** When the latest of those changes was made. */
  at: string | null;
  /** The editable fields they changed. */
  fields: EditableField[];
}

/**
 * The user's own reply moving the status on (a history entry a comment of theirs made) touches
 * nothing of their unsaved edits: it is no conflict with them.
 */
const isOwnReplyAside = (entry: HistoryEntry, me: string, edits: TicketEdits): boolean =>
  entry.commentId !== undefined && entry.by.id === me && entry.changes.every((change) => !(change.field in edits));

/**
 * Whether edits made on `version` still apply to the ticket as re-read: every change since is
 * the user's own reply moving a field they did not edit (a comment alone bumps the version too).
 */
export function editsStillApply(ticket: TicketWithHistory, version: number, edits: TicketEdits, me: string): boolean {
  return ticket.history.every((entry) => entry.version <= version || isOwnReplyAside(entry, me, edits));
}

/** What others (or the user elsewhere) did to the ticket after `version`: who, when, which fields (from its history). */
export function changesSince(
  ticket: TicketWithHistory,
  version: number,
  { me, edits }: { me: string; edits: TicketEdits },
): ChangesSince {
  const entries = ticket.history.filter((entry) => entry.version > version && !isOwnReplyAside(entry, me, edits));
  const fields = new Set<EditableField>();
  for (const entry of entries) {
    for (const change of entry.changes) {
      if ((EDITABLE_FIELDS as readonly string[]).includes(change.field)) fields.add(change.field as EditableField);
    }
  }
  return {
    by: [...new Set(entries.map((entry) => (entry.by.id === me ? 'you' : entry.by.id)))],
    at: entries.at(-1)?.at ?? null,
    fields: EDITABLE_FIELDS.filter((field) => fields.has(field)),
  };
}
