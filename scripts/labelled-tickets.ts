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
      throw new Error(`${where}: not JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: not an object`);
    const record = value as Record<string, unknown>;
    for (const field of ['id', 'language', 'subject', 'body', 'priority', 'category'] as const) {
      if (typeof record[field] !== 'string') throw new Error(`${where}: '${field}' must be a string`);
    }
    const { id, language, subject, body, priority, category } = record as Record<string, string>;
    if (!(TICKET_PRIORITIES as readonly string[]).includes(priority!)) {
      throw new Error(`${where}: unknown priority '${priority}'`);
    }
    if (!(TICKET_CATEGORIES as readonly string[]).includes(category!)) {
      throw new Error(`${where}: unknown category '${category}'`);
    }
    tickets.push({
      id: id!,
      language: language!,
      subject: subject!,
      body: body!,
      priority: priority as TicketPriority,
      category: category as TicketCategory,
    });
  });
  if (tickets.length === 0) throw new Error('no tickets');
  return tickets;
}
