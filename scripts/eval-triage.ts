/**
 * `npm run eval:triage [-- FILE.jsonl]`: how well the layer triages a labelled
 * set of tickets, measured as a support lead would (see triage-metrics.ts).
 *
 * Each ticket goes through what a new ticket goes through: the text
 * sanitized as the ticket service does, then the layer's ComprehendAnalyzer
 * with a real ComprehendClient talking to the local Comprehend stand-in,
 * started in this process on a free loopback port with dummy credentials.
 * Nothing reaches AWS.
 *
 * FILE holds one JSON object a line: id, language, subject, body, priority,
 * category (other fields are ignored). Default: tests/triage/corpus.jsonl.
 * Exits 1 when a target is missed, 2 when the file cannot be read.
 *
 * Options: --misses prints every ticket whose priority band or category was
 * wrong, with its id and the signals behind the decision.
 */
import { ComprehendClient } from '@aws-sdk/client-comprehend';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startComprehendStandIn } from '../local/comprehend/comprehend-stand-in.js';
import { ComprehendAnalyzer } from '../layers/shared/src/analysis/comprehend-analyzer.js';
import { sanitizeText } from '../layers/shared/src/domain/ticket-text.js';
import type { AnalysisOutcome } from '../layers/shared/src/domain/ticket-analyzer.js';
import { PROJECT_ROOT } from './sam-template.js';
import { formatReport, targetsFor, triageMetrics, type TriageOutcome } from './triage-metrics.js';
import { parseLabelledTickets, type LabelledTicket } from './labelled-tickets.js';

const DEFAULT_FILE = join(PROJECT_ROOT, 'tests', 'triage', 'corpus.jsonl');
/** Tickets analyzed at once: the stand-in is one process, more only queues. */
const CONCURRENCY = 8;
/** Generous: the stand-in on a busy machine is slower than Comprehend, and a timeout would hide sentiment. */
const DEADLINE_MS = 30_000;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { misses: { type: 'boolean' } },
  });
  const file = resolve(positionals[0] ?? DEFAULT_FILE);
  let tickets: LabelledTicket[];
  try {
    tickets = parseLabelledTickets(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`Cannot read labelled tickets from ${file}: ${(error as Error).message}`);
    return 2;
  }

  const standIn = await startComprehendStandIn({ port: 0, fault: 'none' });
  const client = new ComprehendClient({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const analyzer = new ComprehendAnalyzer({ client, deadlineMs: DEADLINE_MS });
  let analyzed: AnalyzedTicket[];
  try {
    analyzed = await mapConcurrently(tickets, CONCURRENCY, async (ticket) => ({
      ticket,
      outcome: await analyzer.analyze({
        subject: sanitizeText(ticket.subject),
        description: sanitizeText(ticket.body),
      }),
    }));
  } finally {
    client.destroy();
    await standIn.stop();
  }

  const incomplete = analyzed.filter(({ outcome }) => outcome.analysis.status !== 'complete').length;
  const results: TriageOutcome[] = analyzed.map(({ ticket, outcome }) => ({
    label: { priority: ticket.priority, category: ticket.category },
    predicted: { priority: outcome.priority, category: outcome.category },
  }));
  const metrics = triageMetrics(results);

  if (values.misses) printMisses(analyzed);
  console.log(`file: ${file}`);
  if (incomplete > 0) console.log(`note: ${incomplete} analyses not complete (triaged without sentiment)`);
  console.log(formatReport(metrics));
  return targetsFor(metrics).every((target) => target.met) ? 0 : 1;
}

interface AnalyzedTicket {
  ticket: LabelledTicket;
  outcome: AnalysisOutcome;
}

function printMisses(analyzed: readonly AnalyzedTicket[]): void {
  const band = (priority: string) => (priority === 'urgent' || priority === 'high' ? 'pressing' : 'routine');
  analyzed.forEach(({ ticket, outcome }) => {
    const wrongPriority =
      band(ticket.priority) !== band(outcome.priority) ||
      (ticket.priority === 'urgent') !== (outcome.priority === 'urgent');
    const wrongCategory = ticket.category !== outcome.category;
    if (!wrongPriority && !wrongCategory) return;
    const signals = (list: { kind: string; phrase: string }[]) => list.map((s) => `${s.kind}:${s.phrase}`).join(', ');
    console.log(
      `${ticket.id} [${ticket.language}] priority ${ticket.priority}→${outcome.priority}` +
        ` category ${ticket.category}→${outcome.category} sentiment ${outcome.analysis.sentiment?.label ?? '-'}` +
        `\n  priority: ${signals(outcome.analysis.signals.priority)}` +
        `\n  category: ${signals(outcome.analysis.signals.category)}`,
    );
  });
}

/** `work` on every item, at most `limit` at a time; the results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  // One iterator shared by the workers: each item is taken once, in order.
  const pending = items.entries();
  const worker = async () => {
    for (const [index, item] of pending) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

process.exitCode = await main();
