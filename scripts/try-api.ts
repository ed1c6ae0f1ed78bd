/**
 * API tour: every route once, then the answer to a call without a token;
 * prints each status code and fails if one is not what the contract says.
 *
 *   npm run try:api
 *
 * Against the local API by default; API_URL and API_TOKEN point it elsewhere (see try-client.ts).
 */
import { API_URL, apiToken, callApi, isTicket, runScript, type ApiAnswer } from './try-client.js';

interface Step {
  label: string;
  expected: number;
  run: () => Promise<ApiAnswer>;
}

runScript(async () => {
  const token = await apiToken();
  let ticketId = '';
  let etag = '';
  const steps: Step[] = [
    {
      label: 'POST   /tickets',
      expected: 201,
      run: async () => {
        const answer = await callApi('POST', '/tickets', {
          token,
          body: { subject: 'API tour', description: 'How do I export my invoices as CSV?', tags: ['tour'] },
        });
        ticketId = isTicket(answer.body) ? answer.body.id : '';
        return answer;
      },
    },
    {
      label: 'GET    /tickets/{id}',
      expected: 200,
      run: async () => {
        const answer = await callApi('GET', `/tickets/${ticketId}`, { token });
        etag = answer.headers.get('etag') ?? '';
        return answer;
      },
    },
    {
      // The requester's comment on an open ticket moves nothing: the ETag read above still holds.
      label: 'POST   /tickets/{id}/comments',
      expected: 201,
      run: () => callApi('POST', `/tickets/${ticketId}/comments`, { token, body: { body: 'Any news on this?' } }),
    },
    {
      label: 'GET    /tickets/{id}/comments',
      expected: 200,
      run: () => callApi('GET', `/tickets/${ticketId}/comments?limit=5`, { token }),
    },
    {
      // Closing is the one change every caller may make to their own ticket.
      label: 'PATCH  /tickets/{id}',
      expected: 200,
      run: () =>
        callApi('PATCH', `/tickets/${ticketId}`, { token, body: { status: 'closed' }, headers: { 'If-Match': etag } }),
    },
    { label: 'GET    /tickets?limit=5', expected: 200, run: () => callApi('GET', '/tickets?limit=5', { token }) },
    { label: 'GET    /tickets (no token)', expected: 401, run: () => callApi('GET', '/tickets', { token: null }) },
  ];

  console.log(`API tour of ${API_URL}\n`);
  let passed = true;
  for (const step of steps) {
    const answer = await step.run();
    const ok = answer.status === step.expected;
    passed &&= ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'}  ${step.label.padEnd(32)} ${answer.status}  (expected ${step.expected}, ${answer.milliseconds} ms)`,
    );
    if (!ok) console.log(`      ${JSON.stringify(answer.body)}`);
  }
  console.log(passed ? '\nEvery route answered as the contract says.' : '\nSome routes did not answer as expected.');
  return passed;
});
