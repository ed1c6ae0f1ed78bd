/** A number written in groups of digits, whatever stands between them. */

/**
 * What may stand between the digit groups of one number: a run of white
 * space (line breaks included), a run of punctuation and symbols with at most
 * eight visible characters (a comment marker "<!-- -->" is seven), or one letter-like mark ("4111ー1111", "4111 x 1111").
 * So "4111.1111", "4111 - 1111", "4111\n1111" and "4111/1111" all join, while
 * a word ("4111 or 1111") separates. Each alternative consumes its own kind
 * of character, so a long run is split one way only (no backtracking blow-up).
 */
export const GROUP_SEPARATOR = String.raw`(?:\s+|(?:\s*[^\p{L}\p{N}\s]){1,8}\s*|\s*\p{L}\s*)`;
/**
 * Letters may touch a number ("card4111…", "ref:4111…x"); digits may not, or
 * the number would be another one. (Every decimal digit of the view is ASCII.)
 */
const DIGIT_GROUP_RUN = new RegExp(String.raw`(?<![0-9])[0-9]+(?:${GROUP_SEPARATOR}[0-9]+)*(?![0-9])`, 'gu');

export interface DigitGroup {
  digits: string;
  start: number;
  end: number;
  /** A comma or semicolon and white space stand before it, as between the items of a list. */
  listed: boolean;
}

const LIST_SEPARATOR = /[,;]\s/;

export function digitGroupRuns(text: string): DigitGroup[][] {
  return [...text.matchAll(DIGIT_GROUP_RUN)].map((run) => {
    const groups: DigitGroup[] = [];
    for (const group of run[0].matchAll(/[0-9]+/g)) {
      const start = run.index + group.index;
      const previous = groups.at(-1);
      groups.push({
        digits: group[0],
        start,
        end: start + group[0].length,
        listed: previous !== undefined && LIST_SEPARATOR.test(text.slice(previous.end, start)),
      });
    }
    return groups;
  });
}
