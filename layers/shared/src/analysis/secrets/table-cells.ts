/** The cells of a line of a table pasted as text: separated by tabs, or by commas or semicolons as in CSV. */

export interface Cell {
  /** The cell's text without the white space around it (and without its quotes, in CSV). */
  start: number;
  end: number;
}

/**
 * The cells of the line [start, end) split by `delimiter`. A comma- or
 * semicolon-separated cell may be quoted as in CSV ("a,b" is one cell, "" a quote).
 */
export function cellsOf(text: string, start: number, end: number, delimiter: string): Cell[] {
  const cells: Cell[] = [];
  let index = start;
  for (;;) {
    let from = index;
    while (from < end && /[^\S\n]/.test(text.charAt(from)) && text[from] !== delimiter) from++;
    let to: number;
    let next: number;
    if (delimiter !== '\t' && text[from] === '"') {
      let close = from + 1;
      while (close < end && !(text[close] === '"' && text[close + 1] !== '"')) close += text[close] === '"' ? 2 : 1;
      const after = text.indexOf(delimiter, close);
      next = after === -1 || after >= end ? end : after;
      cells.push({ start: from + 1, end: Math.min(close, end) });
    } else {
      const after = text.indexOf(delimiter, from);
      next = after === -1 || after >= end ? end : after;
      to = next;
      while (to > from && /\s/.test(text.charAt(to - 1))) to--;
      cells.push({ start: from, end: to });
    }
    if (next >= end) return cells;
    index = next + 1;
  }
}
