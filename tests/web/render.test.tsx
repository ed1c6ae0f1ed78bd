import { describe, expect, it } from '@jest/globals';
import { renderToString } from 'preact-render-to-string';
import type { Comment } from '../../layers/shared/src/domain/comment-schema.js';
import { CommentView } from '../../web/src/components/CommentView.js';
import { ConflictNotice } from '../../web/src/components/ConflictNotice.js';
import { DescriptionText } from '../../web/src/components/DescriptionText.js';
import { QueueRow } from '../../web/src/components/QueueRow.js';
import { aHistoryEntry } from '../support/tickets.js';
import { at, ticketFixture } from './ticket-fixture.js';

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = 'line one\n<script>window.__xss=2</script>';

const commentFixture = (overrides: Partial<Comment> = {}): Comment => ({
  id: '01JD0000000000000000000001',
  ticketId: '01JD0000000000000000000000',
  author: { id: 'ada', role: 'agent' },
  body: 'Looking into it.',
  visibility: 'public',
  createdAt: '2026-11-28T11:00:00.000Z',
  analysis: { status: 'complete', language: 'en', sentiment: null, redactions: [] },
  ...overrides,
});

describe('ticket text renders as text', () => {
  it('escapes markup in a description and keeps its line breaks as text', () => {
    const html = renderToString(<DescriptionText text={SCRIPT} />);
    expect(html).toBe('<div class="text">line one\n&lt;script>window.__xss=2&lt;/script></div>');
    expect(html).not.toContain('<script');
  });

  it('escapes markup in a subject and a requester on a queue row', () => {
    const ticket = ticketFixture({ subject: IMG, requester: { id: '<b>bob</b>', email: null } });
    const html = renderToString(
      <table>
        <tbody>
          <QueueRow ticket={ticket} agent now={at('2026-11-28T11:00:00Z')} />
        </tbody>
      </table>,
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;>');
    expect(html).toContain('&lt;b>bob&lt;/b>');
  });

  it("escapes markup in a comment's body", () => {
    const html = renderToString(<CommentView comment={commentFixture({ body: SCRIPT })} />);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script>');
  });
});

describe('a queue row', () => {
  const now = at('2026-11-28T16:05:00Z');

  it('shows an agent the subject as a link to the ticket, the requester, age, priority, category, sentiment, due and signals', () => {
    const html = renderToString(<QueueRow ticket={ticketFixture()} agent now={now} />);
    expect(html).toContain('href="#/tickets/01JD0000000000000000000000"');
    for (const text of [
      'Cannot log in',
      'alice@example.com',
      '6 h',
      'High',
      'Account',
      'Negative',
      'access: “cannot log in”',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<td data-label="Due" class="due overdue"><time[^>]*>Overdue 2 h<\/time><\/td>/);
  });

  it('shows the first three signals behind the priority and counts the rest', () => {
    const ticket = ticketFixture();
    const signals = ['outage', 'widespread', 'critical', 'asap', 'learned'].map((kind) => ({ kind, phrase: kind }));
    const html = renderToString(
      <QueueRow
        ticket={{ ...ticket, analysis: { ...ticket.analysis, signals: { priority: signals, category: [] } } }}
        agent
        now={now}
      />,
    );
    expect(html.match(/<li class="chip">/g)).toHaveLength(3);
    expect(html).toContain('critical: “critical”');
    expect(html).not.toContain('asap: “asap”</li>');
    expect(html).toContain('+2 more');
  });

  it('shows a ticket not yet due without the overdue mark', () => {
    const html = renderToString(<QueueRow ticket={ticketFixture()} agent now={at('2026-11-28T11:00:00Z')} />);
    expect(html).toMatch(/<td data-label="Due" class="due"><time[^>]*>in 3 h<\/time><\/td>/);
    expect(html).not.toContain('Overdue');
  });

  it('shows a customer the subject, status, age and due time only', () => {
    const html = renderToString(<QueueRow ticket={ticketFixture()} agent={false} now={now} />);
    expect(html.match(/<td /g)).toHaveLength(4);
    expect(html).toContain('Open');
    expect(html).not.toContain('alice@example.com');
    expect(html).not.toContain('cannot log in');
  });
});

describe('a comment', () => {
  it('marks an internal note', () => {
    const html = renderToString(<CommentView comment={commentFixture({ visibility: 'internal' })} />);
    expect(html).toContain('<article class="comment internal">');
    expect(html).toContain('Internal note');
  });

  it('leaves a public comment unmarked', () => {
    expect(renderToString(<CommentView comment={commentFixture()} />)).not.toContain('Internal note');
  });
});

describe('the conflict notice', () => {
  it("names who changed the ticket and shows their current values next to the agent's unsaved choices", () => {
    const current = ticketFixture({
      version: 2,
      priority: 'urgent',
      history: [
        aHistoryEntry({
          version: 2,
          at: '2026-11-28T10:30:00.000Z',
          by: { id: 'bob', role: 'agent' },
          changes: [{ field: 'priority', from: 'high', to: 'urgent' }],
        }),
      ],
    });
    const html = renderToString(
      <ConflictNotice
        current={current}
        baseVersion={1}
        edits={{ status: 'in_progress' }}
        me="ada"
        busy={false}
        onApply={() => undefined}
        onDiscard={() => undefined}
      />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Changed by bob');
    expect(html).toContain('<th scope="row">Status</th><td>Open</td><td>In progress</td>');
    expect(html).toMatch(
      /<th scope="row">Priority<\/th><td>Urgent<\/td><td><span class="muted">unchanged<\/span><\/td>/,
    );
    expect(html).toContain('Apply my changes to the current version');
    expect(html).toContain('Discard mine');
  });
});
