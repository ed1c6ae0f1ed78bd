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

/** Checks the shape of a rules document and compiles its patterns; throws TriageDataError naming the bad entry. */
export function compileTriageRules(document: Json, source = 'triage-rules.json'): TriageRules {
  const fail = (path: string, problem: string): never => {
    throw new TriageDataError(`Invalid triage rules in ${source}: ${path} ${problem}`);
  };
  const object = (value: Json, path: string): Record<string, Json> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, Json>)
      : fail(path, 'must be an object');
  const number = (value: Json, path: string): number =>
    typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'must be a finite number');
  const boolean = (value: Json, path: string): boolean =>
    value === undefined ? false : typeof value === 'boolean' ? value : fail(path, 'must be true or false');
  const phrases = (value: Json, path: string): string[] => {
    if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty list of phrases');
    return (value as Json[]).map((phrase, index) =>
      typeof phrase === 'string' && phrase.trim() !== ''
        ? phrase
        : fail(`${path}[${index}]`, 'must be a non-empty string'),
    );
  };
  const compile = (phrase: string, path: string): RegExp => {
    let pattern: RegExp;
    try {
      pattern = phrasePattern(phrase);
    } catch (error) {
      return fail(path, `is not a valid pattern: ${(error as Error).message}`);
    }
    if (pattern.test('')) fail(path, 'matches empty text');
    return pattern;
  };
  const modifier = (kind: Json, path: string): ModifierKind =>
    (MODIFIER_KINDS as readonly Json[]).includes(kind)
      ? (kind as ModifierKind)
      : fail(path, `must be one of ${MODIFIER_KINDS.join(', ')}`);
  const modifierList = (value: Json, path: string): ModifierKind[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return fail(path, `must be a list of modifier kinds (${MODIFIER_KINDS.join(', ')})`);
    return value.map((kind, index) => modifier(kind, `${path}[${index}]`));
  };
  /** A list whose entries are a modifier kind or a non-empty list of them (a group raising one level together). */
  const modifierGroups = (value: Json, path: string): ModifierKind[][] => {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      return fail(path, `must be a list of modifier kinds or lists of them (${MODIFIER_KINDS.join(', ')})`);
    return value.map((entry, index) => {
      if (!Array.isArray(entry)) return [modifier(entry, `${path}[${index}]`)];
      if (entry.length === 0) return fail(`${path}[${index}]`, 'must be a non-empty list of modifier kinds');
      return entry.map((kind, inner) => modifier(kind, `${path}[${index}][${inner}]`));
    });
  };
  const anyOf = (list: string[], path: string): RegExp => {
    list.forEach((phrase, index) => compile(phrase, `${path}[${index}]`));
    return compile(list.join('|'), path);
  };

  const root = object(document, '(document)');
  const priority = object(root.priority, 'priority');
  const kinds = object(priority.kinds, 'priority.kinds');
  const levels: LevelKind[] = [];
  const modifiers: Partial<Record<ModifierKind, RegExp>> = {};
  for (const [kind, entryValue] of Object.entries(kinds)) {
    const path = `priority.kinds.${kind}`;
    const entry = object(entryValue, path);
    const patterns = phrases(entry.patterns, `${path}.patterns`);
    if ((MODIFIER_KINDS as readonly string[]).includes(kind)) {
      if (entry.level !== undefined) fail(`${path}.level`, 'is not allowed: this kind modifies the level');
      modifiers[kind as ModifierKind] = anyOf(patterns, `${path}.patterns`);
      continue;
    }
    const level = entry.level;
    if (typeof level !== 'string' || !(TICKET_PRIORITIES as readonly string[]).includes(level)) {
      fail(`${path}.level`, `must be one of ${TICKET_PRIORITIES.join(', ')}`);
    }
    const hedgedKind = entry.hedgedKind ?? kind;
    if (typeof hedgedKind !== 'string' || hedgedKind === '') fail(`${path}.hedgedKind`, 'must be a non-empty string');
    levels.push({
      kind,
      level: level as TicketPriority,
      hedgeable: boolean(entry.hedgeable, `${path}.hedgeable`),
      hedgedKind: hedgedKind as string,
      raisedBy: modifierGroups(entry.raisedBy, `${path}.raisedBy`),
      loweredBy: modifierList(entry.loweredBy, `${path}.loweredBy`),
      pattern: anyOf(patterns, `${path}.patterns`),
    });
  }
  for (const kind of MODIFIER_KINDS) {
    if (!modifiers[kind]) fail(`priority.kinds.${kind}`, 'is missing');
  }
  if (levels.length === 0) fail('priority.kinds', 'must define at least one kind with a level');

  const category = object(root.category, 'category');
  const weights = object(category.weights, 'category.weights');
  const weight = (name: string) => number(weights[name], `category.weights.${name}`);
  const categories = object(category.categories, 'category.categories');
  for (const name of Object.keys(categories)) {
    if (!CATEGORY_PRECEDENCE.includes(name as TicketCategory)) {
      fail(`category.categories.${name}`, `is not a ticket category (${CATEGORY_PRECEDENCE.join(', ')})`);
    }
  }
  const evidence = CATEGORY_PRECEDENCE.map((name): CategoryEvidence => {
    const path = `category.categories.${name}`;
    const entry = object(categories[name], path);
    const optional = (field: string) => field === 'decisive' || field === 'request';
    const list = (field: 'topic' | 'mention' | 'decisive' | 'request') =>
      (optional(field) && entry[field] === undefined ? [] : phrases(entry[field], `${path}.${field}`)).map(
        (phrase, index) => ({
          source: phrase,
          pattern: compile(phrase, `${path}.${field}[${index}]`),
        }),
      );
    return {
      category: name,
      topic: list('topic'),
      mention: list('mention'),
      decisive: list('decisive'),
      request: list('request'),
    };
  });

  const words = object(root.words, 'words');
  const byLanguage = object(words.functionWords, 'words.functionWords');
  const functionWords = new Set(
    Object.entries(byLanguage).flatMap(([language, list]) =>
      phrases(list, `words.functionWords.${language}`).map((word) => foldCase(word)),
    ),
  );
  const boilerplate = anyOf(phrases(words.boilerplate, 'words.boilerplate'), 'words.boilerplate');

  return {
    words: { languages: Object.keys(byLanguage), functionWords, boilerplate },
    priority: { levels, modifiers: modifiers as Record<ModifierKind, RegExp> },
    category: {
      weights: {
        topic: weight('topic'),
        mention: weight('mention'),
        subject: weight('subject'),
        minimum: weight('minimum'),
        fitShare: weight('fitShare'),
      },
      evidence,
    },
  };
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
