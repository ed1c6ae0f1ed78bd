/**
 * Ticket smoke test: creates one ticket and shows what the analysis made of it.
 *
 *   npm run try:smoke [-- --subject "…" --description "…"]
 *
 * Against the local API by default; API_URL and API_TOKEN point it elsewhere (see try-client.ts).
 */
import { parseArgs } from 'node:util';
import { API_URL, apiToken, callApi, isTicket, runScript } from './try-client.js';

const { values } = parseArgs({
  options: {
    subject: { type: 'string', default: 'Production database down' },
    description: {
      type: 'string',
      default:
        'Our production database is down and we are losing money, please help ASAP! ' +
        'You can reach me at +1 555 010 0199; my card 4111 1111 1111 1111 was charged twice.',
    },
  },
});

runScript(async () => {
  const token = await apiToken();
  const answer = await callApi('POST', '/tickets', {
    token,
    body: { subject: values.subject, description: values.description },
  });
  console.log(`POST ${API_URL}/tickets → ${answer.status} (${answer.milliseconds} ms)`);
  const ticket = answer.body;
  if (answer.status !== 201 || !isTicket(ticket)) {
    console.error(JSON.stringify(ticket, null, 2));
    return false;
  }
  const { analysis } = ticket;
  console.log(`
Ticket      ${ticket.id}  (Location: ${answer.headers.get('location')})
Priority    ${ticket.priority}    Category: ${ticket.category}    Status: ${ticket.status}
Analysis    ${analysis.status}
Language    ${analysis.language ?? '—'}
Sentiment   ${analysis.sentiment ? `${analysis.sentiment.label} ${formatScores(analysis.sentiment.scores)}` : '—'}
Urgent      ${String(analysis.urgent)}
Key phrases ${analysis.keyPhrases.length > 0 ? analysis.keyPhrases.join(', ') : '—'}
Redacted    ${analysis.redactions.length > 0 ? JSON.stringify(analysis.redactions) : 'nothing'}
Stored text ${ticket.description}`);
  return true;
});

function formatScores(scores: Record<string, number>): string {
  return `(${Object.entries(scores)
    .map(([label, score]) => `${label} ${score.toFixed(2)}`)
    .join(', ')})`;
}
