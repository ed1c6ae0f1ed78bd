/**
 * A page of large tickets stops short of Lambda's 6 MB response limit, and its
 * cursor still reaches every ticket exactly once.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Ticket } from '../../layers/shared/src/domain/ticket.js';
import { DynamoDbTicketRepository } from '../../layers/shared/src/repository/dynamodb-ticket-repository.js';
import { RESPONSE_ENTRIES_BUDGET_BYTES, responseBytes } from '../../layers/shared/src/repository/response-size.js';
import { createTestTable } from '../support/dynamodb-test-table.js';
import { aTicket } from '../support/tickets.js';
import { fixedSecret } from '../support/secret-source.js';

let repository: DynamoDbTicketRepository;

/** 20,000 four-byte characters: the largest description the API accepts, ~80 KB of UTF-8. */
const LARGEST_DESCRIPTION = '😀'.repeat(20_000);
const TICKETS = 100;

function largeTicket(index: number): Ticket {
  return aTicket({
    id: `01JDQ0Z7S1X7M3V9K2B4N6${String(index).padStart(4, '0')}`,
    subject: `Large ticket ${index}`,
    description: LARGEST_DESCRIPTION,
    requester: { id: 'verbose-customer', email: null },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
  });
}

beforeAll(async () => {
  const table = await createTestTable('page-size');
  repository = new DynamoDbTicketRepository({
    client: table.documentClient,
    tableName: table.tableName,
    cursorSecret: fixedSecret('a-test-secret-that-is-long-enough-for-hmac'),
  });
  for (let index = 0; index < TICKETS; index++) await repository.create(largeTicket(index));
}, 120_000);

describe('pages of large tickets', () => {
  test('stay under the byte budget and page on until every ticket was seen once', async () => {
    const query = {
      scope: { kind: 'requester' as const, requesterId: 'verbose-customer' },
      limit: 100,
      callerId: 'verbose-customer',
    };
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repository.list({ ...query, ...(cursor && { cursor }) });
      pages++;
      expect(responseBytes(page.items)).toBeLessThanOrEqual(RESPONSE_ENTRIES_BUDGET_BYTES);
      seen.push(...page.items.map((ticket) => ticket.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages < 10);

    expect(pages).toBeGreaterThan(1); // 100 × 80 KB do not fit in one response
    expect(new Set(seen).size).toBe(TICKETS);
    expect(seen).toHaveLength(TICKETS);
    expect(seen[0]).toBe(largeTicket(TICKETS - 1).id); // still newest first
  });
});
