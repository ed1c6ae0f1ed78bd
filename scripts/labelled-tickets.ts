/** Labelled tickets for measuring triage: one JSON object a line (JSONL). */
import {
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  type TicketCategory,
  type TicketPriority,
} from '../layers/shared/src/domain/ticket.js';

export interface LabelledTicket {
  id: string;
  language: string;
  subject: string;
  body: string;
  priority: TicketPriority;
  category: TicketCategory;
}

/** Blank lines are skipped; any other malformed line fails the whole file, naming its line. */
export function parseLabelledTickets(jsonl: string): LabelledTicket[] {
  const tickets: LabelledTicket[] = [];
  jsonl.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: not an object`);
    const record = value as Record<string, unknown>;
    const text = (field: keyof LabelledTicket): string => {
      const found = record[field];
      if (typeof found !== 'string') throw new Error(`${where}: '${field}' must be a string`);
      return found;
    };
    const id = text('id');
    const language = text('language');
    const subject = text('subject');
    const body = text('body');
    const priority = text('priority');
    const category = text('category');
    if (!isOneOf(TICKET_PRIORITIES, priority)) throw new Error(`${where}: unknown priority '${priority}'`);
    if (!isOneOf(TICKET_CATEGORIES, category)) throw new Error(`${where}: unknown category '${category}'`);
    tickets.push({ id, language, subject, body, priority, category });
  });
  if (tickets.length === 0) throw new Error('no tickets');
  return tickets;
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
