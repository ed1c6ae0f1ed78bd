/**
 * One shared wink-nlp instance with its English "lite web" model. Loading the model takes
 * a noticeable fraction of a second, so it happens once per process, at stand-in start.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Utf16Span } from './offsets.js';

export interface EnglishToken extends Utf16Span {
  text: string;
  /** Universal POS tag, e.g. NOUN, PROPN, ADJ, DET, PRON. */
  pos: string;
}

export interface EnglishAnalysis {
  tokens: EnglishToken[];
  /** wink's lexicon-based sentiment, -1 (negative) … 1 (positive). */
  sentiment: number;
}

export interface EnglishNlp {
  analyze(text: string): EnglishAnalysis;
}

let shared: EnglishNlp | undefined;

export function loadEnglishNlp(): EnglishNlp {
  shared ??= createEnglishNlp();
  return shared;
}

function createEnglishNlp(): EnglishNlp {
  const nlp = winkNLP(model);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- wink tells its helpers apart by identity: passed as they are, never bound
  const { value: tokenValue, pos: partOfSpeech, sentiment } = nlp.its;
  return {
    analyze(text) {
      const doc = nlp.readDoc(text);
      const values = doc.tokens().out(tokenValue);
      const tags = doc.tokens().out(partOfSpeech);
      return { tokens: alignTokens(text, values, tags), sentiment: Number(doc.out(sentiment)) };
    },
  };
}

/**
 * wink keeps token text verbatim but not token positions; find each token in order.
 * A token that cannot be found (never seen so far) is dropped rather than misplaced.
 */
function alignTokens(text: string, values: string[], tags: string[]): EnglishToken[] {
  const tokens: EnglishToken[] = [];
  let cursor = 0;
  values.forEach((value, index) => {
    const begin = text.indexOf(value, cursor);
    if (begin < 0) return;
    cursor = begin + value.length;
    tokens.push({ text: value, pos: tags[index] ?? 'X', begin, end: cursor });
  });
  return tokens;
}
