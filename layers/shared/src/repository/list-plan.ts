import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Ticket } from '../domain/ticket.js';
import type { ListQuery } from '../domain/ticket-repository.js';
import {
  ALL_TICKETS_PARTITION,
  INDEXES,
  priorityPrefix,
  requesterPartition,
  statusPartition,
  type IndexDefinition,
} from './table-layout.js';

/** The Query a list runs, on which index (or the table); paging fills in the table, limit and start key. */
export interface ListPlan {
  index: Pick<IndexDefinition, 'hashKey' | 'rangeKey'>;
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
}

type Filter = Partial<Pick<Ticket, 'status' | 'priority'>>;

/**
 * Every list shape is a Query on one index partition; none is a Scan.
 *   customer (own tickets)  byRequester, newest first; status and priority filter the partition
 *   agent, with status      byStatus, triage order (priority rank, then oldest first); priority narrows the key
 *   agent, status, sort=due byDue, the next due time first
 *   agent, without status   byCreated, newest first; priority filters
 */
export function planListQuery(query: ListQuery): ListPlan {
  if (query.scope.kind === 'requester') {
    const filter = { status: query.status, priority: query.priority };
    const partition = requesterPartition(query.scope.requesterId);
    return planOn(INDEXES.byRequester, partition, { newestFirst: true, filter });
  }
  if (query.status && query.sort === 'due') {
    return planOn(INDEXES.byDue, statusPartition(query.status), { newestFirst: false, filter: {} });
  }
  if (query.status) {
    const plan = planOn(INDEXES.byStatus, statusPartition(query.status), { newestFirst: false, filter: {} });
    return query.priority ? narrowedToPriority(plan, query.priority) : plan;
  }
  return planOn(INDEXES.byCreated, ALL_TICKETS_PARTITION, { newestFirst: true, filter: { priority: query.priority } });
}

function planOn(
  index: IndexDefinition,
  partition: string,
  { newestFirst, filter }: { newestFirst: boolean; filter: Filter },
): ListPlan {
  const names: Record<string, string> = { '#hashKey': index.hashKey };
  const values: Record<string, unknown> = { ':partition': partition };
  const conditions: string[] = [];
  for (const field of ['status', 'priority'] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    conditions.push(`#${field} = :${field}`);
  }
  const input = {
    IndexName: index.name,
    KeyConditionExpression: '#hashKey = :partition',
    FilterExpression: conditions.length > 0 ? conditions.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: !newestFirst,
  };
  return { index, input };
}

/** In the byStatus index, a priority is a prefix of the range key: a key condition, not a filter. */
function narrowedToPriority({ index, input }: ListPlan, priority: Ticket['priority']): ListPlan {
  return {
    index,
    input: {
      ...input,
      KeyConditionExpression: `${input.KeyConditionExpression ?? ''} AND begins_with(#rangeKey, :rankPrefix)`,
      ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#rangeKey': index.rangeKey },
      ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':rankPrefix': priorityPrefix(priority) },
    },
  };
}
