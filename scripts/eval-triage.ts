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
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './sam-template.js';
import { formatReport, targetsFor, triageMetrics, type TriageOutcome } from './triage-metrics.js';
import { analyzeLabelledTickets, type AnalyzedTicket } from './labelled-analysis.js';
import { parseLabelledTickets, type LabelledTicket } from './labelled-tickets.js';

const DEFAULT_FILE = join(PROJECT_ROOT, 'tests', 'triage', 'corpus.jsonl');

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

  const analyzed = await analyzeLabelledTickets(tickets);

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

process.exitCode = await main();
