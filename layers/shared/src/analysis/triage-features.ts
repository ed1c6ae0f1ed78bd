import { deu, eng, fra, ita, por, spa } from 'stopword';
import { categorize, type Categorisation } from './category.js';
import { subjectLength, type TextMatch } from './text-patterns.js';
import { assessUrgency, type UrgencyAssessment } from './urgency.js';

/**
 * What the triage model reads of a ticket: the words of its analysed text
 * (subject, a blank line, the description) and what the rules in
 * triage-rules.json make of that text. Training (scripts/train-triage.ts)
 * and the layer compute features here and nowhere else, so a model always
 * reads tickets the way it was trained to.
 *
 * Feature names say what they are, so that the model file can be read and a
 * decision explained by the phrases behind it:
 *  - `w:<word>`       a word (lower case, accents off);
 *  - `b:<word> <word>` two words in a row;
 *  - `p:<prefix>`     the first five letters of a longer word (inflections of one stem);
 *  - `s:<word>`       a word of the subject, the customer's own summary;
 *  - `rule:priority:<level>`, `rule:kind:<kind>`, `rule:category:<category>`,
 *    `rule:score:<category>`: the rules' verdicts and the kinds of evidence they found.
 */

export interface TriageFeatures {
  /** Feature name → value. Text features are scaled to unit length (see SHORT_TEXT_LENGTH), so long tickets do not shout. */
  values: Map<string, number>;
  /** Where a text feature first occurs, to show an agent the phrase (and to drop it if redacted). */
  spans: Map<string, TextMatch>;
  /** The rules' own reading of the text, kept for the signals behind the model's decision. */
  urgency: UrgencyAssessment;
  categorisation: Categorisation;
}

/** How much the rules' verdicts weigh against the words: the words are scaled to length 1. */
const RULE_WEIGHT = 0.3;
/**
 * The words of a text shorter than this (as the length of its feature
 * vector: about 30 words) are scaled as if it were this long: a few words are
 * little evidence, so the model is less sure of a short ticket and the rules'
 * verdicts, which read short texts well, weigh relatively more.
 */
const SHORT_TEXT_LENGTH = 12;
const PREFIX_LENGTH = 5;
/**
 * Function words of the languages triage knows ("the", "de", "und" …): they
 * say which language a ticket is in, not what it is about, so alone they are
 * no feature. In a pair with a word that counts they stay: "not working",
 * "all users", "nicht mehr".
 */
const FUNCTION_WORDS = new Set([eng, spa, fra, deu, por, ita].flat().map((word) => foldCase(word)));
/** Except the words of negation and of scope: "nobody", "never", "alle", "aucun" say how bad and how wide. */
const NEGATION_AND_SCOPE = [
  'no', 'not', 'never', 'none', 'nobody', 'nothing', 'nowhere', 'cannot', 'all', 'every', 'everyone', 'everything', 'any', 'anyone',
  'nicht', 'kein', 'keine', 'keiner', 'keinen', 'nie', 'niemals', 'niemand', 'nichts', 'alle', 'allen', 'jeder', 'jede', 'jeden',
  'ne', 'pas', 'non', 'jamais', 'aucun', 'aucune', 'personne', 'rien', 'tous', 'toutes', 'tout', 'chaque',
  'nunca', 'ningun', 'ninguna', 'ninguno', 'nadie', 'nada', 'todos', 'todas', 'cada',
  'nao', 'nenhum', 'nenhuma', 'ninguem',
  'mai', 'nessun', 'nessuno', 'nessuna', 'niente', 'nulla', 'tutti', 'tutte', 'ogni',
];
for (const word of NEGATION_AND_SCOPE) FUNCTION_WORDS.delete(word);
const WORD = /\p{L}[\p{L}\p{N}'’]*|\p{N}+/gu;

export function triageFeatures(text: string): TriageFeatures {
  const values = new Map<string, number>();
  const spans = new Map<string, TextMatch>();
  const add = (name: string, match: TextMatch) => {
    values.set(name, (values.get(name) ?? 0) + 1);
    if (!spans.has(name)) spans.set(name, match);
  };

  const subjectEnd = subjectLength(text);
  const words = [...text.matchAll(WORD)].map((match) => ({
    word: foldCase(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
  words.forEach((current, index) => {
    const span = { phrase: text.slice(current.start, current.end), start: current.start, end: current.end };
    const counts = !FUNCTION_WORDS.has(current.word);
    if (counts) {
      add(`w:${current.word}`, span);
      if (current.word.length > PREFIX_LENGTH) add(`p:${current.word.slice(0, PREFIX_LENGTH)}`, span);
      if (current.start < subjectEnd) add(`s:${current.word}`, span);
    }
    const next = words[index + 1];
    if (next && (counts || !FUNCTION_WORDS.has(next.word))) {
      add(`b:${current.word} ${next.word}`, { phrase: text.slice(current.start, next.end), start: current.start, end: next.end });
    }
  });
  let length = 0;
  for (const value of values.values()) length += value * value;
  length = Math.max(Math.sqrt(length), SHORT_TEXT_LENGTH);
  for (const [name, value] of values) values.set(name, value / length);

  // The rules read the text alone: the model must see at run time what it saw in training,
  // where there is no sentiment and there are no key phrases.
  const urgency = assessUrgency(text, null);
  const categorisation = categorize(text, [], subjectEnd);
  values.set(`rule:priority:${urgency.priority}`, RULE_WEIGHT);
  for (const signal of urgency.signals) values.set(`rule:kind:${signal.kind}`, RULE_WEIGHT / 2);
  values.set(`rule:category:${categorisation.category}`, RULE_WEIGHT);
  const best = Math.max(...Object.values(categorisation.scores));
  if (best > 0) {
    for (const [category, score] of Object.entries(categorisation.scores)) {
      if (score > 0) values.set(`rule:score:${category}`, (RULE_WEIGHT / 2) * (score / best));
    }
  }
  return { values, spans, urgency, categorisation };
}

/** Lower case without accents: "Störung", "STORUNG" and "störung" are one word to the model. */
function foldCase(word: string): string {
  return word.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/g, "'");
}

