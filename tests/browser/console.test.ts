import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TicketBody } from '../support/api-bodies.js';
import type { ApiClient } from '../e2e/support/api-client.js';
import { testSystemPerFile } from '../e2e/support/local-system.js';
import {
  builtConsoleDir,
  launchChromium,
  saveScreenshot,
  SCREENSHOT_DIR,
  watchedContext,
  type PageProblems,
} from './support/browser.js';

/*
 * The agent console in real Chromium against the whole local system (what
 * `npm start` runs): signing in through the local hosted-UI stand-in, the
 * triage queue, a ticket's conversation and triage, a stale-version conflict,
 * a customer's own view, and ticket text that holds markup. Every test ends
 * with no page error, no console error and no Content-Security-Policy
 * violation in its pages.
 */

// Urgent tickets fall due a minute after they are opened, so a clock moved ten minutes on shows them overdue.
const system = testSystemPerFile({
  consoleDir: builtConsoleDir(),
  parameterOverrides: { ServiceLevelTargets: 'urgent=1m/5m' },
});

let browser: Browser;
const opened: { context: BrowserContext; problems: PageProblems }[] = [];
/** Failed loads a test provokes on purpose (Chromium logs every 4xx answer to a fetch as a console error). */
let expectedFailedLoads: number[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

/** A fresh browser profile whose problems are checked when the test ends. */
async function newPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; problems: PageProblems }> {
  const watched = await watchedContext(browser, { baseURL: system().consoleUrl, viewport });
  opened.push(watched);
  return { page: await watched.context.newPage(), problems: watched.problems };
}

afterEach(async () => {
  const expected = expectedFailedLoads.map((status) => `the server responded with a status of ${status}`);
  expectedFailedLoads = [];
  for (const { context, problems } of opened.splice(0)) {
    await context.close();
    const consoleErrors = problems.consoleErrors.filter((error) => !expected.some((text) => error.includes(text)));
    expect({ ...problems, consoleErrors }).toEqual({ pageErrors: [], consoleErrors: [], cspViolations: [] });
  }
});

/** Polls `read` until it gives `expected`, as the page's work ends in its own time. */
async function eventually<Value>(read: () => Promise<Value>, expected: Value, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  expect(last).toEqual(expected);
}

/** Signs in through the console's own button and the local sign-in form; waits for the queue. */
async function signIn(page: Page, userId: string, { agent }: { agent: boolean }): Promise<void> {
  const response = await page.goto('/');
  // The console is served with the template's policy: its own script and style only, no inline code.
  expect(response?.headers()['content-security-policy']).toMatch(
    /script-src 'self';.*require-trusted-types-for 'script'/,
  );
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('textbox', { name: 'User id', exact: true }).fill(userId);
  if (agent) await page.getByRole('checkbox', { name: 'Support agent', exact: true }).check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Tickets' }).waitFor();
}

const agentClient = () => system().clientAs({ sub: 'ada', agent: true });

/** Creates a ticket as `client` and, where asked, sets its priority as an agent. */
async function ticket(
  client: ApiClient,
  fields: { subject: string; description?: string },
  priority?: 'low' | 'normal' | 'high' | 'urgent',
): Promise<TicketBody> {
  const created = await client.create({ description: 'Details of the request.', ...fields });
  expect(created.status).toBe(201);
  if (priority === undefined) return created.body;
  const agent = await agentClient();
  const updated = await agent.update(created.body.id, { priority }, { 'If-Match': created.headers.get('etag')! });
  expect(updated.status).toBe(200);
  return updated.body;
}

/** The subjects of the queue's rows, in order, among `subjects`. */
async function rowSubjects(page: Page, subjects: string[]): Promise<string[]> {
  const all = await page.locator('table tbody tr td:first-child a').allTextContents();
  return all.filter((subject) => subjects.includes(subject));
}

describe('an agent', () => {
  test('signs in and sees the open queue in triage order, with due times, overdue ones marked', async () => {
    const customer = await system().clientAs({ sub: 'queue-customer' });
    // Created oldest first: within a priority the oldest comes first.
    const older = await ticket(customer, { subject: 'Queue: older normal question' }, 'normal');
    const high = await ticket(customer, { subject: 'Queue: invoice shows the wrong amount' }, 'high');
    const urgent = await ticket(customer, { subject: 'Queue: checkout is down for everyone' }, 'urgent');
    const newer = await ticket(customer, { subject: 'Queue: newer normal question' }, 'normal');
    const subjects = [older, high, urgent, newer].map((created) => created.subject);

    const { page } = await newPage();
    // Ten minutes on: the urgent ticket's one-minute first-response target has passed.
    await page.clock.setFixedTime(Date.now() + 10 * 60_000);
    await signIn(page, 'ada', { agent: true });

    await expect(page.getByRole('tab', { name: 'Open' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('link', { name: newer.subject }).waitFor();
    await expect(rowSubjects(page, subjects)).resolves.toEqual([
      urgent.subject,
      high.subject,
      older.subject,
      newer.subject,
    ]);
    const headers = await page.locator('table thead th').allTextContents();
    expect(headers).toEqual(['Subject', 'Requester', 'Age', 'Priority', 'Category', 'Sentiment', 'Due', 'Signals']);
    const urgentRow = page.locator('tbody tr', { has: page.getByRole('link', { name: urgent.subject }) });
    await expect(urgentRow.locator('td[data-label="Priority"]').textContent()).resolves.toBe('Urgent');
    await expect(urgentRow.locator('td[data-label="Due"]').textContent()).resolves.toMatch(/Overdue/);
    await expect(urgentRow.locator('td[data-label="Requester"]').textContent()).resolves.toBe(
      'queue-customer@example.com',
    );
    const newerRow = page.locator('tbody tr', { has: page.getByRole('link', { name: newer.subject }) });
    await expect(newerRow.locator('td[data-label="Due"]').textContent()).resolves.not.toMatch(/Overdue/);

    await saveScreenshot(page, 'queue.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, 'queue-phone.png');
  });

  test('sorts the queue by due time, and pages through it with the API cursor', async () => {
    const customer = await system().clientAs({ sub: 'sort-customer' });
    // Due by first response: urgent 1 min, high 4 h, normal 8 h, so due order differs from creation order.
    const normal = await ticket(customer, { subject: 'Sort: normal' }, 'normal');
    const high = await ticket(customer, { subject: 'Sort: high' }, 'high');
    const urgent = await ticket(customer, { subject: 'Sort: urgent' }, 'urgent');
    const subjects = [normal, high, urgent].map((created) => created.subject);

    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    // The console's time to first render, from navigation start to the first page of rows on screen: right
    // after signing in (the code exchanged for a token first), and on a reload with the session's token.
    const firstRenderMs = () =>
      page.evaluate(() => performance.getEntriesByName('queue-rendered')[0]?.startTime ?? null);
    await page.locator('tbody tr').first().waitFor();
    const afterSignIn = await firstRenderMs();
    await page.reload();
    await page.locator('tbody tr').first().waitFor();
    const onReload = await firstRenderMs();
    expect(afterSignIn).toEqual(expect.any(Number));
    expect(onReload).toEqual(expect.any(Number));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(
      join(SCREENSHOT_DIR, 'queue-first-render.json'),
      JSON.stringify({ afterSignInMs: afterSignIn, onReloadMs: onReload }) + '\n',
    );

    const dueOrder = page.waitForResponse((response) => /\/tickets\?.*sort=due/.test(response.url()));
    await page.getByLabel('Sort by').selectOption({ label: 'Due time' });
    await dueOrder;
    await page.getByRole('link', { name: urgent.subject }).waitFor();
    await expect(rowSubjects(page, subjects)).resolves.toEqual([urgent.subject, high.subject, normal.subject]);

    // Pages of one: Load more brings the next ticket through the cursor, until there is none.
    await page.goto('/#/queue/open?sort=due&limit=1');
    await page.locator('tbody tr').first().waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('tbody tr').nth(1).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    const firstTwo = await page.locator('tbody tr td:first-child a').allTextContents();
    expect(new Set(firstTwo).size).toBe(2);
  });

  test('opens a ticket, replies, adds an internal note and changes its status and priority', async () => {
    const customer = await system().clientAs({ sub: 'reply-customer' });
    const created = await ticket(customer, {
      subject: 'Reply: cannot export my reports',
      description: 'The export button spins forever.\nIt started on Monday.\n\nThanks, Rita',
    });

    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    await page.getByRole('link', { name: created.subject }).click();
    await page.getByRole('heading', { level: 1, name: created.subject }).waitFor();
    for (const section of ['Description', 'Analysis', 'History', 'Conversation'])
      await page.getByRole('heading', { level: 2, name: section }).waitFor();
    // Line breaks kept: the text's own newlines are rendered as breaks.
    const description = page.locator('section', { has: page.getByRole('heading', { name: 'Description' }) });
    await expect(description.innerText()).resolves.toContain('The export button spins forever.\nIt started on Monday.');

    await page.getByLabel('Message').fill('Thanks Rita, we are looking at the export now.');
    await page.getByRole('radio', { name: 'Public reply' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('article').filter({ hasText: 'we are looking at the export now' }).waitFor();
    // A public reply moves an open ticket to waiting on the customer.
    await eventually(async () => (await customer.get(created.id)).body.status, 'waiting_on_customer');
    await eventually(() => page.getByLabel('Status').inputValue(), 'waiting_on_customer');

    await page.getByLabel('Message').fill('Export worker queue looks stuck; checking with the platform team.');
    await page.getByRole('radio', { name: 'Internal note' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    const note = page.getByRole('article').filter({ hasText: 'checking with the platform team' });
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain('Internal note');

    await page.getByLabel('Status').selectOption('in_progress');
    await page.getByLabel('Priority').selectOption('low');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const stored = (await customer.get(created.id)).body;
    expect({ status: stored.status, priority: stored.priority }).toEqual({ status: 'in_progress', priority: 'low' });
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'History' }) });
    await expect(history.textContent()).resolves.toMatch(/status: waiting_on_customer → in_progress/);
    await expect(history.textContent()).resolves.toMatch(/priority: \w+ → low/);

    await saveScreenshot(page, 'ticket.png');
  });

  test('sees a stale-version conflict with the current values, and applies the change on the new version', async () => {
    const customer = await system().clientAs({ sub: 'conflict-customer' });
    const created = await ticket(customer, { subject: 'Conflict: password reset mail never arrives' });

    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    await page.goto(`/#/tickets/${created.id}`);
    await page.getByRole('heading', { level: 1, name: created.subject }).waitFor();

    // Another agent changes the ticket after the page read it.
    const bob = await system().clientAs({ sub: 'bob', agent: true });
    const current = await bob.get(created.id);
    const changed = await bob.update(created.id, { priority: 'urgent' }, { 'If-Match': current.headers.get('etag')! });
    expect(changed.status).toBe(200);

    expectedFailedLoads = [412];
    await page.getByLabel('Status').selectOption('in_progress');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Changed by' });
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toMatch(/Changed by bob/);
    await expect(conflict.textContent()).resolves.toMatch(/Urgent|urgent/);
    // Nothing was overwritten: the API still has bob's change and not the agent's.
    const meanwhile = (await bob.get(created.id)).body;
    expect({ status: meanwhile.status, priority: meanwhile.priority }).toEqual({ status: 'open', priority: 'urgent' });
    // The agent's unsaved choice is kept.
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('in_progress');

    await page.getByRole('button', { name: 'Apply my changes to the current version' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const after = (await bob.get(created.id)).body;
    expect({ status: after.status, priority: after.priority }).toEqual({ status: 'in_progress', priority: 'urgent' });
  });
});

describe('a customer', () => {
  test('sees only their own tickets, and no internal notes', async () => {
    const alice = await system().clientAs({ sub: 'alice' });
    const carol = await system().clientAs({ sub: 'carol' });
    const own = await ticket(alice, { subject: "Alice: can't change my billing address" });
    const other = await ticket(carol, { subject: 'Carol: two-factor codes are late' });
    const agent = await agentClient();
    expect(
      (await agent.addComment(own.id, { body: 'Fixed the address form; please try again.', visibility: 'public' }))
        .status,
    ).toBe(201);
    expect(
      (await agent.addComment(own.id, { body: 'Customer flagged for a billing audit.', visibility: 'internal' }))
        .status,
    ).toBe(201);

    const { page } = await newPage({ width: 390, height: 844 });
    await signIn(page, 'alice', { agent: false });
    await page.getByRole('link', { name: own.subject }).waitFor();
    await expect(page.getByRole('link', { name: other.subject }).count()).resolves.toBe(0);
    await expect(page.getByRole('tablist').count()).resolves.toBe(0);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);

    await page.getByRole('link', { name: own.subject }).click();
    await page.getByRole('heading', { level: 1, name: own.subject }).waitFor();
    await page.getByRole('article').filter({ hasText: 'Fixed the address form' }).waitFor();
    await expect(page.getByText('billing audit').count()).resolves.toBe(0);
    await expect(page.getByText('Internal note').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Save changes' }).count()).resolves.toBe(0);
    await expect(page.getByRole('radio', { name: 'Internal note' }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'customer-ticket-phone.png');

    // Another customer's ticket, asked for by its address, is not found.
    expectedFailedLoads = [404];
    await page.goto(`/#/tickets/${other.id}`);
    await page.getByRole('alert').waitFor();
    await expect(page.getByText(other.subject).count()).resolves.toBe(0);
  });
});

describe('ticket text holding markup', () => {
  test('renders as text in the queue and the ticket, and runs nothing', async () => {
    const customer = await system().clientAs({ sub: 'markup-customer' });
    const subject = '<img src=x onerror="window.__xss=1">';
    const description = 'line one\n<script>window.__xss=2</script>\n<img src=x onerror="window.__xss=3">';
    const created = await ticket(customer, { subject, description });
    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    await page.getByRole('link', { name: subject }).waitFor();
    await expect(page.locator('main img, main script').count()).resolves.toBe(0);
    // A public reply too (it moves the ticket out of the open queue, so it comes after the queue was seen).
    const agent = await agentClient();
    expect(
      (await agent.addComment(created.id, { body: '<script>window.__xss=4</script>', visibility: 'public' })).status,
    ).toBe(201);

    await page.getByRole('link', { name: subject }).click();
    await page.getByRole('heading', { level: 1, name: subject }).waitFor();
    await page.getByRole('article').filter({ hasText: '<script>window.__xss=4</script>' }).waitFor();
    const descriptionSection = page.locator('section', { has: page.getByRole('heading', { name: 'Description' }) });
    await expect(descriptionSection.innerText()).resolves.toContain('<script>window.__xss=2</script>');
    await expect(page.locator('main img, main script').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
  });
});
