import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TicketBody } from '../support/api-bodies.js';
import type { ApiClient } from '../e2e/support/api-client.js';
import { testSystemPerFile } from '../e2e/support/local-system.js';
import {
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

// Urgent tickets fall due a minute after they are opened, so a clock moved ten minutes on shows them overdue;
// low ones two minutes after, so sorting by due time differs from triage order.
const system = testSystemPerFile({
  parameterOverrides: { ServiceLevelTargets: 'urgent=1m/5m,low=2m/10m' },
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

/** Whether the page scrolls sideways: on a phone, nothing may be wider than the screen. */
const scrollsSideways = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');

/** Headers a stand-in answer of the cross-origin API needs for the page to read it. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match, Idempotency-Key',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, OPTIONS',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
};

/**
 * Answers the next `times` GETs of the API path `pathname` with `status` and a problem document
 * (preflights are answered as the API would), then lets requests through again.
 */
async function failApiGets(
  page: Page,
  pathname: (path: string) => boolean,
  {
    status,
    title,
    times,
    headers = {},
  }: { status: number; title: string; times: number; headers?: Record<string, string> },
): Promise<void> {
  let left = times;
  const apiOrigin = new URL(system().apiUrl).origin;
  await page.route(
    (url) => url.origin === apiOrigin && pathname(url.pathname),
    async (route) => {
      const request = route.request();
      if (request.method() === 'OPTIONS') {
        await route.fulfill({ status: 204, headers: CORS_HEADERS });
        return;
      }
      if (request.method() !== 'GET' || left === 0) {
        await route.fallback();
        return;
      }
      left -= 1;
      await route.fulfill({
        status,
        headers: { ...CORS_HEADERS, ...headers },
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title, status }),
      });
    },
  );
}

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
    await expect(scrollsSideways(page)).resolves.toBe(false);
    await saveScreenshot(page, 'queue-phone.png');
  });

  test('sorts the queue by due time, and pages through it with the API cursor', async () => {
    const customer = await system().clientAs({ sub: 'sort-customer' });
    // Due by first response: urgent 1 min, low 2 min, high 4 h, normal 8 h after creation (seconds apart):
    // by due time urgent, low, high, normal; in triage order urgent, high, normal, low.
    const normal = await ticket(customer, { subject: 'Sort: normal' }, 'normal');
    const high = await ticket(customer, { subject: 'Sort: high' }, 'high');
    const urgent = await ticket(customer, { subject: 'Sort: urgent' }, 'urgent');
    const low = await ticket(customer, { subject: 'Sort: low' }, 'low');
    const subjects = [normal, high, urgent, low].map((created) => created.subject);

    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    // The console's time to first render, from navigation start to the first page of rows on screen: right
    // after signing in (the code exchanged for a token first), and on a reload with the session's token.
    // The mark is set just after the rows are painted, so it is waited for.
    const firstRenderMs = async () => {
      await page.waitForFunction(() => performance.getEntriesByName('queue-rendered').length > 0);
      return page.evaluate(() => performance.getEntriesByName('queue-rendered')[0]?.startTime ?? null);
    };
    const afterSignIn = await firstRenderMs();
    await page.reload();
    const onReload = await firstRenderMs();
    expect(afterSignIn).toEqual(expect.any(Number));
    expect(onReload).toEqual(expect.any(Number));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(
      join(SCREENSHOT_DIR, 'queue-first-render.json'),
      JSON.stringify({ afterSignInMs: afterSignIn, onReloadMs: onReload }) + '\n',
    );
    console.log(
      `console: queue first rendered ${Math.round(afterSignIn ?? 0)} ms after sign-in, ${Math.round(onReload ?? 0)} ms on reload`,
    );

    await page.getByRole('link', { name: low.subject }).waitFor();
    await expect(rowSubjects(page, subjects)).resolves.toEqual([
      urgent.subject,
      high.subject,
      normal.subject,
      low.subject,
    ]);
    const dueOrder = page.waitForResponse((response) => /\/tickets\?.*sort=due/.test(response.url()));
    await page.getByLabel('Sort by').selectOption({ label: 'Due time' });
    await dueOrder;
    await page.getByRole('link', { name: low.subject }).waitFor();
    await eventually(() => rowSubjects(page, subjects), [urgent.subject, low.subject, high.subject, normal.subject]);

    // Pages of one: Load more brings the next ticket through the cursor, and the keyboard goes on from it.
    // The queue on screen stays until the new address's first page replaces it: wait for that page of one.
    await page.goto('/#/queue/open?sort=due&limit=1');
    await eventually(() => page.locator('tbody tr').count(), 1);
    await page.getByRole('button', { name: 'Load more' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('tbody tr').nth(1).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    const firstTwo = await page.locator('tbody tr td:first-child a').allTextContents();
    expect(new Set(firstTwo).size).toBe(2);
    await eventually(() => page.locator('tbody tr:nth-child(2) a:focus').allTextContents(), [firstTwo[1]]);
  });

  test('moves between the status queues with the arrow keys, Home and End', async () => {
    const customer = await system().clientAs({ sub: 'tabs-customer' });
    const inProgress = await ticket(customer, { subject: 'Tabs: being worked on' });
    const agent = await agentClient();
    const current = await agent.get(inProgress.id);
    expect(
      (await agent.update(inProgress.id, { status: 'in_progress' }, { 'If-Match': current.headers.get('etag')! }))
        .status,
    ).toBe(200);

    const { page } = await newPage();
    // The resolved queue is empty, whatever else the file's system holds: its page is answered here.
    const apiOrigin = new URL(system().apiUrl).origin;
    await page.route(
      (url) => url.origin === apiOrigin && url.pathname === '/tickets' && url.searchParams.get('status') === 'resolved',
      async (route) => {
        if (route.request().method() === 'OPTIONS') await route.fulfill({ status: 204, headers: CORS_HEADERS });
        else await route.fulfill({ status: 200, headers: CORS_HEADERS, json: { items: [], nextCursor: null } });
      },
    );
    await signIn(page, 'ada', { agent: true });
    // Which tab is selected, which has the focus, and the address (the page's own DOM, so written as an expression).
    const selectedTab = () =>
      page.evaluate<{ selected: string | null; focused: string | null; hash: string }>(`({
        selected: document.querySelector('[role="tab"][aria-selected="true"]')?.textContent ?? null,
        focused: document.activeElement?.getAttribute('role') === 'tab' ? document.activeElement.textContent : null,
        hash: location.hash,
      })`);
    await page.getByRole('tab', { name: 'Open' }).focus();
    await page.keyboard.press('ArrowRight');
    await eventually(selectedTab, { selected: 'In progress', focused: 'In progress', hash: '#/queue/in_progress' });
    await page.getByRole('tabpanel').getByRole('link', { name: inProgress.subject }).waitFor();
    await page.keyboard.press('End');
    await eventually(selectedTab, { selected: 'Closed', focused: 'Closed', hash: '#/queue/closed' });
    await page.keyboard.press('Home');
    await eventually(selectedTab, { selected: 'Open', focused: 'Open', hash: '#/queue/open' });
    await page.keyboard.press('ArrowLeft');
    await eventually(selectedTab, { selected: 'Closed', focused: 'Closed', hash: '#/queue/closed' });
    await page.keyboard.press('ArrowLeft');
    await eventually(selectedTab, { selected: 'Resolved', focused: 'Resolved', hash: '#/queue/resolved' });
    // An empty queue says so.
    await page.getByRole('tabpanel').getByText('No tickets', { exact: true }).waitFor();
    await expect(page.getByRole('tabpanel').locator('table').count()).resolves.toBe(0);
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

    // The top bar names the user by e-mail (in Cognito the id is a UUID); "Assign to me" assigns the id.
    await expect(page.locator('header .who').textContent()).resolves.toBe('ada@example.com (agent)');
    await page.getByLabel('Status').selectOption('in_progress');
    await page.getByLabel('Priority').selectOption('low');
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const stored = (await customer.get(created.id)).body;
    expect({ status: stored.status, priority: stored.priority, assigneeId: stored.assigneeId }).toEqual({
      status: 'in_progress',
      priority: 'low',
      assigneeId: 'ada',
    });
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'History' }) });
    await expect(history.textContent()).resolves.toMatch(/status: waiting_on_customer → in_progress/);
    await expect(history.textContent()).resolves.toMatch(/priority: \w+ → low/);

    await saveScreenshot(page, 'ticket.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(scrollsSideways(page)).resolves.toBe(false);
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

  test("keeps unsaved triage on the version it was made on: a reply is no conflict, another agent's change is", async () => {
    const customer = await system().clientAs({ sub: 'reply-conflict-customer' });
    const created = await ticket(customer, { subject: 'Reply conflict: the app logs me out' });
    const bob = await system().clientAs({ sub: 'bob', agent: true });

    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    await page.goto(`/#/tickets/${created.id}`);
    await page.getByRole('heading', { level: 1, name: created.subject }).waitFor();
    const reply = async (text: string) => {
      await page.getByLabel('Message').fill(text);
      await page.getByRole('radio', { name: 'Public reply' }).check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('article').filter({ hasText: text }).waitFor();
      // Save waits for the re-read that follows the reply.
      await eventually(() => page.getByRole('button', { name: 'Save changes' }).isEnabled(), true);
    };

    // The agent's own reply (which moves the status on) does not stand in the way of their unsaved edit.
    await page.getByLabel('Priority').selectOption('high');
    await reply('We are looking into the log-outs.');
    await eventually(() => page.getByLabel('Status').inputValue(), 'waiting_on_customer');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const saved = (await bob.get(created.id)).body;
    expect({ status: saved.status, priority: saved.priority }).toEqual({
      status: 'waiting_on_customer',
      priority: 'high',
    });

    // Unsaved again; another agent changes the same field; the agent replies, which re-reads the ticket.
    await page.getByLabel('Priority').selectOption('low');
    const current = await bob.get(created.id);
    expect(
      (await bob.update(created.id, { priority: 'urgent' }, { 'If-Match': current.headers.get('etag')! })).status,
    ).toBe(200);
    await reply('Could you tell us which app version you use?');

    expectedFailedLoads = [412];
    await page.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Changed by' });
    await conflict.waitFor();
    await expect(conflict.locator('.notice-title').textContent()).resolves.toMatch(/^Changed by bob\b/);
    await expect(conflict.textContent()).resolves.toMatch(/Urgent/);
    // Nothing was overwritten: bob's priority stands.
    await expect(bob.get(created.id).then((answer) => answer.body.priority)).resolves.toBe('urgent');
    await expect(page.getByLabel('Priority').inputValue()).resolves.toBe('low');

    // With nothing unsaved, a re-read that shows another agent's change is the version the next save is made on.
    await page.getByRole('button', { name: 'Discard mine' }).click();
    const latest = await bob.get(created.id);
    expect(
      (await bob.update(created.id, { category: 'billing' }, { 'If-Match': latest.headers.get('etag')! })).status,
    ).toBe(200);
    await reply('Thanks, we have what we need for now.');
    await eventually(() => page.getByLabel('Category').inputValue(), 'billing');
    await page.getByLabel('Status').selectOption('in_progress');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    const after = (await bob.get(created.id)).body;
    expect({ status: after.status, category: after.category }).toEqual({ status: 'in_progress', category: 'billing' });
  });
});

describe('the console when the API fails', () => {
  test('says the service is busy, and Retry loads the queue', async () => {
    const customer = await system().clientAs({ sub: 'busy-customer' });
    const created = await ticket(customer, { subject: 'Busy: the queue came back' });
    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });
    await page.getByRole('link', { name: created.subject }).waitFor();

    // The console retries a busy GET once by itself (after Retry-After); both answers are busy here.
    expectedFailedLoads = [503];
    await failApiGets(page, (path) => path === '/tickets', {
      status: 503,
      title: 'Service busy for the test',
      times: 2,
      headers: { 'Retry-After': '1' },
    });
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Service busy for the test' });
    await alert.waitFor();
    await expect(page.getByRole('link', { name: created.subject }).count()).resolves.toBe(0);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('link', { name: created.subject }).waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  test('shows an error, not a guess, when a ticket comes without its ETag', async () => {
    const customer = await system().clientAs({ sub: 'no-etag-customer' });
    const created = await ticket(customer, { subject: 'No ETag: nothing to save against' });
    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });

    const apiOrigin = new URL(system().apiUrl).origin;
    await page.route(
      (url) => url.origin === apiOrigin && url.pathname === `/tickets/${created.id}`,
      async (route) => {
        if (route.request().method() !== 'GET') {
          await route.fallback();
          return;
        }
        const response = await route.fetch();
        const headers = Object.fromEntries(
          Object.entries(response.headers()).filter(([name]) => name.toLowerCase() !== 'etag'),
        );
        await route.fulfill({ response, headers });
      },
    );
    await page.goto(`/#/tickets/${created.id}`);
    await page.getByRole('alert').filter({ hasText: 'The ticket came without its version' }).waitFor();
    await expect(page.getByRole('button', { name: 'Save changes' }).count()).resolves.toBe(0);
  });

  test('signs the user out with a message when the API refuses the token', async () => {
    const customer = await system().clientAs({ sub: 'expired-customer' });
    const created = await ticket(customer, { subject: 'Expired: sign in again' });
    const { page } = await newPage();
    await signIn(page, 'ada', { agent: true });

    expectedFailedLoads = [401];
    await failApiGets(page, (path) => path.startsWith('/tickets/'), { status: 401, title: 'Unauthorized', times: 1 });
    await page.getByRole('link', { name: created.subject }).click();
    await page.getByRole('heading', { level: 1, name: 'Support console' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/no longer accepts your sign-in/);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
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
    await expect(page.getByRole('heading', { name: 'Analysis' }).count()).resolves.toBe(0);
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
