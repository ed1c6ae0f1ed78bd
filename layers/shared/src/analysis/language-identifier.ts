import { FUNCTION_WORDS, IDENTIFIED_LATIN_LANGUAGES } from './language-words.js';

/*
 * The language of a ticket, told on the box where that is certain, so that
 * Comprehend's DetectDominantLanguage (3 units a call at least) is asked only
 * where it is not. Most tickets are in a few languages written in Latin
 * letters, whose function words tell them apart; Hangul is written only in
 * Korean and kana only in Japanese. Anything else (another script, a
 * language it does not know, too few words, two languages close in count)
 * is left to Comprehend: this never names a language it has not seen clear
 * evidence for, and never a language Comprehend would not analyze.
 */

/**
 * Against each other language, the fewest of the named language's function
 * words that the other does not have ("the", "with" against Dutch; "está",
 * "muy" against Portuguese): shared words ("de", "in") tell neither.
 */
export const MIN_FUNCTION_WORDS = 3;
/** …and at least this many times as many as the other has that the named one does not. */
export const MIN_LEAD = 3;
/** Function words are a third to a half of ordinary prose: a text where they are rarer is not plainly prose in that language. */
export const MIN_FUNCTION_WORD_SHARE = 0.2;
/** Letters in other scripts (a product name, a quoted error) may stand in a text up to this share. */
const MAX_OTHER_SCRIPT_SHARE = 0.05;

/**
 * A Latin letter outside those of the six languages named on the box
 * (Polish "ł", Czech "ř", Turkish "ı", Nordic "å" and "ø", Romanian "ș" …)
 * says another language may have written the text.
 */
const FOREIGN_LATIN_LETTER = /(?=\p{L})(?![a-zàáâãäçèéêëìíîïñòóôõöùúûüÿœßªº])\p{Script=Latin}/u;

const LETTER = /\p{L}/gu;
const LATIN = /\p{Script=Latin}/gu;
const HANGUL = /\p{Script=Hangul}/gu;
// Script extensions, so that the long-vowel mark "ー" (shared by both kana) counts as kana; letters only,
// since the ideographic full stop and comma extend to the kana and Han scripts too.
const KANA = /(?=\p{L})[\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}]/gu;
const HAN = /\p{Script=Han}/gu;
const JAPANESE_OR_LATIN =
  /(?=\p{L})[\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}\p{Script=Han}\p{Script=Latin}]/gu;
const WORD = /\p{L}+/gu;

/** Built on the first identification: a function that never analyzes a ticket does not pay for it. */
let wordSets: readonly (readonly [string, ReadonlySet<string>])[] | undefined;
const functionWordSets = () =>
  (wordSets ??= Object.entries(FUNCTION_WORDS).map(([language, list]) => [language, new Set(list)] as const));
const NAMED: ReadonlySet<string> = new Set(IDENTIFIED_LATIN_LANGUAGES);

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/**
 * The language `text` is certainly written in, as a Comprehend language code,
 * or null when Comprehend should be asked.
 */
export function identifyLanguage(text: string): string | null {
  const letters = count(text, LETTER);
  if (letters === 0) return null;
  const latin = count(text, LATIN);
  const hangul = count(text, HANGUL);
  const kana = count(text, KANA);
  const han = count(text, HAN);

  if (hangul > 0 && kana === 0 && han === 0 && hangul + latin === letters && hangul * 2 >= letters) return 'ko';
  // Kana is written only in Japanese, and Japanese prose is full of it (particles, endings).
  if (
    kana > 0 &&
    hangul === 0 &&
    count(text, JAPANESE_OR_LATIN) === letters &&
    (kana + han) * 2 >= letters &&
    kana * 5 >= kana + han
  )
    return 'ja';
  if (letters - latin > letters * MAX_OTHER_SCRIPT_SHARE) return null;
  return latinLanguage(text.toLowerCase());
}

function latinLanguage(text: string): string | null {
  if (FOREIGN_LATIN_LETTER.test(text)) return null;
  const words = (text.match(WORD) ?? []).filter((word) => word.length > 1);
  const found = functionWordSets().map(([language, set]) => ({
    language,
    words: new Set(words.filter((word) => set.has(word))),
  }));
  const best = found.reduce((a, b) => (b.words.size > a.words.size ? b : a));
  if (!NAMED.has(best.language)) return null;
  const hits = words.filter((word) => best.words.has(word)).length;
  if (hits < MIN_FUNCTION_WORD_SHARE * words.length) return null;
  const leads = found.every(({ language, words: theirs }) => {
    if (language === best.language) return true;
    const ours = [...best.words].filter((word) => !theirs.has(word)).length;
    const only = [...theirs].filter((word) => !best.words.has(word)).length;
    return ours >= MIN_FUNCTION_WORDS && ours >= MIN_LEAD * only;
  });
  return leads ? best.language : null;
}
