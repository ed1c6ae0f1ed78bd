import type { DeliveredEvent } from './eventbridge-stand-in.js';

/**
 * One event as `npm start` prints it, on one line: its detail type, then the
 * ticket, the comment, the version, who, and what changed, where the event
 * has them. Details carry ids and vocabulary only, so nothing here is text a
 * customer wrote.
 */
export function eventLine(event: DeliveredEvent): string {
  const detail = event.detail;
  const by = detail.by as { id?: unknown } | undefined;
  const author = detail.author as { id?: unknown } | undefined;
  const statusChange = detail.statusChange as { from?: unknown; to?: unknown } | null | undefined;
  const changes = Array.isArray(detail.changes)
    ? (detail.changes as { field?: unknown; from?: unknown; to?: unknown }[]).map((change) =>
        'to' in change ? `${String(change.field)}:${String(change.from)}→${String(change.to)}` : String(change.field),
      )
    : [];
  const parts: [string, unknown][] = [
    ['ticket', detail.ticketId],
    ['comment', detail.commentId],
    ['version', detail.version],
    ['by', by?.id ?? author?.id ?? detail.requesterId],
    ['visibility', detail.visibility],
    ['status', event['detail-type'] === 'Ticket Created' ? detail.status : undefined],
    ['analysis', event['detail-type'] === 'Analysis Completed' ? detail.status : undefined],
    ['move', statusChange ? `${String(statusChange.from)}→${String(statusChange.to)}` : undefined],
    ['changes', changes.length > 0 ? changes.join(',') : undefined],
  ];
  const fields = parts
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `${name}=${String(value)}`);
  return ['event', event['detail-type'], ...fields].join(' ');
}
