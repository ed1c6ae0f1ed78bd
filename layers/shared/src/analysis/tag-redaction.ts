import type { TicketFields } from '../domain/ticket-analyzer.js';
import { redactFields } from './redaction.js';

/** The tags to store when an agent sets them: redacted as a new ticket's, read with the ticket's text. */
export function redactTags(text: Pick<TicketFields, 'subject' | 'description'>, tags: readonly string[]): string[] {
  return redactFields({ subject: text.subject, description: text.description, tags }).tags;
}

/**
 * What TicketAnalyzer.secretKindsIn answers: the secrets the tag rules find in
 * `identifier` alone. A UUID is a user id as Cognito issues them (`sub`), so
 * it is never one, although its digits, read across the hyphens, pass the
 * card number checks for about one id in fifty. The check catches a secret
 * pasted by mistake; an agent who means to can still shape sixteen digits
 * as a UUID.
 */
export function secretKindsIn(identifier: string): string[] {
  if (UUID.test(identifier)) return [];
  return redactFields({ subject: '', description: '', tags: [identifier] }).redactions.map(({ type }) => type);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
