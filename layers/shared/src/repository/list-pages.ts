import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { listTicketsSchema } from '../domain/ticket-inputs.js';
import type { StartKey } from './list-cursor.js';
import type { ListPlan } from './list-plan.js';
import { countWithinResponseBudget } from './response-size.js';
import { TABLE_KEY_ATTRIBUTES, type IndexDefinition, type Item } from './table-layout.js';

const { minimum: MIN_PAGE_SIZE, maximum: MAX_PAGE_SIZE } = listTicketsSchema.properties.limit;
/** A filtered page stops after this many Query calls, so a rare filter costs bounded reads per request. */
const MAX_QUERIES_PER_PAGE = 10;
const MAX_FILTERED_READ_SIZE = 1000;

/** One Query call (the table name already given), with its failure already translated. */
export type RunQuery = (
  input: Omit<QueryCommandInput, 'TableName'>,
) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>;

export interface PageOfEntries<Entry> {
  /** The items read, as the response carries them. */
  entries: Entry[];
  /** Where the next page starts; absent on the last page. */
  resumeKey?: StartKey;
}

/** The input schema bounds the page size, so one out of range here is a fault in the caller. */
export function assertPageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < MIN_PAGE_SIZE || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`A page holds from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE} tickets (asked for ${limit}).`);
  }
}

/**
 * Reads up to `limit` tickets. It asks for one item more than the page holds,
 * so the last page says so (no resume key) instead of leading to an empty
 * one. A filter drops items after DynamoDB has read them, so filtered queries
 * keep reading until the page is full, the index partition is exhausted or
 * the read budget is spent (then the page may be short, but its cursor goes on).
 * `toEntry` turns an item into what the response carries, which is what the
 * page's size is measured on (response-size.ts).
 */
export async function readPage<Entry>(
  runQuery: RunQuery,
  plan: ListPlan,
  limit: number,
  startKey: StartKey | undefined,
  toEntry: (item: Item) => Entry,
): Promise<PageOfEntries<Entry>> {
  const wanted = limit + 1;
  const found: Item[] = [];
  let exclusiveStartKey: Item | undefined = startKey;
  for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries++) {
    const result = await runQuery({
      ...plan.input,
      Limit: plan.input.FilterExpression ? filteredReadSize(wanted, queries) : wanted - found.length,
      ExclusiveStartKey: exclusiveStartKey,
    });
    found.push(...(result.Items ?? []));
    exclusiveStartKey = result.LastEvaluatedKey;
    if (found.length >= wanted || !exclusiveStartKey) break;
  }

  // A filtered read may find more than the page holds; only those it can hold are converted and measured.
  const entries = found.slice(0, limit).map(toEntry);
  // A page of 100 large tickets would not fit in one response: it stops short instead, its cursor resuming after the last ticket kept.
  const kept = countWithinResponseBudget(entries);
  const last = found[kept - 1];
  if (found.length > kept && last) {
    // DynamoDB's LastEvaluatedKey lies beyond what we return: resume right after the last returned item.
    return { entries: entries.slice(0, kept), resumeKey: startKeyOf(last, plan.index) };
  }
  // Either the partition is exhausted, or the read budget ran out mid-way and the next page resumes there.
  return { entries, resumeKey: exclusiveStartKey && startKeyOf(exclusiveStartKey, plan.index) };
}

/**
 * How many items a filtered Query evaluates. It doubles with each call: a filter
 * most items pass costs one small read, a rare one still finds its matches in a
 * few calls.
 */
const filteredReadSize = (wanted: number, queriesSoFar: number) =>
  Math.min(wanted * 2 ** queriesSoFar, MAX_FILTERED_READ_SIZE);

/** An index's ExclusiveStartKey needs the table key and the index key of the item to continue after (the table's: its own). */
function startKeyOf(item: Item, index: Pick<IndexDefinition, 'hashKey' | 'rangeKey'>): StartKey {
  const names = [...TABLE_KEY_ATTRIBUTES, index.hashKey, index.rangeKey];
  return Object.fromEntries(
    names.map((name) => {
      const value = item[name];
      if (typeof value !== 'string')
        throw new Error(`Malformed item in the ticket table: key ${name} is not a string.`);
      return [name, value];
    }),
  );
}
