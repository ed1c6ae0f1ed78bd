/**
 * Ticket check: lists tickets and shows each one (with its history).
 *
 *   npm run try:tickets [-- --agent] [--status open] [--limit 10]
 *
 * --agent sees every ticket (API_AGENT_TOKEN, or a locally minted agent token); otherwise the caller's own.
 * Against the local API by default; API_URL and API_TOKEN point it elsewhere (see try-client.ts).
 */
import { parseArgs } from 'node:util';
import type { HistoryEntry } from '../layers/shared/src/domain/ticket.js';
import { API_URL, apiToken, callApi, isTicketPage, isTicketWithHistory, runScript } from './try-client.js';

const { values } = parseArgs({
  options: {
    agent: { type: 'boolean', default: false },
    status: { type: 'string' },
    limit: { type: 'string', default: '10' },
  },
});

runScript(async () => {
  const token = await apiToken(values.agent ? { sub: 'try-it-agent', agent: true } : { sub: 'try-it' });
  const query = new URLSearchParams({ limit: values.limit, ...(values.status && { status: values.status }) });
  const list = await callApi('GET', `/tickets?${query.toString()}`, { token });
  console.log(`GET ${API_URL}/tickets?${query.toString()} → ${list.status} (${list.milliseconds} ms)`);
  const page = list.body;
  if (list.status !== 200 || !isTicketPage(page)) {
    console.error(JSON.stringify(page, null, 2));
    return false;
  }
  const { items } = page;
  if (items.length === 0) console.log('No tickets yet: create one with npm run try:smoke.');

  let passed = true;
  for (const { id } of items) {
    const answer = await callApi('GET', `/tickets/${id}`, { token });
    passed &&= answer.status === 200;
    const ticket = answer.body;
    if (answer.status !== 200 || !isTicketWithHistory(ticket)) {
      passed = false;
      console.log(`\n${id}: GET → ${answer.status} ${JSON.stringify(ticket)}`);
      continue;
    }
    console.log(
      `\n${ticket.id}  ETag ${answer.headers.get('etag') ?? 'null'}  ${ticket.createdAt}\n` +
        `  ${ticket.status} · ${ticket.priority} · ${ticket.category} · analysis ${ticket.analysis.status}` +
        ` · requester ${ticket.requester.id}${ticket.assigneeId ? ` · assignee ${ticket.assigneeId}` : ''}\n` +
        `  "${ticket.subject}"\n` +
        `  history: ${ticket.history.length === 0 ? 'no changes' : ticket.history.map(describeChange).join('; ')}`,
    );
  }
  if (page.nextCursor) console.log(`\nMore tickets follow (nextCursor is set); raise --limit to see them.`);
  return passed;
});

function describeChange(entry: HistoryEntry): string {
  const changes = entry.changes
    .map(({ field, from, to }) => `${field} ${JSON.stringify(from)}→${JSON.stringify(to)}`)
    .join(', ');
  return `v${entry.version} by ${entry.by.id}: ${changes}`;
}
