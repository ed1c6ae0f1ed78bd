/**
 * A conversation on one ticket, as a customer and an agent hold it: the
 * customer opens a ticket, the agent replies (the ticket waits on the
 * customer), leaves an internal note, the customer answers (open again), the
 * agent resolves it and the customer closes it. Prints each request and its
 * answer, then the conversation as each of them reads it; exits 1 if an
 * answer is not what the contract says.
 *
 *   npm run try:conversation
 *
 * Against the local API by default; API_URL, API_TOKEN and API_AGENT_TOKEN point it elsewhere (see try-client.ts).
 */
import {
  API_URL,
  apiToken,
  callApi,
  isComment,
  isCommentPage,
  isTicket,
  isTicketWithHistory,
  runScript,
  type ApiAnswer,
} from './try-client.js';

interface Party {
  name: 'customer' | 'agent';
  token: string;
}

runScript(async () => {
  const customer: Party = { name: 'customer', token: await apiToken({ sub: 'try-it' }) };
  const agent: Party = { name: 'agent', token: await apiToken({ sub: 'try-it-agent', agent: true }) };
  console.log(`Conversation on ${API_URL}\n`);

  // Set by each request: a property, since `send` changes it where the type checker cannot see.
  const outcome = { passed: true, steps: 0 };
  /** One request: printed with what was sent, its answer summarized; false when the status is not `expected`. */
  const send = async (
    who: Party,
    method: string,
    path: string,
    expected: number,
    body?: unknown,
  ): Promise<ApiAnswer> => {
    const answer = await callApi(method, path, { token: who.token, body });
    const ok = answer.status === expected;
    outcome.passed &&= ok;
    outcome.steps += 1;
    console.log(
      `${String(outcome.steps).padStart(2)}. ${who.name.padEnd(8)} ${method} ${path} → ${answer.status} (${answer.milliseconds} ms)` +
        (ok ? '' : `  FAIL: expected ${expected}`),
    );
    if (body !== undefined) console.log(`    sent     ${JSON.stringify(body)}`);
    console.log(`    answer   ${summary(answer.body)}\n`);
    return answer;
  };

  const created = await send(customer, 'POST', '/tickets', 201, {
    subject: 'Invoices export fails',
    description: 'The CSV export of my invoices fails with an error since yesterday.',
  });
  if (!isTicket(created.body)) return false;
  const ticket = `/tickets/${created.body.id}`;

  await send(agent, 'POST', `${ticket}/comments`, 201, { body: 'Sorry about that! Which browser do you use?' });
  await send(customer, 'GET', ticket, 200);
  await send(agent, 'POST', `${ticket}/comments`, 201, {
    body: 'Probably the CDN cache again.',
    visibility: 'internal',
  });
  await send(customer, 'POST', `${ticket}/comments`, 201, { body: 'Firefox 132 on Windows.' });
  await send(agent, 'GET', ticket, 200);
  await send(agent, 'PATCH', ticket, 200, { status: 'resolved' });
  await send(customer, 'PATCH', ticket, 200, { status: 'closed' });
  await send(customer, 'GET', `${ticket}/comments`, 200);
  const seenByAgent = await send(agent, 'GET', `${ticket}/comments`, 200);
  const history = await send(agent, 'GET', ticket, 200);

  if (isCommentPage(seenByAgent.body)) {
    console.log('The conversation as the agent reads it (the customer reads the public comments alone):');
    for (const comment of seenByAgent.body.items) {
      console.log(`  ${comment.author.role.padEnd(8)} ${comment.visibility.padEnd(8)} ${comment.body}`);
    }
  }
  if (isTicketWithHistory(history.body)) {
    console.log('\nIts history:');
    for (const entry of history.body.history) {
      const changes = entry.changes.map(({ field, from, to }) => `${field} ${String(from)} → ${String(to)}`);
      console.log(`  v${entry.version} by ${entry.by.role} ${entry.by.id}: ${changes.join(', ')}`);
    }
  }
  console.log(
    outcome.passed
      ? '\nThe conversation went as the contract says.'
      : '\nSome answers were not what the contract says.',
  );
  return outcome.passed;
});

/** The answer in one line: what a ticket, a comment or a page of comments now is, or the body itself. */
function summary(body: unknown): string {
  if (isTicket(body)) {
    const { id, status, version, commentCount, firstResponseAt } = body;
    return `ticket ${id}  status ${status}  version ${version}  comments ${commentCount}  first response ${firstResponseAt ?? '—'}`;
  }
  if (isComment(body)) {
    const { id, author, visibility, analysis } = body;
    const sentiment = analysis.sentiment?.label ?? '—';
    return `comment ${id}  by ${author.role} ${author.id}  ${visibility}  analysis ${analysis.status}  sentiment ${sentiment}`;
  }
  if (isCommentPage(body)) {
    const comments = body.items.map(({ author, visibility }) => `${author.role} (${visibility})`);
    return `${body.items.length} comments, oldest first: ${comments.join(', ')}`;
  }
  return JSON.stringify(body);
}
