/**
 * DetectSentiment: wink's English lexicon score combined with the cue phrases of
 * sentiment-cues.ts (the only signal for other languages). The rules, in order:
 *   1. strong positive and strong negative evidence together → MIXED;
 *   2. a question without strong evidence → NEUTRAL (how-to questions are not complaints);
 *   3. weak evidence either way → NEUTRAL;
 *   4. otherwise the stronger polarity.
 */
import type { EnglishNlp } from './english-nlp.js';
import { SENTIMENT_CUES, type SentimentCues } from './sentiment-cues.js';

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

export interface SentimentResult {
  Sentiment: SentimentLabel;
  SentimentScore: { Positive: number; Negative: number; Neutral: number; Mixed: number };
}

/** Evidence at or above this is strong: it can stand alone, and it can make a message MIXED. */
const STRONG_EVIDENCE = 1;
/** Evidence below this is too weak to call a message anything but NEUTRAL. */
const LABEL_THRESHOLD = 0.5;

interface Evidence {
  positive: number;
  negative: number;
  isQuestion: boolean;
}

export function detectSentiment(text: string, languageCode: string, english: EnglishNlp): SentimentResult {
  const evidence = cueEvidence(text, SENTIMENT_CUES[languageCode]);
  if (languageCode === 'en') {
    const lexicon = english.analyze(text).sentiment;
    evidence.positive += Math.max(0, lexicon);
    evidence.negative += Math.max(0, -lexicon);
  }
  const label = labelFor(evidence);
  return { Sentiment: label, SentimentScore: scoresFor(label, evidence) };
}

function labelFor({ positive, negative, isQuestion }: Evidence): SentimentLabel {
  if (positive >= STRONG_EVIDENCE && negative >= STRONG_EVIDENCE) return 'MIXED';
  const strongest = Math.max(positive, negative);
  if (isQuestion && strongest < STRONG_EVIDENCE) return 'NEUTRAL';
  if (strongest < LABEL_THRESHOLD) return 'NEUTRAL';
  if (positive === negative) return 'MIXED';
  return positive > negative ? 'POSITIVE' : 'NEGATIVE';
}

/**
 * Comprehend-style confidences: the label's score grows with the margin of evidence behind it;
 * the remainder is shared by the other labels in proportion to their evidence, so the four
 * scores always sum to 1 and the chosen label always has the highest.
 */
function scoresFor(
  label: SentimentLabel,
  { positive, negative, isQuestion }: Evidence,
): SentimentResult['SentimentScore'] {
  const saturate = (x: number) => 1 - Math.exp(-Math.max(0, x));
  const confidence =
    label === 'POSITIVE'
      ? 0.55 + 0.44 * saturate(positive - negative)
      : label === 'NEGATIVE'
        ? 0.55 + 0.44 * saturate(negative - positive)
        : label === 'MIXED'
          ? 0.55 + 0.3 * (Math.min(positive, negative) / Math.max(positive, negative, 1e-9))
          : 0.55 + 0.44 * saturate(2 * (STRONG_EVIDENCE - Math.max(positive, negative)));

  const weights = {
    Positive: positive + 0.05,
    Negative: negative + 0.05,
    Neutral: isQuestion ? 0.6 : 0.3,
    Mixed: Math.min(positive, negative) + 0.02,
  };
  const winner = { POSITIVE: 'Positive', NEGATIVE: 'Negative', NEUTRAL: 'Neutral', MIXED: 'Mixed' }[
    label
  ] as keyof typeof weights;
  const others = (Object.keys(weights) as (keyof typeof weights)[]).filter((key) => key !== winner);
  const otherTotal = others.reduce((sum, key) => sum + weights[key], 0);
  const scores = { Positive: 0, Negative: 0, Neutral: 0, Mixed: 0, [winner]: confidence };
  for (const key of others) scores[key] = ((1 - confidence) * weights[key]) / otherTotal;
  return scores;
}

function cueEvidence(text: string, cues: SentimentCues | undefined): Evidence {
  const isQuestion = /[?？¿]/u.test(text);
  const evidence: Evidence = { positive: 0, negative: 0, isQuestion };
  if (!cues) return evidence;

  const normalized = normalizeForCues(text);
  const claimed: [number, number][] = [];
  // Longest cues first, so "not working" is read before "working now" could claim "working".
  for (const cue of cueList(cues)) {
    for (const index of occurrences(normalized, cue.phrase, cues.wordBoundaries)) {
      const end = index + cue.phrase.length;
      if (claimed.some(([b, e]) => index < e && end > b)) continue;
      claimed.push([index, end]);
      const negated = cue.polarity === 'positive' && isNegated(normalized.slice(0, index), cues.negators);
      if (cue.polarity === 'negative' || negated) evidence.negative += cue.weight;
      else evidence.positive += cue.weight;
    }
  }
  return evidence;
}

interface Cue {
  phrase: string;
  weight: number;
  polarity: 'positive' | 'negative';
}

const cueListCache = new WeakMap<SentimentCues, Cue[]>();

function cueList(cues: SentimentCues): Cue[] {
  let list = cueListCache.get(cues);
  if (!list) {
    const entries = (polarity: Cue['polarity']) =>
      Object.entries(cues[polarity]).map(([phrase, weight]) => ({
        phrase: normalizeForCues(phrase),
        weight,
        polarity,
      }));
    list = [...entries('negative'), ...entries('positive')].sort((a, b) => b.phrase.length - a.phrase.length);
    cueListCache.set(cues, list);
  }
  return list;
}

/** Lower-case, without Latin accents, with typographic apostrophes straightened. */
function normalizeForCues(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .replace(/ß/g, 'ss')
    .replace(/[’‘`]/g, "'")
    .toLowerCase();
}

function* occurrences(text: string, phrase: string, wordBoundaries: boolean): Generator<number> {
  for (let index = text.indexOf(phrase); index >= 0; index = text.indexOf(phrase, index + 1)) {
    if (!wordBoundaries || (!isWordChar(text[index - 1]) && !isWordChar(text[index + phrase.length]))) yield index;
  }
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{M}\p{N}]/u.test(char);
}

/** True when one of the two words just before the cue is a negator ("not very good"). */
function isNegated(before: string, negators: string[]): boolean {
  const previousWords = before
    .split(/[^\p{L}\p{M}']+/u)
    .filter(Boolean)
    .slice(-2);
  return previousWords.some((word) => negators.includes(word) || word.endsWith("n't"));
}
