/**
 * A space in a rule phrase: white space as a line wraps, at most one line
 * break and up to 16 spaces either side of it. A blank line ends a paragraph
 * (and separates the subject from the description), and a phrase does not
 * run on across one, nor across a page of padding. Bounded, so a space in a
 * lookbehind or next to an optional one never scans a long run of white space
 * again at every position; written as a listed class, because a negated one
 * (`[^\S\n]`) costs far more to compile, and the rules file holds thousands
 * of patterns.
 */
const BLANK = String.raw`[\t\v\f \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]`;
const OPTIONAL_SPACE = String.raw`${BLANK}{0,16}(?:\n${BLANK}{0,16})?`;
const SPACE = String.raw`(?=\s)${OPTIONAL_SPACE}`;

/**
 * A rule phrase as written in the rules data file: a regular expression source
 * in which a plain space stands for white space within a paragraph (see SPACE; tickets wrap lines),
 * and an optional space (" ?", " *") for optional whitespace, so that
 * "log ?in" finds "login" as well as "log in" and "doesn ?n't" both spellings.
 */
export function phrasePattern(phrase: string, flags = 'giu'): RegExp {
  // Outside a character class a run of spaces is SPACE; inside one ("[- ]") a space is any white space.
  const source = phrase.replace(/\\.|\[(?:\\.|[^\]\\])*\]| +([?*])?/g, (token, optional?: string) => {
    if (!token.startsWith(' ')) return token.startsWith('[') ? token.replace(/ /g, String.raw`\s`) : token;
    return optional ? OPTIONAL_SPACE : SPACE;
  });
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, flags);
}

/** A span of the analyzed text: UTF-16 indices, `end` exclusive. */
export interface TextMatch {
  phrase: string;
  start: number;
  end: number;
}

/** Every non-overlapping match of `pattern` (which must have the `g` flag) in `text`. */
export function allMatches(pattern: RegExp, text: string): TextMatch[] {
  const matches: TextMatch[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    matches.push({ phrase: match[0], start: match.index, end: match.index + match[0].length });
  }
  return matches;
}

/** The first match of `pattern` (which must have the `g` flag) in `text`: `allMatches(pattern, text)[0]`, without looking further. */
export function firstMatch(pattern: RegExp, text: string): TextMatch | undefined {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    return { phrase: match[0], start: match.index, end: match.index + match[0].length };
  }
  return undefined;
}

/**
 * Sentences of the analyzed text, for "in the same sentence" rules: a
 * sentence ends at . ! ? ; or a line break (a full stop inside a version
 * number like "1.70" does not end one).
 */
export interface Sentences {
  /** Sentence number of a UTF-16 index. */
  of(offset: number): number;
  /** Whether the sentence holding `offset` ends with a question mark. */
  isQuestion(offset: number): boolean;
}

export function sentences(text: string): Sentences {
  const ends: { index: number; mark: string }[] = [];
  for (const match of text.matchAll(/[!?？;\n]|\.(?!\p{N})/gu)) ends.push({ index: match.index, mark: match[0] });
  const of = (offset: number): number => {
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const end = ends[middle];
      if (end !== undefined && end.index < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  return { of, isQuestion: (offset) => /[?？]/u.test(ends[of(offset)]?.mark ?? '') };
}

/** The analyzed text is subject, a blank line, then the description: the subject's length. */
export function subjectLength(text: string): number {
  const end = text.indexOf('\n\n');
  return end < 0 ? 0 : end;
}

/** Lower case without accents: "Störung", "STORUNG" and "störung" read as one word. */
export function foldCase(word: string): string {
  return word.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/g, "'");
}

/**
 * A phrase of the analyzed text that moved the priority or the category, with
 * where it was found (UTF-16 indices into the analyzed text, `end` exclusive),
 * so that a signal touching redacted text can be dropped before storage.
 * Sentiment, which is no phrase of the text, is reported with an empty span.
 */
export interface MatchedSignal {
  kind: string;
  phrase: string;
  start: number;
  end: number;
}
