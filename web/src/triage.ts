import type { Ticket, TicketWithHistory } from '../../layers/shared/src/domain/ticket.js';

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
  /** Who changed the ticket after the version the user had, in order, each once. */
  by: string[];
  /** When the latest of those changes was made. */
  at: string | null;
  /** The editable fields they changed. */
  fields: EditableField[];
}

/** What happened to the ticket after `version`: who, when, which fields (from its history). */
export function changesSince(ticket: TicketWithHistory, version: number): ChangesSince {
  const entries = ticket.history.filter((entry) => entry.version > version);
  const fields = new Set<EditableField>();
  for (const entry of entries) {
    for (const change of entry.changes) {
      if ((EDITABLE_FIELDS as readonly string[]).includes(change.field)) fields.add(change.field as EditableField);
    }
  }
  return {
    by: [...new Set(entries.map((entry) => entry.by.id))],
    at: entries.at(-1)?.at ?? null,
    fields: EDITABLE_FIELDS.filter((field) => fields.has(field)),
  };
}
