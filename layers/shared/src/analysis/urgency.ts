import { TICKET_PRIORITIES, type SentimentResult, type TicketPriority } from '../domain/ticket.js';
import { allMatches, sentences, type TextMatch } from './text-patterns.js';
import type { MatchedSignal } from './text-patterns.js';
import { triageRules, type LevelKind, type ModifierKind, type TriageRules } from './triage-rules.js';

/**
 * Priority as the labelling rubric reads a ticket: what happened and to whom
 * first, how it is said last. The phrases and how each kind moves the level
 * are data (triage-rules.json); this is how they combine:
 *
 *  1. Each phrase of a level kind (outage, breach, crash, money wrongly
 *     taken, a failure, a vague problem …) sets a floor. Phrases in a question
 *     ("are there known outages?") describe nothing that happened: they do not count.
 *  2. A hedge in the same sentence ("possible breach", "may cause downtime")
 *     lowers a hedgeable kind one level: suspected is not confirmed.
 *  3. Each group of the kind's `raisedBy` modifiers found anywhere (many
 *     users affected; everyone or a critical operation affected; work
 *     disrupted, a deadline missed or no workaround; troubleshooting that
 *     failed) raises it one level, never above urgent; its
 *     `loweredBy` modifiers (intermittent, slow, already fixed) lower it one
 *     level, never below normal.
 *  4. "Urgent", "ASAP" or a strongly negative tone raise a normal ticket to
 *     high, once, and only when the text describes an impact (scope, disrupted
 *     work or failed troubleshooting): tone alone never sets the priority.
 *  5. No problem described: low (questions, requests, pre-sales, feedback);
 *     but urgent wording with nothing described and nothing asked for is a
 *     vague problem: normal.
 */

/** Between an `averted` word and the problem it governs: at most two words, within the sentence. */
const AVERTED_GAP = /^\s+(?:[\p{L}\p{N}'’-]+\s+){0,2}$/u;

/** The signal kind of a strongly negative tone that raised the priority. */
export const TONE_SIGNAL = 'sentiment';

/** Comprehend's negative score from which tone counts as pressing. */
export const STRONGLY_NEGATIVE_SCORE = 0.8;

export interface UrgencyAssessment {
  priority: TicketPriority;
  urgent: boolean;
  /** The phrases that decided the priority, first occurrence of each kind, in text order. */
  signals: MatchedSignal[];
}

export interface Finding {
  kind: LevelKind;
  /** The kind reported: a hedged kind reports its hedged name. */
  reported: string;
  match: TextMatch;
  level: number;
  /** The modifiers that moved it. */
  modifiers: ModifierKind[];
}

/** Ranks as numbers, higher is more pressing: low 0 … urgent 3. */
const rankOf = (priority: TicketPriority): number => TICKET_PRIORITIES.length - 1 - TICKET_PRIORITIES.indexOf(priority);
/** Ranks beyond either end are the lowest or the highest (the clamp keeps the index in range). */
const priorityOf = (rank: number): TicketPriority =>
  TICKET_PRIORITIES[TICKET_PRIORITIES.length - 1 - Math.max(0, Math.min(TICKET_PRIORITIES.length - 1, rank))] ??
  'normal';
const NORMAL = rankOf('normal');
const HIGH = rankOf('high');
const URGENT = rankOf('urgent');

/** A phrase that decided the priority, with the kind it is reported as. */
interface DecidingPhrase {
  kind: string;
  match: TextMatch;
}

/** The modifiers a ticket states and where its hedges are: what each level kind's phrases are read against. */
export interface ModifierReading {
  /** Scope, criticality, impact and limits only where stated (see `readModifiers`). */
  found: Record<ModifierKind, TextMatch[]>;
  /** Describes something that happened: not asked about, not named as something to avoid. */
  isStatement: (match: TextMatch) => boolean;
  /** In a sentence with a hedge ("possible", "may"). */
  isHedged: (match: TextMatch) => boolean;
}

/** `sentiment` is null when Comprehend was unavailable or the language unsupported. */
export function assessUrgency(
  text: string,
  sentiment: SentimentResult | null,
  rules: TriageRules = triageRules(),
): UrgencyAssessment {
  return urgencyWithTone(readUrgency(text, rules), sentiment);
}

/**
 * What the rules read in a text, before tone is weighed: its phrases of level
 * kinds and its modifiers. Reading is most of the cost and needs the text
 * alone, so it is done once, and may be done while Comprehend is asked for
 * the sentiment.
 */
export interface UrgencyReading {
  readonly modifiers: ModifierReading;
  readonly findings: readonly Finding[];
}

export function readUrgency(text: string, rules: TriageRules = triageRules()): UrgencyReading {
  const modifiers = readModifiers(text, rules);
  const findings: Finding[] = rules.priority.levels.flatMap((kind) =>
    allMatches(kind.pattern, text)
      .filter(modifiers.isStatement)
      .map((match) => findingAt(kind, match, modifiers)),
  );
  return { modifiers, findings };
}

/** The priority a reading amounts to with this tone (null: none known); the reading is left as it was. */
export function urgencyWithTone(
  { modifiers: reading, findings }: UrgencyReading,
  sentiment: SentimentResult | null,
): UrgencyAssessment {
  if (findings.length === 0) return assessNothingDescribed(reading);

  const rank = Math.max(...findings.map((finding) => finding.level));
  const used: DecidingPhrase[] = [];
  for (const finding of findings.filter((candidate) => candidate.level === rank)) {
    used.push({ kind: finding.reported, match: finding.match });
    for (const modifier of finding.modifiers) pushFirst(used, modifier, reading.found[modifier]);
  }
  return result(priorityOf(raisedByPressure(rank, reading.found, sentiment, used)), used);
}

/** The modifier phrases of the text, each kind kept only where it counts (see the comments below). */
function readModifiers(text: string, rules: TriageRules): ModifierReading {
  const sentenceOf = sentences(text);
  const found = Object.fromEntries(
    Object.entries(rules.priority.modifiers).map(([kind, pattern]) => [kind, allMatches(pattern, text)]),
  ) as Record<ModifierKind, TextMatch[]>;
  // A problem named as something to avoid, or as what might happen ("minimise downtime",
  // "any extra fees"), describes nothing that happened: it counts no more than one asked about.
  const averted = (match: TextMatch) =>
    found.averted.some((word) => word.end <= match.start && AVERTED_GAP.test(text.slice(word.end, match.start)));
  const isStatement = (match: TextMatch) => !sentenceOf.isQuestion(match.start) && !averted(match);
  const hedgedSentences = new Set(found.hedge.map((match) => sentenceOf.of(match.start)));
  const isHedged = (match: TextMatch) => hedgedSentences.has(sentenceOf.of(match.start));
  // What the ticket states, not what it asks about.
  for (const kind of ['widespread', 'critical', 'impact', 'limited'] as const)
    found[kind] = found[kind].filter(isStatement);
  // An impact the customer only fears ("this might affect our campaigns") is not one described.
  found.impact = found.impact.filter((match) => !isHedged(match));
  return { found, isStatement, isHedged };
}

/** Steps 1–3: the level one phrase of a level kind sets, moved by a hedge in its sentence and by the kind's modifiers. */
function findingAt(kind: LevelKind, match: TextMatch, { found, isHedged }: ModifierReading): Finding {
  const hedged = kind.hedgeable && isHedged(match);
  // Each group of modifiers present raises one level: a deadline and a whole team affected raise two.
  const groups = kind.raisedBy.map((group) => group.filter((modifier) => found[modifier].length > 0));
  const raisedBy = groups.flat();
  const raise = groups.filter((group) => group.length > 0).length;
  const loweredBy = kind.loweredBy.filter((modifier) => found[modifier].length > 0);
  let level = Math.min(URGENT, rankOf(kind.level) - (hedged ? 1 : 0) + raise);
  if (loweredBy.length > 0) level = Math.max(Math.min(level, NORMAL), level - 1);
  const modifiers = [...(hedged ? ['hedge' as const] : []), ...raisedBy, ...loweredBy];
  return { kind, reported: hedged ? kind.hedgedKind : kind.kind, match, level, modifiers };
}

/** Step 5: no problem described is low, unless urgent wording is all there is. */
function assessNothingDescribed({ found, isStatement }: ModifierReading): UrgencyAssessment {
  const used: DecidingPhrase[] = [];
  const request = found.request[0];
  if (request) used.push({ kind: 'request', match: request });
  // Urgent wording with nothing described and nothing asked for ("URGENT, call me back") is a
  // vague problem: normal, never more.
  const pressing = found.asap.find(isStatement);
  if (!request && pressing) return result('normal', [{ kind: 'asap', match: pressing }]);
  return result('low', used);
}

/**
 * Step 4: the rank, raised from normal to high by "urgent", "ASAP" or a strongly negative
 * tone when the text describes an impact; the phrases that raised it are added to `used`.
 */
function raisedByPressure(
  rank: number,
  found: Record<ModifierKind, TextMatch[]>,
  sentiment: SentimentResult | null,
  used: DecidingPhrase[],
): number {
  const impact = (['widespread', 'impact'] as const).filter((kind) => found[kind].length > 0);
  if (rank !== NORMAL || impact.length === 0 || found.limited.length > 0) return rank;
  const negative = sentiment?.label === 'NEGATIVE' && sentiment.scores.negative >= STRONGLY_NEGATIVE_SCORE;
  if (found.asap.length > 0) {
    pushFirst(used, 'asap', found.asap);
  } else if (negative) {
    // Tone is not a phrase of the text: an empty span at the start, which no redaction overlaps.
    used.push({ kind: TONE_SIGNAL, match: { phrase: 'negative', start: 0, end: 0 } });
  } else {
    return rank;
  }
  for (const kind of impact) pushFirst(used, kind, found[kind]);
  return HIGH;
}

function pushFirst(used: DecidingPhrase[], kind: string, matches: readonly TextMatch[]): void {
  const first = matches[0];
  if (first && !used.some((entry) => entry.kind === kind)) used.push({ kind, match: first });
}

function result(priority: TicketPriority, used: readonly DecidingPhrase[]): UrgencyAssessment {
  const seen = new Set<string>();
  const signals: MatchedSignal[] = [];
  for (const { kind, match } of [...used].sort((a, b) => a.match.start - b.match.start)) {
    if (seen.has(kind)) continue;
    seen.add(kind);
    signals.push({ kind, phrase: match.phrase, start: match.start, end: match.end });
  }
  return { priority, urgent: priority === 'urgent', signals };
}
