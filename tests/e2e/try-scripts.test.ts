import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { unusedPort } from '../../local/system/ports.js';
import { PROJECT_ROOT } from '../../scripts/sam-template.js';
import { testSystemPerFile } from './support/local-system.js';

/**
 * The "try it" scripts (npm run try:smoke, try:api, try:tickets) against a
 * running local system, as a developer runs them after `npm start`: the API
 * found from API_URL or PORT, tokens minted with the key in LOCAL_STATE_DIR.
 */
describe('the try-it scripts', () => {
  const system = testSystemPerFile();

  const run = async (
    script: 'smoke' | 'api' | 'tickets',
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
      expect.stringMatching(/^ok {4}PATCH {2}\/tickets\/\{id\} +200$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets\?limit=5 +200$/),
      expect.stringMatching(/^ok {4}GET {4}\/tickets \(no token\) +401$/),
    ]);
    expect(tour.stdout).toContain('Every route answered as the contract says.');
  });

  test('each exits 1 with one clear line when the API cannot be reached', async () => {
    const closedPort = await unusedPort();
    for (const script of ['smoke', 'api', 'tickets'] as const) {
      const failed = await run(script, [], { API_URL: `http://127.0.0.1:${closedPort}` });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        new RegExp(`^Cannot reach http://127\\.0\\.0\\.1:${closedPort} .*Is \`npm start\` running\\?\\n$`),
      );
    }
  });
});
