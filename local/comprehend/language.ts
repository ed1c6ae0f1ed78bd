/**
 * DetectDominantLanguage: tinyld's character n-gram guess, corrected by function-word counts
 * for the Latin-script languages where short support messages are most often misjudged.
 */
import { detectAll } from 'tinyld';
import { FUNCTION_WORDS } from './function-words.js';

export interface DetectedLanguage {
  LanguageCode: string;
  Score: number;
}

/** Weight of function-word evidence against tinyld's accuracy when both have an opinion. */
const FUNCTION_WORD_WEIGHT = 0.6;
const MAX_LANGUAGES = 5;
const MIN_SCORE = 0.01;

/**
 * Comprehend always names a language; for text with no letters (digits, symbols) we answer
 * English with a low score rather than inventing an "undetermined" code it never returns.
 */
const NO_EVIDENCE: DetectedLanguage[] = [{ LanguageCode: 'en', Score: 0.3 }];

export function detectDominantLanguages(text: string): DetectedLanguage[] {
  const evidence = new Map<string, number>();
  const functionWords = functionWordEvidence(text);
  const hasFunctionWords = [...functionWords.values()].some((share) => share > 0);
  const ngramWeight = hasFunctionWords ? 1 - FUNCTION_WORD_WEIGHT : 1;

  for (const { lang, accuracy } of detectAll(text)) {
    evidence.set(lang, (evidence.get(lang) ?? 0) + ngramWeight * accuracy);
  }
  for (const [lang, share] of functionWords) {
    evidence.set(lang, (evidence.get(lang) ?? 0) + FUNCTION_WORD_WEIGHT * share);
  }
  const languages = toScores(evidence);
  if (languages.length === 0) return NO_EVIDENCE;
  return languages.map((language) => ({ ...language, LanguageCode: refineChinese(language.LanguageCode, text) }));
}

/** Share of the text's words that are function words of each language, saturating at 1. */
function functionWordEvidence(text: string): Map<string, number> {
  const tokens = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const evidence = new Map<string, number>();
  if (tokens.length === 0) return evidence;
  for (const [lang, list] of Object.entries(FUNCTION_WORDS)) {
    const hits = tokens.filter((token) => list.has(token)).length;
    // Function words make up roughly half of ordinary prose, hence the factor 2.
    evidence.set(lang, Math.min(1, (2 * hits) / tokens.length));
  }
  return evidence;
}

/** Squares, then normalizes, so a clear winner scores near Comprehend's usual 0.9+. */
function toScores(evidence: Map<string, number>): DetectedLanguage[] {
  const sharpened = [...evidence].map(([code, value]) => [code, value * value] as const);
  const total = sharpened.reduce((sum, [, value]) => sum + value, 0);
  if (total === 0) return [];
  return sharpened
    .map(([code, value]) => ({ LanguageCode: code, Score: value / total }))
    .filter((language) => language.Score >= MIN_SCORE)
    .sort((a, b) => b.Score - a.Score)
    .slice(0, MAX_LANGUAGES);
}

/**
 * tinyld reports all Chinese as "zh"; Comprehend tells Traditional ("zh-TW") apart.
 * A handful of very common characters exist only in the Traditional script.
 */
const TRADITIONAL_ONLY = /[這們個會說為體國來對時從麼還點開關問題請謝號帳發務應]/u;

function refineChinese(code: string, text: string): string {
  return code === 'zh' && TRADITIONAL_ONLY.test(text) ? 'zh-TW' : code;
}
