import { describe, expect, it } from '@jest/globals';
import { dueState, formatValue, humanDuration, labelOf } from '../../web/src/format.js';
import { at, ticketFixture } from './ticket-fixture.js';

describe('durations', () => {
  it('reads at a glance: minutes, then hours up to two days, then days', () => {
    expect(humanDuration(30_000)).toBe('under 1 min');
    expect(humanDuration(45 * 60_000)).toBe('45 min');
    expect(humanDuration(-45 * 60_000)).toBe('45 min');
    expect(humanDuration(3 * 3_600_000 + 59 * 60_000)).toBe('3 h');
    expect(humanDuration(47 * 3_600_000)).toBe('47 h');
    expect(humanDuration(5 * 86_400_000)).toBe('5 d');
  });
});

describe('the due time', () => {
  it("is the first response's while it is owed and earlier than the resolution's", () => {
    const due = dueState(ticketFixture(), at('2026-11-28T11:00:00Z'));
    expect(due).toEqual({
      at: '2026-11-28T14:00:00.000Z',
      target: 'firstResponse',
      overdue: false,
      paused: false,
      text: 'in 3 h',
    });
  });

  it("is the resolution's once an agent has replied", () => {
    const due = dueState(ticketFixture({ firstResponseAt: '2026-11-28T10:30:00.000Z' }), at('2026-11-28T11:00:00Z'));
    expect(due.at).toBe('2026-11-29T10:00:00.000Z');
    expect(due.target).toBe('resolution');
    expect(due.text).toBe('in 23 h');
  });

  it('is overdue, saying by how long, once it has passed on a running clock', () => {
    const due = dueState(ticketFixture(), at('2026-11-28T16:05:00Z'));
    expect(due.overdue).toBe(true);
    expect(due.text).toBe('Overdue 2 h');
  });

  it('is overdue when a target was missed, even if the next due time is ahead', () => {
    const ticket = ticketFixture({
      firstResponseAt: '2026-11-28T15:00:00.000Z',
      sla: { ...ticketFixture().sla, breached: ['firstResponse'] },
    });
    const due = dueState(ticket, at('2026-11-28T16:00:00Z'));
    expect(due.overdue).toBe(true);
    expect(due.text).toBe('Overdue: first response missed');
  });

  it('stands still while paused: not overdue by the clock, showing what was left when it stopped', () => {
    const ticket = ticketFixture({
      status: 'waiting_on_customer',
      sla: { ...ticketFixture().sla, pausedSince: '2026-11-28T12:00:00.000Z' },
    });
    const due = dueState(ticket, at('2026-11-30T12:00:00Z'));
    expect(due.paused).toBe(true);
    expect(due.overdue).toBe(false);
    expect(due.text).toBe('Paused, 2 h left');
  });

  it('is on time once resolved or closed with no target missed', () => {
    for (const status of ['resolved', 'closed'] as const) {
      const ticket = ticketFixture({
        status,
        sla: { ...ticketFixture().sla, pausedSince: '2026-11-28T12:00:00.000Z' },
      });
      expect(dueState(ticket, at('2026-12-30T12:00:00Z'))).toMatchObject({ overdue: false, text: 'On time' });
    }
  });

  it('is judged by breached alone while paused', () => {
    const ticket = ticketFixture({
      status: 'resolved',
      sla: {
        ...ticketFixture().sla,
        pausedSince: '2026-11-28T15:00:00.000Z',
        breached: ['firstResponse', 'resolution'],
      },
    });
    const due = dueState(ticket, at('2026-11-30T12:00:00Z'));
    expect(due.overdue).toBe(true);
    expect(due.text).toBe('Overdue: first response and resolution missed');
  });
});

describe('words', () => {
  it("turns the API's vocabulary into labels", () => {
    expect(labelOf('in_progress')).toBe('In progress');
    expect(labelOf('waiting_on_customer')).toBe('Waiting on customer');
    expect(labelOf('feature_request')).toBe('Feature request');
    expect(labelOf('NEGATIVE')).toBe('Negative');
  });

  it('shows history values as words', () => {
    expect(formatValue(null)).toBe('none');
    expect(formatValue([])).toBe('none');
    expect(formatValue(['vip', 'billing'])).toBe('vip, billing');
    expect(formatValue('urgent')).toBe('urgent');
    expect(formatValue(3)).toBe('3');
  });
});
