import { TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from '../domain/ticket.js';
import { foldCase, phrasePattern } from './text-patterns.js';
import rulesData from './triage-rules.json' with { type: 'json' };

/**
 * The triage rules data file (triage-rules.json), checked and compiled once
 * when the layer loads: a deployment that edits it wrongly fails at cold
 * start with a message naming the entry, instead of triaging silently wrong.
 */

/** Modifier kinds the priority rules interpret; every other kind sets a level. */
export const MODIFIER_KINDS = [
  'hedge',
  'averted',
  'widespread',
  'critical',
  'impact',
  'limited',
  'tried',
  'asap',
  'request',
] as const;
export type ModifierKind = (typeof MODIFIER_KINDS)[number];

export type SpecificCategory = Exclude<TicketCategory, 'general'>;

/** The rubric's order: when several categories fit, the first wins. */
export const CATEGORY_PRECEDENCE: readonly TicketCategory[] = [
  'security',
  'billing',
  'account',
  'bug',
  'technical',
  'feature_request',
  'general',
];

export interface CompiledPattern {
  source: string;
  /** Global, case-insensitive, Unicode; whole words. */
  pattern: RegExp;
}

export interface LevelKind {
  kind: string;
  level: TicketPriority;
  /** A hedge ("possible", "suspected") in the same sentence lowers it one level. */
  hedgeable: boolean;
  /** The kind reported when hedged (e.g. a hedged confirmed breach is a suspected one). */
  hedgedKind: string;
  /**
   * Groups of modifiers; each group present raises it one level, never above
   * urgent (a failure with a deadline is high; with many people affected too,
   * urgent). A single modifier is a group of one.
   */
  raisedBy: ModifierKind[][];
  /** Modifiers that lower it one level when present (e.g. intermittent), never below normal. */
  loweredBy: ModifierKind[];
  pattern: RegExp;
}

export interface CategoryEvidence {
  category: TicketCategory;
  topic: CompiledPattern[];
  mention: CompiledPattern[];
  /** Phrases that make the category fit whatever else scores (a breach reported with a login failure is security). */
  decisive: CompiledPattern[];
  /**
   * Phrases naming what the customer asks for ("please add", "send it back",
   * "just wanted to say thanks"): when the problem and the request differ,
   * the request decides, so the first category with a request or a decisive
   * phrase wins over those that only score.
   */
  request: CompiledPattern[];
}

export interface TriageRules {
  priority: {
    levels: LevelKind[];
    modifiers: Record<ModifierKind, RegExp>;
  };
  category: {
    weights: { topic: number; mention: number; subject: number; minimum: number; fitShare: number };
    /** In CATEGORY_PRECEDENCE order. */
    evidence: CategoryEvidence[];
  };
  /** What the triage model leaves out of a ticket's words (triage-features.ts). */
  words: {
    /** The languages whose function words are listed: the languages triage reads (ISO 639-1). */
    languages: string[];
    /** Folded (foldCase); read only in a pair with another word. */
    functionWords: ReadonlySet<string>;
    /** Phrases of courtesy whose words are not read at all. */
    boilerplate: RegExp;
  };
}

/** A triage data file (the rules, or the model) is malformed: thrown when the layer is built and at cold start. */
export class TriageDataError extends Error {
  override readonly name = 'TriageDataError';
}

type Json = unknown;

/**
 * Reads the values of one rules document: each method checks a value's shape
 * and returns it typed, or throws TriageDataError naming its path in the document.
 */
class RulesReader {
  private readonly source: string;
  private readonly checkEachPhrase: boolean;

  constructor(source: string, checkEachPhrase: boolean) {
    this.source = source;
    this.checkEachPhrase = checkEachPhrase;
  }

  fail(path: string, problem: string): never {
    throw new TriageDataError(`Invalid triage rules in ${this.source}: ${path} ${problem}`);
  }

  object(value: Json, path: string): Record<string, Json> {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, Json>)
      : this.fail(path, 'must be an object');
  }

  number(value: Json, path: string): number {
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(path, 'must be a finite number');
  }

  /** Absent is false. */
  boolean(value: Json, path: string): boolean {
    return value === undefined ? false : typeof value === 'boolean' ? value : this.fail(path, 'must be true or false');
  }

  phrases(value: Json, path: string): string[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(path, 'must be a non-empty list of phrases');
    return (value as Json[]).map((phrase, index) =>
      typeof phrase === 'string' && phrase.trim() !== ''
        ? phrase
        : this.fail(`${path}[${index}]`, 'must be a non-empty string'),
    );
  }

  pattern(phrase: string, path: string): RegExp {
    let pattern: RegExp;
    try {
      pattern = phrasePattern(phrase);
    } catch (error) {
      return this.fail(path, `is not a valid pattern: ${(error as Error).message}`);
    }
    if (pattern.test('')) this.fail(path, 'matches empty text');
    return pattern;
  }

  /**
   * One pattern matching any of the phrases. Compiling each phrase alone as
   * well doubles the work of a cold start, so that is done only to name the
   * phrase at fault when the joined pattern is refused, and always when
   * `checkEachPhrase` (the layer's build) asks for it.
   */
  anyOf(list: string[], path: string): RegExp {
    if (!this.checkEachPhrase) {
      const joined = this.tryPattern(list.join('|'));
      if (joined && !joined.test('')) return joined;
    }
    list.forEach((phrase, index) => this.pattern(phrase, `${path}[${index}]`));
    return this.pattern(list.join('|'), path);
  }

  private tryPattern(phrase: string): RegExp | undefined {
    try {
      return phrasePattern(phrase);
    } catch {
      return undefined;
    }
  }

  modifier(kind: Json, path: string): ModifierKind {
    return (MODIFIER_KINDS as readonly Json[]).includes(kind)
      ? (kind as ModifierKind)
      : this.fail(path, `must be one of ${MODIFIER_KINDS.join(', ')}`);
  }

  /** Absent is none. */
  modifierList(value: Json, path: string): ModifierKind[] {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      return this.fail(path, `must be a list of modifier kinds (${MODIFIER_KINDS.join(', ')})`);
    return value.map((kind, index) => this.modifier(kind, `${path}[${index}]`));
  }

  /** A list whose entries are a modifier kind or a non-empty list of them (a group raising one level together); absent is none. */
  modifierGroups(value: Json, path: string): ModifierKind[][] {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      return this.fail(path, `must be a list of modifier kinds or lists of them (${MODIFIER_KINDS.join(', ')})`);
    return value.map((entry, index) => {
      if (!Array.isArray(entry)) return [this.modifier(entry, `${path}[${index}]`)];
      if (entry.length === 0) return this.fail(`${path}[${index}]`, 'must be a non-empty list of modifier kinds');
      return entry.map((kind, inner) => this.modifier(kind, `${path}[${index}][${inner}]`));
    });
  }
}

/** Checks the shape of a rules document and compiles its patterns; throws TriageDataError naming the bad entry. */
export function compileTriageRules(
  document: Json,
  source = 'triage-rules.json',
  { checkEachPhrase = false } = {},
): TriageRules {
  const read = new RulesReader(source, checkEachPhrase);
  // Checked in this order (priority, category, words, then the weights' values): a document with
  // several mistakes is reported by the first of them in that order.
  const root = read.object(document, '(document)');
  const priority = compilePriority(read, root.priority);
  const category = read.object(root.category, 'category');
  const weights = read.object(category.weights, 'category.weights');
  const evidence = compileCategoryEvidence(read, category.categories);
  const words = compileWords(read, root.words);
  return {
    words,
    priority,
    category: { weights: categoryWeights(read, weights), evidence },
  };
}

/** `priority.kinds`: each kind either sets a level or is one of the modifiers, all of which must be defined. */
function compilePriority(read: RulesReader, value: Json): TriageRules['priority'] {
  const kinds = read.object(read.object(value, 'priority').kinds, 'priority.kinds');
  const levels: LevelKind[] = [];
  const modifiers: Partial<Record<ModifierKind, RegExp>> = {};
  for (const [kind, entryValue] of Object.entries(kinds)) {
    const path = `priority.kinds.${kind}`;
    const entry = read.object(entryValue, path);
    const patterns = read.phrases(entry.patterns, `${path}.patterns`);
    if ((MODIFIER_KINDS as readonly string[]).includes(kind)) {
      if (entry.level !== undefined) read.fail(`${path}.level`, 'is not allowed: this kind modifies the level');
      modifiers[kind as ModifierKind] = read.anyOf(patterns, `${path}.patterns`);
      continue;
    }
    levels.push(compileLevelKind(read, kind, entry, patterns));
  }
  for (const kind of MODIFIER_KINDS) {
    if (!modifiers[kind]) read.fail(`priority.kinds.${kind}`, 'is missing');
  }
  if (levels.length === 0) read.fail('priority.kinds', 'must define at least one kind with a level');
  return { levels, modifiers: modifiers as Record<ModifierKind, RegExp> };
}

/** A kind that sets a level, its already-checked `patterns` compiled into one. */
function compileLevelKind(read: RulesReader, kind: string, entry: Record<string, Json>, patterns: string[]): LevelKind {
  const path = `priority.kinds.${kind}`;
  const level = entry.level;
  if (typeof level !== 'string' || !(TICKET_PRIORITIES as readonly string[]).includes(level)) {
    read.fail(`${path}.level`, `must be one of ${TICKET_PRIORITIES.join(', ')}`);
  }
  const hedgedKind = entry.hedgedKind ?? kind;
  if (typeof hedgedKind !== 'string' || hedgedKind === '')
    read.fail(`${path}.hedgedKind`, 'must be a non-empty string');
  return {
    kind,
    level: level as TicketPriority,
    hedgeable: read.boolean(entry.hedgeable, `${path}.hedgeable`),
    hedgedKind,
    raisedBy: read.modifierGroups(entry.raisedBy, `${path}.raisedBy`),
    loweredBy: read.modifierList(entry.loweredBy, `${path}.loweredBy`),
    pattern: read.anyOf(patterns, `${path}.patterns`),
  };
}

/** `category.categories`: every ticket category's phrases, in CATEGORY_PRECEDENCE order; no other name. */
function compileCategoryEvidence(read: RulesReader, value: Json): CategoryEvidence[] {
  const categories = read.object(value, 'category.categories');
  for (const name of Object.keys(categories)) {
    if (!CATEGORY_PRECEDENCE.includes(name as TicketCategory)) {
      read.fail(`category.categories.${name}`, `is not a ticket category (${CATEGORY_PRECEDENCE.join(', ')})`);
    }
  }
  return CATEGORY_PRECEDENCE.map((name): CategoryEvidence => {
    const path = `category.categories.${name}`;
    const entry = read.object(categories[name], path);
    return {
      category: name,
      topic: evidencePatterns(read, entry, 'topic', path),
      mention: evidencePatterns(read, entry, 'mention', path),
      decisive: evidencePatterns(read, entry, 'decisive', path),
      request: evidencePatterns(read, entry, 'request', path),
    };
  });
}

/** One list of a category's phrases, each compiled alone; `decisive` and `request` may be absent. */
function evidencePatterns(
  read: RulesReader,
  entry: Record<string, Json>,
  field: 'topic' | 'mention' | 'decisive' | 'request',
  path: string,
): CompiledPattern[] {
  const optional = field === 'decisive' || field === 'request';
  const phrases = optional && entry[field] === undefined ? [] : read.phrases(entry[field], `${path}.${field}`);
  return phrases.map((phrase, index) => ({
    source: phrase,
    pattern: read.pattern(phrase, `${path}.${field}[${index}]`),
  }));
}

function categoryWeights(read: RulesReader, weights: Record<string, Json>): TriageRules['category']['weights'] {
  const weight = (name: string) => read.number(weights[name], `category.weights.${name}`);
  return {
    topic: weight('topic'),
    mention: weight('mention'),
    subject: weight('subject'),
    minimum: weight('minimum'),
    fitShare: weight('fitShare'),
  };
}

/** `words`: the function words of each language triage reads, folded, and the boilerplate phrases. */
function compileWords(read: RulesReader, value: Json): TriageRules['words'] {
  const words = read.object(value, 'words');
  const byLanguage = read.object(words.functionWords, 'words.functionWords');
  const functionWords = new Set(
    Object.entries(byLanguage).flatMap(([language, list]) =>
      read.phrases(list, `words.functionWords.${language}`).map((word) => foldCase(word)),
    ),
  );
  const boilerplate = read.anyOf(read.phrases(words.boilerplate, 'words.boilerplate'), 'words.boilerplate');
  return { languages: Object.keys(byLanguage), functionWords, boilerplate };
}

let bundled: TriageRules | undefined;

/**
 * The rules bundled with the layer, compiled on first use: compiling some
 * thousand patterns takes most of a second, which only the functions that
 * analyze text should pay. The layer's build compiles them once too, so a
 * malformed edit fails the build rather than a ticket.
 */
export function triageRules(): TriageRules {
  bundled ??= compileTriageRules(rulesData);
  return bundled;
}

/**
 * The bundled rules compiled with every phrase also checked alone: what the
 * layer's build runs, so that phrases which only make a pattern when joined
 * ("(a" and "b)") fail the build.
 */
export function checkTriageRules(): TriageRules {
  return compileTriageRules(rulesData, 'triage-rules.json', { checkEachPhrase: true });
}
