/**
 * listScalingRatio: how a list's cost grows with the table. `GET
 * /tickets?limit=20` through the list function's handler (in this process, as
 * handler-overhead.ts invokes it) with 20,000 tickets in the table over the
 * same with 100, both measured in this run: a customer's own tickets, an
 * agent's triage queue (the open tickets, the console's first tab) and an
 * agent's list of every ticket. The tickets are seeded in the repository's
 * own item format (its item mapping), spread over a few customers, statuses,
 * priorities and categories and half a year of creation times, as real data is.
 */
import { ulid } from 'ulid';
import type { Ticket } from '../../layers/shared/src/domain/ticket.js';
import {
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '../../layers/shared/src/domain/ticket-vocabulary.js';
import { toNewTicketItem } from '../../layers/shared/src/repository/ticket-item.js';
import { agent, customer, type EventOptions } from '../../tests/support/api-gateway-event.js';
import { aTicket } from '../../tests/support/tickets.js';
import {
  median,
  rounded,
  type BenchPart,
  type BenchPartOptions,
  type BenchPartResult,
  type Figure,
} from './figures.js';
import {
  BENCH_TICKETS,
  invoke,
  runWorker,
  startHandlerBench,
  deleteItems,
  warmUpDynamoDb,
  writeItems,
  type HandlerBench,
  type Progress,
} from './handler-bench.js';

export const listScalingPart: BenchPart = {
  name: 'list-scaling',
  measure: (options) => runWorker('list-scaling', options),
};

const TARGET = { atMost: 1.3 };
const SMALL_TABLE = 100;
const LARGE_TABLE = 20_000;
const CUSTOMERS = 4;
const DAY_MS = 24 * 60 * 60 * 1000;

const customerClaims = (index: number) => customer(`bench-customer-${String(index + 1)}`);
const ADA = agent('bench-ada');

type ListingName = 'customerList' | 'agentQueue' | 'agentAll';

const LISTINGS: { name: ListingName; what: string; options: EventOptions }[] = [
  {
    name: 'customerList',
    what: "a customer's own tickets",
    options: { method: 'GET', resource: '/tickets', query: { limit: '20' }, claims: customerClaims(0) },
  },
  {
    name: 'agentQueue',
    what: 'the open queue (status=open)',
    options: { method: 'GET', resource: '/tickets', query: { status: 'open', limit: '20' }, claims: ADA },
  },
  {
    name: 'agentAll',
    what: 'every ticket, newest first',
    options: { method: 'GET', resource: '/tickets', query: { limit: '20' }, claims: ADA },
  },
];

/** Shares of the statuses and priorities, in vocabulary order: most tickets are settled, most are normal. */
const STATUS_WEIGHTS = [25, 15, 15, 20, 25];
const PRIORITY_WEIGHTS = [5, 20, 55, 20];

/** A small deterministic generator (mulberry32): the same tickets on every run. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(values: readonly T[], weights: readonly number[], random: () => number): T {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = random() * total;
  for (const [index, value] of values.entries()) {
    point -= weights[index] ?? 0;
    if (point < 0) return value;
  }
  return values[values.length - 1] as T;
}

/** `count` tickets as the repository stores them, created over the last six months. */
function seededItems(count: number, analysis: Ticket['analysis'], random: () => number, now: number) {
  return Array.from({ length: count }, () => {
    const createdMs = now - Math.floor(random() * 180 * DAY_MS);
    const createdAt = new Date(createdMs).toISOString();
    const status = weighted(TICKET_STATUSES, STATUS_WEIGHTS, random);
    const requester = customerClaims(Math.floor(random() * CUSTOMERS));
    const text = BENCH_TICKETS[Math.floor(random() * BENCH_TICKETS.length)] ?? { subject: 'Help', description: 'Help' };
    return toNewTicketItem(
      aTicket({
        id: ulid(createdMs),
        subject: text.subject,
        description: text.description,
        tags: text.tags ?? [],
        status,
        priority: weighted(TICKET_PRIORITIES, PRIORITY_WEIGHTS, random),
        category: TICKET_CATEGORIES[Math.floor(random() * TICKET_CATEGORIES.length)] ?? 'general',
        requester: { id: requester.sub ?? '', email: requester.email ?? null },
        assigneeId: status === 'open' ? null : 'bench-ada',
        channel: 'web',
        analysis,
        createdAt,
        updatedAt: createdAt,
      }),
    );
  });
}

/** Each listing's times, taken in turns so that the machine's moments fall on all of them alike. */
async function listingTimes(bench: HandlerBench, rounds: number): Promise<Map<ListingName, number[]>> {
  const handler = await bench.handler('list-tickets');
  const times = new Map<ListingName, number[]>(LISTINGS.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const listing of LISTINGS) {
      const { ms, body } = await invoke(handler, listing.options, 200);
      const { items } = body as { items: unknown[] };
      if (items.length !== 20) throw new Error(`${listing.name} answered ${String(items.length)} tickets, not 20.`);
      times.get(listing.name)?.push(ms);
    }
  }
  return times;
}

const medianOfAll = (times: Map<ListingName, number[]>) => median([...times.values()].flat());

/**
 * Lists until the times settle: after a burst of writes DynamoDB Local's JVM
 * (and this process) collect garbage and recompile for a while, and a list
 * measured then is slower for reasons that are not the table's size. After
 * `minimumRounds` rounds, sets of warm-up rounds run until two in a row have
 * a median within 10% of the set before (twenty sets at most).
 */
async function settle(bench: HandlerBench, minimumRounds: number): Promise<void> {
  let previous = medianOfAll(await listingTimes(bench, minimumRounds));
  let steady = 0;
  for (let set = 0; set < 20 && steady < 2; set++) {
    const current = medianOfAll(await listingTimes(bench, Math.ceil(minimumRounds / 5)));
    steady = Math.abs(current - previous) <= 0.1 * previous ? steady + 1 : 0;
    previous = current;
  }
}

/** Each listing's times once they have settled. */
async function listingTimesSettled(
  bench: HandlerBench,
  warmup: number,
  samples: number,
): Promise<Map<ListingName, number[]>> {
  await settle(bench, warmup);
  return listingTimes(bench, samples);
}

const mediansOf = (times: Map<ListingName, number[]>) =>
  Object.fromEntries(LISTINGS.map(({ name }) => [name, median(times.get(name) ?? [])])) as Record<ListingName, number>;

export async function measureListScaling(options: BenchPartOptions, progress: Progress): Promise<BenchPartResult> {
  // Node's and the JVM's compilers take a few hundred requests to settle.
  const warmup = options.quick ? 250 : 400;
  const samples = options.quick ? 40 : 150;
  const bench = await startHandlerBench();
  try {
    // An analysis as the create function stores one, taken from a real create.
    const created = await invoke(
      await bench.handler('create-ticket'),
      { method: 'POST', resource: '/tickets', body: BENCH_TICKETS[0], claims: ADA },
      201,
    );
    const { analysis } = created.body as Ticket;
    const random = randomSource(20_000);
    const now = Date.now();

    await writeItems(bench, seededItems(SMALL_TABLE - 1, analysis, random, now));
    progress('warming DynamoDB Local up');
    await warmUpDynamoDb(bench, options.quick ? 5_000 : 10_000);
    const smallBefore = await listingTimesSettled(bench, warmup, samples);
    progress(`${String(SMALL_TABLE)} tickets: ${describe(mediansOf(smallBefore))}`);

    const seeding = Date.now();
    const added = seededItems(LARGE_TABLE - SMALL_TABLE, analysis, random, now);
    await writeItems(bench, added);
    progress(`seeded ${String(LARGE_TABLE)} tickets in ${((Date.now() - seeding) / 1000).toFixed(0)} s`);
    const large = mediansOf(await listingTimesSettled(bench, warmup, samples));
    progress(`${String(LARGE_TABLE)} tickets: ${describe(large)}`);

    // The small table again, after as many writes: what the machine and the JVM drift in between weighs on both sizes.
    await deleteItems(
      bench,
      added.map(({ pk, sk }) => ({ pk, sk })),
    );
    const smallAfter = await listingTimesSettled(bench, warmup, samples);
    progress(`${String(SMALL_TABLE)} tickets again: ${describe(mediansOf(smallAfter))}`);
    const small = mediansOf(
      new Map(LISTINGS.map(({ name }) => [name, [...(smallBefore.get(name) ?? []), ...(smallAfter.get(name) ?? [])]])),
    );

    const ratios: Record<string, number> = {};
    const medians: Record<string, Record<string, number>> = {};
    const figures: Figure[] = LISTINGS.map(({ name, what }) => {
      const ratio = large[name] / small[name];
      ratios[name] = rounded(ratio);
      medians[name] = { [String(SMALL_TABLE)]: rounded(small[name]), [String(LARGE_TABLE)]: rounded(large[name]) };
      return {
        key: `listScalingRatio.${name}`,
        value: ratio,
        unit: 'x',
        target: TARGET,
        note: `${what}: ${large[name].toFixed(2)} ms at ${String(LARGE_TABLE)} tickets / ${small[name].toFixed(2)} ms at ${String(SMALL_TABLE)} (before and after), medians of ${String(samples)} and ${String(2 * samples)}`,
      };
    });
    return { results: { listScalingRatio: ratios, listScalingMedianMs: medians }, figures };
  } finally {
    await bench.stop();
  }
}

function describe(medians: Record<ListingName, number>): string {
  return LISTINGS.map(({ name }) => `${name} ${medians[name].toFixed(2)} ms`).join(', ');
}
