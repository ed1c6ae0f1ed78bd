/**
 * What Comprehend costs per ticket: every labelled ticket of the project
 * (tests/triage/corpus.jsonl, unseen.jsonl and holdout.jsonl) analyzed as a
 * new ticket is, as `npm run eval:triage` does it (text sanitized as the
 * ticket service does, then the layer's ComprehendAnalyzer with a real
 * ComprehendClient talking to the local Comprehend stand-in, started in this
 * process). A middleware on the client records the text of every request
 * actually sent, and the units are counted from those texts with
 * Comprehend's rule: 1 unit per 100 characters, at least 3 a call (a document
 * in a batch call). Against it: the naive analysis, which asks for the
 * language, sentiment, key phrases and PII of the whole text.
 *
 * The triage quality of those same analyses is reported beside the units,
 * per file, with the figures `npm run eval:triage` prints: a cut in units
 * must not change them.
 */
import type { ComprehendClient } from '@aws-sdk/client-comprehend';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIELD_SEPARATOR } from '../../layers/shared/src/analysis/analysis-view.js';
import { analyzeLabelledTickets } from '../labelled-analysis.js';
import { parseLabelledTickets, type LabelledTicket } from '../labelled-tickets.js';
import { PROJECT_ROOT } from '../sam-template.js';
import { triageMetrics, type TriageOutcome } from '../triage-metrics.js';
import { rounded, type BenchPart, type Figure } from './figures.js';

export const LABELLED_FILES = ['corpus.jsonl', 'unseen.jsonl', 'holdout.jsonl'] as const;

/** The four operations the naive analysis calls, each on the whole text. */
const NAIVE_OPERATIONS = ['DetectDominantLanguage', 'DetectSentiment', 'DetectKeyPhrases', 'DetectPiiEntities'];
/** The target: at most this share of the naive analysis' units. */
export const UNITS_RATIO_TARGET = 0.3;

const MIN_UNITS_PER_DOCUMENT = 3;
const CHARACTERS_PER_UNIT = 100;

/** Comprehend's billing of one document: 1 unit per 100 characters (code points), at least 3. */
export function billingUnits(text: string): number {
  // Code points, as Comprehend counts characters: a pair of surrogates is one character.
  const characters = text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  return Math.max(MIN_UNITS_PER_DOCUMENT, Math.ceil(characters / CHARACTERS_PER_UNIT));
}

/** One request as sent: its operation (`DetectSentiment`, `BatchDetectKeyPhrases` …) and its documents. */
export interface SentRequest {
  operation: string;
  texts: string[];
}

/** The units a request is billed: each of its documents on its own. */
export function requestUnits({ texts }: SentRequest): number {
  return texts.reduce((sum, text) => sum + billingUnits(text), 0);
}

/** What the naive analysis spends on a ticket: the four operations on `subject\n\ndescription`. */
export function naiveUnits(subject: string, description: string): number {
  return NAIVE_OPERATIONS.length * billingUnits(`${subject}${FIELD_SEPARATOR}${description}`);
}

/**
 * Records the documents of every request `client` sends, for as long as
 * `into` is the current recording: an SDK middleware at the start of the
 * stack, so it sees the command's input whatever the analyzer asked for.
 */
export function recordRequests(client: ComprehendClient, into: () => SentRequest[] | undefined): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const input = args.input as { Text?: unknown; TextList?: unknown };
      const texts = typeof input.Text === 'string' ? [input.Text] : Array.isArray(input.TextList) ? input.TextList : [];
      into()?.push({
        operation: (context.commandName ?? 'unknown').replace(/Command$/, ''),
        texts: texts.filter((text): text is string => typeof text === 'string'),
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordComprehendRequests' },
  );
}

export interface TriageQuality {
  tickets: number;
  urgentOrHighF1: number;
  urgentOrHighPrecision: number;
  urgentOrHighRecall: number;
  urgentRecall: number;
  categoryAccuracy: number;
}

function triageQuality(outcomes: readonly TriageOutcome[]): TriageQuality {
  const metrics = triageMetrics(outcomes);
  return {
    tickets: metrics.tickets,
    urgentOrHighF1: rounded(metrics.pressing.f1),
    urgentOrHighPrecision: rounded(metrics.pressing.precision),
    urgentOrHighRecall: rounded(metrics.pressing.recall),
    urgentRecall: rounded(metrics.urgentRecall),
    categoryAccuracy: rounded(metrics.categoryAccuracy),
  };
}

interface TicketCost {
  file: string;
  requests: SentRequest[];
  naive: number;
  outcome: TriageOutcome;
  complete: boolean;
}

async function analyzeAll(): Promise<TicketCost[]> {
  const labelled = LABELLED_FILES.flatMap((file) =>
    parseLabelledTickets(readFileSync(join(PROJECT_ROOT, 'tests', 'triage', file), 'utf8')).map((ticket) => ({
      ...ticket,
      file,
    })),
  );
  // Each ticket's requests, told apart by the async context of the analysis that sends them.
  const recording = new AsyncLocalStorage<SentRequest[]>();
  const requestsOf = new Map<LabelledTicket, SentRequest[]>();
  const analyzed = await analyzeLabelledTickets(labelled, {
    withClient: (client) => {
      recordRequests(client, () => recording.getStore());
    },
    around: (ticket, analyze) => {
      const requests: SentRequest[] = [];
      requestsOf.set(ticket, requests);
      return recording.run(requests, analyze);
    },
  });
  return analyzed.map(({ ticket, fields, outcome }) => ({
    file: ticket.file,
    requests: requestsOf.get(ticket) ?? [],
    naive: naiveUnits(fields.subject, fields.description),
    outcome: {
      label: { priority: ticket.priority, category: ticket.category },
      predicted: { priority: outcome.priority, category: outcome.category },
    },
    complete: outcome.analysis.status === 'complete',
  }));
}

export const comprehendUnitsPart: BenchPart = {
  name: 'comprehend-units',
  async measure() {
    const costs = await analyzeAll();
    const tickets = costs.length;
    const spent = costs.reduce((sum, cost) => sum + cost.requests.reduce((units, r) => units + requestUnits(r), 0), 0);
    const naive = costs.reduce((sum, cost) => sum + cost.naive, 0);
    const unitsPerTicket = spent / tickets;
    const naivePerTicket = naive / tickets;
    const ratio = unitsPerTicket / naivePerTicket;

    const calls = new Map<string, number>();
    const unitsByOperation = new Map<string, number>();
    for (const request of costs.flatMap((cost) => cost.requests)) {
      calls.set(request.operation, (calls.get(request.operation) ?? 0) + 1);
      unitsByOperation.set(request.operation, (unitsByOperation.get(request.operation) ?? 0) + requestUnits(request));
    }
    const perTicket = (counts: Map<string, number>) =>
      Object.fromEntries(
        [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => [op, rounded(n / tickets)]),
      );
    const callsPerTicket = perTicket(calls);

    const quality: Record<string, TriageQuality> = {};
    for (const file of LABELLED_FILES) {
      quality[file] = triageQuality(costs.filter((cost) => cost.file === file).map((cost) => cost.outcome));
    }
    const incomplete = costs.filter((cost) => !cost.complete).length;

    console.log('  %d labelled tickets (%s); %d analyses not complete', tickets, LABELLED_FILES.join(', '), incomplete);
    console.log('  units per ticket by operation: %s', JSON.stringify(perTicket(unitsByOperation)));
    console.log('  calls per ticket by operation: %s', JSON.stringify(callsPerTicket));
    for (const [file, figures] of Object.entries(quality)) {
      console.log(
        '  triage %s: urgent-or-high F1 %s (precision %s, recall %s), urgent recall %s, category accuracy %s',
        file.padEnd(14),
        figures.urgentOrHighF1.toFixed(3),
        figures.urgentOrHighPrecision.toFixed(3),
        figures.urgentOrHighRecall.toFixed(3),
        figures.urgentRecall.toFixed(3),
        figures.categoryAccuracy.toFixed(3),
      );
    }

    // A call that failed was not paid for: the units would be low and the triage figures not comparable.
    if (incomplete > 0)
      throw new Error(
        `${String(incomplete)} analyses did not complete (a busy machine?); no units figure. Run it again.`,
      );

    const figures: Figure[] = [
      {
        key: 'comprehendUnitsRatio',
        value: rounded(ratio),
        unit: 'x',
        target: { atMost: UNITS_RATIO_TARGET },
        note: `${unitsPerTicket.toFixed(2)} units a ticket against ${naivePerTicket.toFixed(2)} naive, ${String(tickets)} tickets`,
      },
      { key: 'comprehendUnitsPerTicket', value: rounded(unitsPerTicket), unit: 'units' },
      { key: 'naiveUnitsPerTicket', value: rounded(naivePerTicket), unit: 'units' },
      ...Object.entries(quality).map(([file, figures]): Figure => ({
        key: `triageQuality.${file}.urgentOrHighF1`,
        value: figures.urgentOrHighF1,
        unit: 'F1',
        note: `urgent recall ${figures.urgentRecall.toFixed(3)}, category accuracy ${figures.categoryAccuracy.toFixed(3)}`,
      })),
    ];
    return {
      results: {
        comprehendUnitsPerTicket: rounded(unitsPerTicket),
        naiveUnitsPerTicket: rounded(naivePerTicket),
        comprehendUnitsRatio: rounded(ratio),
        comprehendCallsPerTicket: callsPerTicket,
        comprehendUnitsPerTicketByOperation: perTicket(unitsByOperation),
        triageQuality: { ...quality, incompleteAnalyses: incomplete },
      },
      figures,
    };
  },
};
