/**
 * The response schemas and the domain's types describe the same objects: each
 * type is assignable to the type its schema denotes and back, so neither can
 * change alone. The assertions are checked by the type-checker; the test body
 * only makes jest run the file.
 */
import { describe, expect, test } from '@jest/globals';
import type { FromSchema } from 'json-schema-to-ts';
import type { TicketPage } from '../../../layers/shared/src/domain/ticket-repository.js';
import {
  historyEntrySchema,
  problemSchema,
  ticketAnalysisSchema,
  ticketPageSchema,
  ticketSchema,
  ticketWithHistorySchema,
} from '../../../layers/shared/src/domain/ticket-schema.js';
import type {
  HistoryEntry,
  Ticket,
  TicketAnalysis,
  TicketWithHistory,
} from '../../../layers/shared/src/domain/ticket.js';
import type { Problem } from '../../../layers/shared/src/http/problem-details.js';

/** `true` only when A and B are assignable to each other; anything else is a type error where it is used. */
type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const same = <A, B>(verdict: MutuallyAssignable<A, B>): MutuallyAssignable<A, B> => verdict;

describe('response schemas and domain types', () => {
  test('describe the same objects', () => {
    const verdicts = [
      same<FromSchema<typeof ticketSchema>, Ticket>(true),
      same<FromSchema<typeof ticketWithHistorySchema>, TicketWithHistory>(true),
      same<FromSchema<typeof historyEntrySchema>, HistoryEntry>(true),
      same<FromSchema<typeof ticketAnalysisSchema>, TicketAnalysis>(true),
      same<FromSchema<typeof ticketPageSchema>, TicketPage>(true),
      same<FromSchema<typeof problemSchema>, Problem>(true),
    ];
    expect(verdicts.every(Boolean)).toBe(true);
  });
});
