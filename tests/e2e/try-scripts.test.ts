import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { unusedPort } from '../../local/system/ports.js';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * The "try it" scripts (npm run try:smoke, try:api, try:tickets, try:conversation) against a
 * running local system, as a developer runs them after `npm start`: the API
 * found from API_URL or PORT, tokens minted with the key in LOCAL_STATE_DIR.
 */
describe('the try-it scripts', () => {
  const system = testSystemPerFile();

  const run = async (
    script: 'smoke' | 'api' | 'tickets' | 'conversation',
    args: string[] = [],
    env: Record<string, string | undefined> = {},
  ) => {
    const outcome = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', `scripts/try-${script}.ts`, ...args],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          API_URL: system().apiUrl,
          API_TOKEN: undefined,
          PORT: undefined,
          LOCAL_STATE_DIR: system().stateDir,
          ...env,
        },
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: unknown) => {
        // A failed run rejects with the exit code and both outputs.
        const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
        return { code, stdout, stderr };
      },
    );
    return { ...outcome, lines: outcome.stdout.split('\n') };
  };

  /** The id try:smoke printed. */
  const ticketIdIn = (stdout: string) =>
    /^Ticket {6}([0-9A-HJKMNP-TV-Z]{26}) {2}\(Location: \/tickets\/\1\)$/m.exec(stdout)?.[1];

  test('try:smoke creates one ticket and shows its analysis, card number redacted', async () => {
    const smoke = await run('smoke');
    expect(smoke).toMatchObject({ code: 0, stderr: '' });
    expect(smoke.lines[0]).toMatch(new RegExp(`^POST ${system().apiUrl}/tickets → 201 `));
    expect(ticketIdIn(smoke.stdout)).toBeDefined();
    expect(smoke.stdout).toMatch(/^Priority {4}urgent /m);
    expect(smoke.stdout).toMatch(/^Analysis {4}complete$/m);
    expect(smoke.stdout).toMatch(/^Sentiment {3}NEGATIVE /m);
    expect(smoke.stdout).toMatch(/^Redacted {4}.*CREDIT_DEBIT_NUMBER/m);
    expect(smoke.stdout).not.toContain('4111 1111 1111 1111');
  });

  test("try:tickets lists the caller's tickets and shows each one with its history", async () => {
    const smokeTicketId = ticketIdIn((await run('smoke', ['--subject', 'Production database down'])).stdout);
    expect(smokeTicketId).toBeDefined();
    const tickets = await run('tickets', ['--limit', '5']);
    expect(tickets).toMatchObject({ code: 0, stderr: '' });
    expect(tickets.lines[0]).toMatch(new RegExp(`^GET ${system().apiUrl}/tickets\\?limit=5 → 200 `));
    expect(tickets.stdout).toMatch(new RegExp(`^${smokeTicketId}  ETag "1"  `, 'm'));
    expect(tickets.stdout).toMatch(/^ {2}"Production database down"$/m);
    expect(tickets.stdout).toMatch(/^ {2}history: no changes$/m);
  });

  test('try:api calls every route and says each answered as the contract says; it finds the API from PORT too', async () => {
    // No API_URL: the default follows PORT, as `npm start` does.
    const tour = await run('api', [], { API_URL: undefined, PORT: new URL(system().apiUrl).port });
    expect(tour).toMatchObject({ code: 0, stderr: '' });
    expect(tour.lines[0]).toBe(`API tour of ${system().apiUrl}`);
    const steps = tour.lines
      .filter((line) => /^(ok|FAIL) /.test(line))
      .map((line) => line.replace(/\s+\(expected.*$/, ''));
    expect(steps).toEqual([
      expect.stringMatching(/^ok {4}POST {3}\/tickets +201$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets\/\{id\} +200$/),
      expect.stringMatching(/^ok {4}POST {3}\/tickets\/\{id\}\/comments +201$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets\/\{id\}\/comments +200$/),
      expect.stringMatching(/^ok {4}PATCH {2}\/tickets\/\{id\} +200$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets\?limit=5 +200$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets \(no token\) +401$/),
    ]);
    expect(tour.stdout).toContain('Every route answered as the contract says.');
  });

  test('try:conversation holds a conversation as a customer and an agent, printing each request and answer', async () => {
    const talk = await run('conversation');
    expect(talk).toMatchObject({ code: 0, stderr: '' });
    expect(talk.lines[0]).toBe(`Conversation on ${system().apiUrl}`);
    const id = /^ {4}answer {3}ticket ([0-9A-HJKMNP-TV-Z]{26}) /m.exec(talk.stdout)?.[1];
    expect(id).toBeDefined();
    const ticket = `/tickets/${id ?? ''}`;
    const requests = talk.lines
      .filter((line) => /^ ?\d+\. /.test(line))
      .map((line) => line.trim().replace(/ \(\d+ ms\)$/, ''));
    expect(requests).toEqual([
      '1. customer POST /tickets → 201',
      `2. agent    POST ${ticket}/comments → 201`,
      `3. customer GET ${ticket} → 200`,
      `4. agent    POST ${ticket}/comments → 201`,
      `5. customer POST ${ticket}/comments → 201`,
      `6. agent    GET ${ticket} → 200`,
      `7. agent    PATCH ${ticket} → 200`,
      `8. customer PATCH ${ticket} → 200`,
      `9. customer GET ${ticket}/comments → 200`,
      `10. agent    GET ${ticket}/comments → 200`,
      `11. agent    GET ${ticket} → 200`,
    ]);
    // What was sent, and what each answer says: the status follows the conversation.
    expect(talk.stdout).toContain('    sent     {"body":"Probably the CDN cache again.","visibility":"internal"}');
    const answers = talk.lines.filter((line) => line.startsWith('    answer   '));
    expect(answers[2]).toMatch(/ status waiting_on_customer {2}version 2 {2}comments 1 /);
    expect(answers[3]).toMatch(/ by agent try-it-agent {2}internal /);
    expect(answers[5]).toMatch(/ status open {2}version 3 {2}comments 3 /);
    expect(answers[6]).toMatch(/ status resolved {2}version 4 /);
    expect(answers[7]).toMatch(/ status closed {2}version 5 /);
    // The customer reads the public comments alone; the agent reads all three.
    expect(answers[8]).toBe('    answer   2 comments, oldest first: agent (public), customer (public)');
    expect(answers[9]).toBe(
      '    answer   3 comments, oldest first: agent (public), agent (internal), customer (public)',
    );
    expect(talk.stdout).toMatch(/^ {2}v2 by agent try-it-agent: status open → waiting_on_customer$/m);
    expect(talk.stdout).toMatch(/^ {2}v5 by customer try-it: status resolved → closed$/m);
    expect(talk.stdout).toContain('The conversation went as the contract says.');
  });

  test('each exits 1 with one clear line when the API cannot be reached', async () => {
    const closedPort = await unusedPort();
    for (const script of ['smoke', 'api', 'tickets', 'conversation'] as const) {
      const failed = await run(script, [], { API_URL: `http://127.0.0.1:${closedPort}` });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        new RegExp(`^Cannot reach http://127\\.0\\.0\\.1:${closedPort} .*Is \`npm start\` running\\?\\n$`),
      );
    }
  });
});
