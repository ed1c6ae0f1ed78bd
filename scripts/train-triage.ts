/**
 * `npm run train:triage`: trains the layer's triage model
 * (layers/shared/src/analysis/triage-model.json) from the project's labelled
 * training tickets: every file in tests/triage/training/. The other labelled
 * sets, tests/triage/corpus.jsonl and tests/triage/holdout.jsonl, are never
 * read: they measure the model on tickets it has not seen (npm run eval:triage).
 *
 * Each ticket is read as the layer reads a new one (sanitized, its analysis
 * view, the features of triage-features.ts, the rules of triage-rules.json
 * included), so retrain after editing the rules or adding labelled tickets.
 * Training is deterministic: the same files give the same model.
 *
 * Options:
 *   --cross-validate  instead of writing the model, train once per file on
 *                     the other files and measure on the one left out: what
 *                     to expect on tickets from an author the model never read
 *   --check           exit 1 when the shipped model is not what training gives
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analysisView } from '../layers/shared/src/analysis/analysis-view.js';
import { sanitizeText } from '../layers/shared/src/domain/ticket-text.js';
import { triageFeatures } from '../layers/shared/src/analysis/triage-features.js';
import {
  classify,
  parseTriageModel,
  priorityFrom,
  HIGH_FROM,
  URGENT_FROM,
  type ClassifierFile,
  type TriageModelFile,
} from '../layers/shared/src/analysis/triage-classifier.js';
import {
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  type TicketCategory,
  type TicketPriority,
} from '../layers/shared/src/domain/ticket.js';
import { parseLabelledTickets, type LabelledTicket } from './labelled-tickets.js';
import { PROJECT_ROOT } from './sam-template.js';
import { formatReport, triageMetrics } from './triage-metrics.js';

const MODEL_FILE = join(PROJECT_ROOT, 'layers', 'shared', 'src', 'analysis', 'triage-model.json');
const TRIAGE_DIR = join(PROJECT_ROOT, 'tests', 'triage');

/** A word or phrase seen in fewer tickets than this is noise to a model of this size. */
const MIN_TICKETS_PER_FEATURE = 3;
const EPOCHS = 30;
const LEARNING_RATE = 0.5;
const L2 = 1e-4;
/** Weights this small change no decision; leaving them out keeps the layer small. */
const PRUNE_BELOW = 0.02;
/** Features kept per classifier, the strongest first: enough that more changes little (see --cross-validate). */
const MAX_FEATURES = 8000;
const SEED = 20261127;

interface Example {
  features: [index: number, value: number][];
  label: number;
}

export function trainingFiles(): string[] {
  return readdirSync(join(TRIAGE_DIR, 'training'))
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(TRIAGE_DIR, 'training', name));
}

/** What the layer reads of a new ticket with this subject and body. */
function analyzedTextOf(ticket: LabelledTicket): string {
  return analysisView({ subject: sanitizeText(ticket.subject), description: sanitizeText(ticket.body) }).analyzedText;
}

export function featuresOf(ticket: LabelledTicket): Map<string, number> {
  return triageFeatures(analyzedTextOf(ticket)).values;
}

/** Multinomial logistic regression by stochastic gradient descent, in a fixed order. */
function trainClassifier(
  labels: readonly string[],
  tickets: readonly { features: Map<string, number>; label: string }[],
): ClassifierFile {
  const vocabulary = vocabularyOf(tickets);
  const indexOf = new Map(vocabulary.map((name, index) => [name, index]));
  const examples: Example[] = tickets.map(({ features, label }) => ({
    features: [...features].flatMap(([name, value]) => {
      const index = indexOf.get(name);
      return index === undefined ? [] : [[index, value] as [number, number]];
    }),
    label: labels.indexOf(label),
  }));
  const model = new LinearModel(vocabulary.length, labels.length);
  const random = seededRandom(SEED);
  // Shuffled in place each epoch, so each epoch's order follows from the last.
  const order = [...examples];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, random);
    const rate = LEARNING_RATE / (1 + epoch / 10);
    for (const example of order) model.step(example, rate);
  }
  return { labels: [...labels], bias: Array.from(model.bias, round), weights: model.strongestWeights(vocabulary) };
}

/** The features the model reads, sorted: every rule verdict, and each word or phrase seen in enough tickets. */
function vocabularyOf(tickets: readonly { features: Map<string, number> }[]): string[] {
  const documentFrequency = new Map<string, number>();
  for (const { features } of tickets) {
    for (const name of features.keys()) documentFrequency.set(name, (documentFrequency.get(name) ?? 0) + 1);
  }
  return [...documentFrequency]
    .filter(([name, count]) => name.startsWith('rule:') || count >= MIN_TICKETS_PER_FEATURE)
    .map(([name]) => name)
    .sort();
}

/**
 * A weight per feature and class (feature-major) and a bias per class.
 * Typed arrays read as `number | undefined` by index; every index here is in range, so `?? 0` never applies.
 */
class LinearModel {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  private readonly classes: number;
  /** Reused by each step: the scores, then the probabilities, of the example at hand. */
  private readonly scores: Float64Array;

  constructor(features: number, classes: number) {
    this.classes = classes;
    this.weights = new Float64Array(features * classes);
    this.bias = new Float64Array(classes);
    this.scores = new Float64Array(classes);
  }

  /** One gradient step on one example: softmax cross-entropy with L2 decay at this learning rate. */
  step({ features, label }: Example, rate: number): void {
    const { classes, weights, bias, scores } = this;
    for (let k = 0; k < classes; k++) {
      let score = bias[k] ?? 0;
      for (const [index, value] of features) score += (weights[index * classes + k] ?? 0) * value;
      scores[k] = score;
    }
    const top = Math.max(...scores);
    let total = 0;
    for (let k = 0; k < classes; k++) {
      const exponential = Math.exp((scores[k] ?? 0) - top);
      scores[k] = exponential;
      total += exponential;
    }
    for (let k = 0; k < classes; k++) {
      const gradient = (scores[k] ?? 0) / total - (k === label ? 1 : 0);
      bias[k] = (bias[k] ?? 0) - rate * gradient;
      for (const [index, value] of features) {
        const at = index * classes + k;
        const weight = weights[at] ?? 0;
        weights[at] = weight - rate * (gradient * value + L2 * weight);
      }
    }
  }

  /** The strongest features' weights, rounded, by name: the rest change few decisions and weigh in the layer. */
  strongestWeights(vocabulary: readonly string[]): Record<string, number[]> {
    const strongest = vocabulary
      .map((name, index) => ({ name, index, strength: Math.max(...Array.from(this.weightsOf(index), Math.abs)) }))
      .filter((entry) => entry.strength >= PRUNE_BELOW)
      .sort((a, b) => b.strength - a.strength || (a.name < b.name ? -1 : 1))
      .slice(0, MAX_FEATURES)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const kept: Record<string, number[]> = {};
    for (const { name, index } of strongest) kept[name] = Array.from(this.weightsOf(index), round);
    return kept;
  }

  /** One feature's weight per class. */
  private weightsOf(index: number): Float64Array {
    return this.weights.subarray(index * this.classes, (index + 1) * this.classes);
  }
}

export function trainModel(
  tickets: readonly LabelledTicket[],
  features: readonly Map<string, number>[],
): TriageModelFile {
  const featuresAt = (index: number): Map<string, number> => {
    const found = features[index];
    if (found === undefined) throw new Error(`no features for ticket ${index}: one map per ticket`);
    return found;
  };
  return {
    priority: trainClassifier(
      TICKET_PRIORITIES,
      tickets.map((ticket, index) => ({ features: featuresAt(index), label: ticket.priority })),
    ),
    category: trainClassifier(
      TICKET_CATEGORIES,
      tickets.map((ticket, index) => ({ features: featuresAt(index), label: ticket.category })),
    ),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates, in place. */
function shuffle(items: unknown[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const last = items[i];
    const picked = items[j];
    if (last === undefined || picked === undefined) continue;
    items[i] = picked;
    items[j] = last;
  }
}

function serialize(model: TriageModelFile, files: readonly string[], tickets: number): string {
  const header = {
    $comment: [
      'The triage model: written by `npm run train:triage` from the labelled tickets below; do not edit by hand.',
      'Two linear classifiers over the features of triage-features.ts (words, word pairs, and the verdicts of triage-rules.json).',
      'Retrain after editing triage-rules.json or the labelled tickets, then rebuild and deploy the layer.',
    ],
    trainedOn: { files: files.map((file) => relative(PROJECT_ROOT, file)), tickets },
  };
  return `${JSON.stringify({ ...header, ...model })}\n`;
}

/** A training ticket, and what the model trained without its file decided. */
interface HeldOutTicket {
  ticket: LabelledTicket;
  /** Its file's index in the list of training files. */
  fileIndex: number;
  features: Map<string, number>;
  probabilities: readonly number[];
  category: TicketCategory;
}

/**
 * Trains once per file on the other files and decides the file left out:
 * the pooled report, each file's own figures (a file that disagrees with
 * the rest stands out), and how the priority thresholds trade precision
 * against recall (the shipped URGENT_FROM and HIGH_FROM are marked).
 */
function crossValidate(files: readonly string[]): void {
  const heldOut = decidedLeftOut(files);
  const outcomes = (decide: (probabilities: readonly number[]) => TicketPriority, entries = heldOut) =>
    entries.map(({ ticket, probabilities, category }) => ({
      label: { priority: ticket.priority, category: ticket.category },
      predicted: { priority: decide(probabilities), category },
    }));

  console.log(`leave-one-file-out cross-validation: ${files.length} files, ${heldOut.length} tickets`);
  console.log(formatReport(triageMetrics(outcomes(priorityFrom))));
  console.log('\nby file left out: urgent-or-high F1, urgent recall, category accuracy');
  files.forEach((file, left) => {
    const metrics = triageMetrics(
      outcomes(
        priorityFrom,
        heldOut.filter((entry) => entry.fileIndex === left),
      ),
    );
    console.log(
      `  ${relative(TRIAGE_DIR, file).padEnd(42)} ${fixed(metrics.pressing.f1)}  ${fixed(metrics.urgentRecall)}  ${fixed(metrics.categoryAccuracy)}`,
    );
  });
  console.log('\npriority thresholds: urgent from, high from → urgent-or-high precision / recall / F1, urgent recall');
  for (const urgentFrom of [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]) {
    for (const highFrom of [0.35, 0.4, 0.45, 0.5]) {
      const decide = (p: readonly number[]) => priorityFrom(p, { urgentFrom, highFrom });
      const metrics = triageMetrics(outcomes(decide));
      const shipped = urgentFrom === URGENT_FROM && highFrom === HIGH_FROM ? '  (shipped)' : '';
      console.log(
        `  ${urgentFrom.toFixed(2)}  ${highFrom.toFixed(2)}  →  ${fixed(metrics.pressing.precision)} / ${fixed(metrics.pressing.recall)} / ${fixed(metrics.pressing.f1)}  ${fixed(metrics.urgentRecall)}${shipped}`,
      );
    }
  }
}

/** Every training ticket, decided by the model trained on the other files. */
function decidedLeftOut(files: readonly string[]): HeldOutTicket[] {
  const heldOut: HeldOutTicket[] = files.flatMap((file, fileIndex) =>
    trainingTickets([file]).map((ticket) => ({
      ticket,
      fileIndex,
      features: featuresOf(ticket),
      probabilities: [],
      category: 'general',
    })),
  );
  files.forEach((_, left) => {
    const kept = heldOut.filter((entry) => entry.fileIndex !== left);
    const model = parseTriageModel(
      trainModel(
        kept.map((entry) => entry.ticket),
        kept.map((entry) => entry.features),
      ),
    );
    for (const entry of heldOut) {
      if (entry.fileIndex !== left) continue;
      const read = triageFeatures(analyzedTextOf(entry.ticket));
      entry.probabilities = classify(model.priority, read).probabilities;
      entry.category = classify(model.category, read).label;
    }
  });
  return heldOut;
}

const fixed = (value: number) => value.toFixed(3);

export function trainingTickets(files: readonly string[] = trainingFiles()): LabelledTicket[] {
  return files.flatMap((file) => {
    try {
      return parseLabelledTickets(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${relative(PROJECT_ROOT, file)}: ${(error as Error).message}`, { cause: error });
    }
  });
}

/** The model file's text as training on the project's labelled tickets gives it. */
export function trainedModelFile(): string {
  const files = trainingFiles();
  const tickets = trainingTickets(files);
  return serialize(trainModel(tickets, tickets.map(featuresOf)), files, tickets.length);
}

export const shippedModelFile = (): string => readFileSync(MODEL_FILE, 'utf8');

function main(): number {
  const { values } = parseArgs({ options: { 'cross-validate': { type: 'boolean' }, check: { type: 'boolean' } } });
  if (values['cross-validate']) {
    crossValidate(trainingFiles());
    return 0;
  }
  const written = trainedModelFile();
  if (values.check) {
    const same = shippedModelFile() === written;
    console.log(
      same
        ? 'triage-model.json is what training gives'
        : 'triage-model.json differs from what training gives: run npm run train:triage',
    );
    return same ? 0 : 1;
  }
  writeFileSync(MODEL_FILE, written);
  const model = JSON.parse(written) as TriageModelFile & { trainedOn: { files: string[]; tickets: number } };
  console.log(
    `${relative(PROJECT_ROOT, MODEL_FILE)}: ${model.trainedOn.tickets} tickets from ${model.trainedOn.files.length} files; ` +
      `${Object.keys(model.priority.weights).length} priority and ${Object.keys(model.category.weights).length} category features; ` +
      `${Buffer.byteLength(written)} bytes`,
  );
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
