import type { Ticket } from '../../layers/shared/src/domain/ticket.js';

/** How the console words times, due times and the API's vocabulary. */

const MINUTE_MS = 60_000;

/** A length of time as a person reads it at a glance: "45 min", "3 h", "2 d". */
export function humanDuration(milliseconds: number): string {
  const minutes = Math.floor(Math.abs(milliseconds) / MINUTE_MS);
  if (minutes < 1) return 'under 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** "in_progress" → "In progress", "NEGATIVE" → "Negative". */
export const labelOf = (value: string): string => {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const formatInstant = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const TARGET_NAMES = { firstResponse: 'first response', resolution: 'resolution' } as const;

export interface DueState {
  /** The due time shown: the first response's while it is owed and earlier, else the resolution's. */
  at: string;
  target: keyof typeof TARGET_NAMES;
  overdue: boolean;
  paused: boolean;
  /** What the due cell says: "in 3 h", "Overdue 2 h", "Paused, 5 h left", "On time" (resolved or closed). */
  text: string;
}

/**
 * When the ticket is next due. Overdue when a target was missed (`sla.breached`)
 * or the due time has passed on a running clock; a stopped clock (waiting on
 * the customer, resolved, closed) is judged by `breached` alone, since its due
 * times move on when it runs again.
 */
export function dueState(ticket: Pick<Ticket, 'sla' | 'firstResponseAt' | 'status'>, now: number): DueState {
  const { sla } = ticket;
  const firstResponseOwed = ticket.firstResponseAt === null;
  const target =
    firstResponseOwed && Date.parse(sla.firstResponseDueAt) <= Date.parse(sla.resolutionDueAt)
      ? 'firstResponse'
      : 'resolution';
  const at = target === 'firstResponse' ? sla.firstResponseDueAt : sla.resolutionDueAt;
  const dueAt = Date.parse(at);
  const paused = sla.pausedSince !== null;
  const passed = !paused && dueAt < now;
  const overdue = sla.breached.length > 0 || passed;
  let text: string;
  if (passed) {
    text = `Overdue ${humanDuration(now - dueAt)}`;
  } else if (overdue) {
    text = `Overdue: ${sla.breached.map((kind) => TARGET_NAMES[kind]).join(' and ')} missed`;
  } else if (ticket.status === 'resolved' || ticket.status === 'closed') {
    text = 'On time';
  } else if (paused && sla.pausedSince !== null) {
    text = `Paused, ${humanDuration(dueAt - Date.parse(sla.pausedSince))} left`;
  } else {
    text = `in ${humanDuration(dueAt - now)}`;
  }
  return { at, target, overdue, paused, text };
}

/** Change values in history are the API's: words, null, or a list of tags. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => formatValue(item)).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
