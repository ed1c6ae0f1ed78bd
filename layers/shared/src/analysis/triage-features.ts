import { categorize, type Categorization } from './category.js';
import { allMatches, foldCase, subjectLength, type TextMatch } from './text-patterns.js';
import { triageRules, type TriageRules } from './triage-rules.js';
import { readUrgency, urgencyWithTone, type UrgencyAssessment, type UrgencyReading } from './urgency.js';

/**
 * What the triage model reads of a ticket: the words of its analyzed text
 * (subject, a blank line, the description) and what the rules in
 * triage-rules.json make of that text. Training (scripts/train-triage.ts)
 * and the layer compute features here and nowhere else, so a model always
 * reads tickets the way it was trained to.
 *
 * Feature names say what they are, so that the model file can be read and a
 * decision explained by the phrases behind it:
 *  - `w:<word>`       a word (lower case, accents off; a number reads as "#");
 *  - `b:<word> <word>` two words in a row, within the subject or within the description;
 *  - `p:<prefix>`     the first five letters of a longer word (inflections of one stem);
 *  - `s:<word>`       a word of the subject, the customer's own summary;
 *  - `rule:priority:<level>`, `rule:kind:<kind>`, `rule:category:<category>`,
 *    `rule:score:<category>`: the rules' verdicts and the kinds of evidence they found.
 *
 * A text feature is there or not: saying "outage" fifty times, or "thanks"
 * twenty, says no more than once. Function words ("the", "de", "und") count
 * only in a pair ("not working", "nicht mehr"), and phrases of courtesy
 * ("I hope you are well") not at all: both say how a ticket
 * is written, not what happened (triage-rules.json, `words`).
 */

export interface TriageFeatures {
  /** Feature name → value. Text features are scaled to unit length (see SHORT_TEXT_LENGTH), so long tickets do not shout. */
  values: Map<string, number>;
  /** Where a text feature first occurs, to show an agent the phrase (and to drop it if redacted). */
  spans: Map<string, TextMatch>;
  /** The rules' own reading of the text, kept for the signals behind the model's decision. */
  urgency: UrgencyAssessment;
  /** What `urgency` was decided from, for weighing tone later without reading the text again. */
  urgencyReading: UrgencyReading;
  categorization: Categorization;
}

/** How much the rules' verdicts weigh against the words: the words are scaled to length 1. */
const RULE_WEIGHT = 0.3;
/**
 * The words of a text with fewer features than this squared (about 30 words)
 * are scaled as if it had that many: a few words are little evidence, so the
 * model is less sure of a short ticket and the rules' verdicts, which read
 * short texts well, weigh relatively more.
 */
const SHORT_TEXT_LENGTH = 12;
const PREFIX_LENGTH = 5;
const WORD = /\p{L}[\p{L}\p{N}'’]*|\p{N}+/gu;
const NUMBER = /^\p{N}+$/u;

export function triageFeatures(text: string, rules: TriageRules = triageRules()): TriageFeatures {
  const values = new Map<string, number>();
  const spans = new Map<string, TextMatch>();
  const add = (name: string, match: TextMatch) => {
    values.set(name, 1);
    if (!spans.has(name)) spans.set(name, match);
  };

  const subjectEnd = subjectLength(text);
  const courtesy = allMatches(rules.words.boilerplate, text);
  const inCourtesy = (start: number) => courtesy.some((phrase) => phrase.start <= start && start < phrase.end);
  const words = [...text.matchAll(WORD)]
    .filter((match) => !inCourtesy(match.index))
    .map((match) => ({
      word: NUMBER.test(match[0]) ? '#' : foldCase(match[0]),
      start: match.index,
      end: match.index + match[0].length,
    }));
  const { functionWords } = rules.words;
  words.forEach((current, index) => {
    const span = { phrase: text.slice(current.start, current.end), start: current.start, end: current.end };
    const counts = !functionWords.has(current.word);
    const inSubject = current.start < subjectEnd;
    if (counts) {
      add(`w:${current.word}`, span);
      if (current.word.length > PREFIX_LENGTH) add(`p:${current.word.slice(0, PREFIX_LENGTH)}`, span);
      if (inSubject) add(`s:${current.word}`, span);
    }
    const next = words[index + 1];
    const sameField = next !== undefined && inSubject === next.start < subjectEnd;
    if (next && sameField && (counts || !functionWords.has(next.word))) {
      add(`b:${current.word} ${next.word}`, {
        phrase: text.slice(current.start, next.end),
        start: current.start,
        end: next.end,
      });
    }
  });
  const length = Math.max(Math.sqrt(values.size), SHORT_TEXT_LENGTH);
  for (const name of values.keys()) values.set(name, 1 / length);

  // The rules read the text alone: the model must see at run time what it saw in training,
  // where there is no sentiment and there are no key phrases.
  const urgencyReading = readUrgency(text, rules);
  const urgency = urgencyWithTone(urgencyReading, null);
  const categorization = categorize(text, subjectEnd, rules);
  values.set(`rule:priority:${urgency.priority}`, RULE_WEIGHT);
  for (const signal of urgency.signals) values.set(`rule:kind:${signal.kind}`, RULE_WEIGHT / 2);
  values.set(`rule:category:${categorization.category}`, RULE_WEIGHT);
  const best = Math.max(...Object.values(categorization.scores));
  if (best > 0) {
    for (const [category, score] of Object.entries(categorization.scores)) {
      if (score > 0) values.set(`rule:score:${category}`, (RULE_WEIGHT / 2) * (score / best));
    }
  }
  return { values, spans, urgency, urgencyReading, categorization };
}
