/**
 * DetectKeyPhrases: noun phrases.
 *
 * English: wink's POS tags, keeping maximal runs of adjectives, nouns, proper nouns and numbers
 * that end in a noun ("new dashboard", "production database"). Unlike Comprehend we leave out
 * leading determiners and possessives ("Our production database" → "production database"):
 * callers use key phrases as tags, where "our" is noise.
 * Spanish, French, Italian, Portuguese, German: runs of words between function words and
 * punctuation, joined through noun-phrase links ("base de datos"); German keeps capitalized
 * words only, since German nouns are capitalized.
 * Other supported languages (ar, hi, ja, ko, zh, zh-TW): no phrases — there is no on-box model.
 */
import type { EnglishNlp, EnglishToken } from './english-nlp.js';
import { FUNCTION_WORDS, NOUN_PHRASE_LINKS } from './function-words.js';
import type { Utf16Span } from './offsets.js';

export interface KeyPhraseSpan extends Utf16Span {
  text: string;
  score: number;
}

const PHRASE_POS = new Set(['ADJ', 'NOUN', 'PROPN', 'NUM']);
const HEAD_POS = new Set(['NOUN', 'PROPN', 'NUM']);
const MAX_WORDS = 6;

export function detectKeyPhrases(text: string, languageCode: string, english: EnglishNlp): KeyPhraseSpan[] {
  if (languageCode === 'en') return englishNounPhrases(text, english);
  const functionWords = FUNCTION_WORDS[languageCode];
  if (functionWords) return chunkBetweenFunctionWords(text, languageCode, functionWords);
  return [];
}

function englishNounPhrases(text: string, english: EnglishNlp): KeyPhraseSpan[] {
  const phrases: KeyPhraseSpan[] = [];
  let run: EnglishToken[] = [];
  const flush = () => {
    // A phrase must end in its head noun: drop trailing adjectives ("is great" is not a phrase).
    const head = run.findLastIndex((token) => HEAD_POS.has(token.pos));
    phrases.push(...phraseFrom(text, run.slice(0, head + 1)));
    run = [];
  };
  for (const token of english.analyze(text).tokens) {
    const previous = run.at(-1);
    const continuesRun = previous === undefined || isAdjacent(text, previous, token);
    if (PHRASE_POS.has(token.pos) && continuesRun && run.length < MAX_WORDS) {
      run.push(token);
    } else {
      flush();
      if (PHRASE_POS.has(token.pos)) run.push(token);
    }
  }
  flush();
  return phrases;
}

/** Tokens belong to one phrase only if nothing but spaces or a hyphen separates them. */
function isAdjacent(text: string, previous: Utf16Span, next: Utf16Span): boolean {
  return /^[ \t-]*$/.test(text.slice(previous.end, next.begin));
}

interface Word extends Utf16Span {
  text: string;
}

function chunkBetweenFunctionWords(
  text: string,
  languageCode: string,
  functionWords: ReadonlySet<string>,
): KeyPhraseSpan[] {
  const links = NOUN_PHRASE_LINKS[languageCode];
  const nounsOnly = languageCode === 'de';
  const phrases: KeyPhraseSpan[] = [];
  let run: Word[] = [];
  let pendingLinks: Word[] = [];
  const flush = () => {
    phrases.push(...phraseFrom(text, run));
    run = [];
    pendingLinks = [];
  };

  for (const word of words(text)) {
    const lower = word.text.toLowerCase();
    // Punctuation between two words ends the phrase; spaces and elision apostrophes do not.
    const previous = pendingLinks.at(-1) ?? run.at(-1);
    if (previous && !/^[\s'’]*$/.test(text.slice(previous.end, word.begin))) flush();
    if (links?.has(lower) && run.length > 0) {
      pendingLinks.push(word);
    } else if (functionWords.has(lower) || (nounsOnly && !/^\p{Lu}/u.test(word.text))) {
      flush();
    } else if (run.length + pendingLinks.length < MAX_WORDS) {
      run.push(...pendingLinks, word);
      pendingLinks = [];
    } else {
      flush();
      run.push(word);
    }
  }
  flush();
  return phrases;
}

function words(text: string): Word[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*/gu)].map((match) => ({
    text: match[0],
    begin: match.index,
    end: match.index + match[0].length,
  }));
}

/**
 * The phrase a run of words spans (none for an empty run). Comprehend's key-phrase
 * scores are model confidences; ours only prefer longer phrases.
 */
function phraseFrom(text: string, run: Utf16Span[]): KeyPhraseSpan[] {
  const first = run.at(0);
  const last = run.at(-1);
  if (first === undefined || last === undefined) return [];
  const { begin } = first;
  const { end } = last;
  return [{ text: text.slice(begin, end), begin, end, score: 0.9 + 0.03 * Math.min(run.length, 3) }];
}
