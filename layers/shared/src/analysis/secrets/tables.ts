/** Tables pasted as text: a header row names a column of secrets, and the cells below it are secrets. */

import type { SecretSpan } from './secret-span.js';
import { cellsOf, type Cell } from './table-cells.js';
import { cellValue, COLUMN_NAMES, columnKindOf, headerKindsOf, isLabel, type ColumnKind } from './table-columns.js';

export interface TableSecrets {
  spans: SecretSpan[];
  /** Stretches [start, end) of header lines that are names, not values: no secret starts there. */
  names: [number, number][];
}

const TABLE_DELIMITERS = ['\t', ',', ';', '|'];

/** One cell of a Markdown table's separator row: dashes, with a colon at either end for alignment. */
const SEPARATOR_CELL = /^:?-+:?$/;

/**
 * A Markdown table's line under its header: "|---|:---:|", "--- | ---". Read
 * cell by cell rather than by one pattern, whose runs of spaces beside optional
 * pipes would be tried in every split.
 */
function isPipeSeparatorRow(line: string): boolean {
  let inner = line.trim();
  if (inner.startsWith('|')) inner = inner.slice(1);
  if (inner.endsWith('|')) inner = inner.slice(0, -1);
  return inner.split('|').every((cell) => SEPARATOR_CELL.test(cell.trim()));
}

/**
 * The lines of a Markdown table as cells: without the pipes that may open and
 * close each line, and without the separator row under the header (so the
 * header stands right above the rows it names); the header above a separator
 * row is added to `names`.
 */
function pipeLines(text: string, lines: readonly [number, number][], names: [number, number][]): [number, number][] {
  const rows: [number, number][] = [];
  for (const [lineStart, lineEnd] of lines) {
    const line = text.slice(lineStart, lineEnd);
    if (!line.includes('|')) {
      rows.push([lineStart, lineEnd]);
      continue;
    }
    if (isPipeSeparatorRow(line)) {
      // The line above a separator row is the table's header: names, even with no row below yet, if all its cells can be.
      const header = rows.at(-1);
      if (
        header !== undefined &&
        text.slice(header[0], header[1]).includes('|') &&
        cellsOf(text, header[0], header[1], '|').every((cell) => isLabel(cellText(text, cell)))
      )
        names.push([...header]);
      continue;
    }
    let start = lineStart;
    let end = lineEnd;
    while (start < end && /[^\S\n]/.test(text.charAt(start))) start++;
    while (end > start && /[^\S\n]/.test(text.charAt(end - 1))) end--;
    if (text.charAt(start) === '|') start++;
    if (end > start && text.charAt(end - 1) === '|' && text.charAt(end - 2) !== '\\') end--;
    rows.push([start, end]);
  }
  return rows;
}

/**
 * A line of cells (separated by tabs, or by commas or semicolons as in CSV)
 * that names a column of secrets ("Email<TAB>Password<TAB>Role") above lines
 * with as many cells: the cells of that column below are secrets, and the
 * header's other cells are names, not values. The header is all names (no
 * digits). A name in the first column is ambiguous, since a table of keys
 * and values ("Password<TAB>Blessed", "Login<TAB>admin") has its keys there:
 * the line's next cell stays a value, and below it only cells that cannot be
 * names are values, unless the line is the block's first and some first cell
 * below cannot be a name (then the whole column is); only a cell that names
 * a column of secrets or a column commonly named ("Role", "Email") is then
 * taken for a name. Also a line of two cells "Password,S3cr3t!x" (no space
 * around the comma or semicolon) is a key and its value.
 * Linear: each line is split once per delimiter and each cell read once.
 */
export function tableSecrets(text: string): TableSecrets {
  const allLines = linesOf(text);
  const spans: SecretSpan[] = [];
  const names: [number, number][] = [];
  for (const delimiter of TABLE_DELIMITERS) {
    const lines = delimiter === '|' ? pipeLines(text, allLines, names) : allLines;
    const cells = lines.map(([start, end]) =>
      text.slice(start, end).includes(delimiter) ? cellsOf(text, start, end, delimiter) : null,
    );
    for (let first = 0; first < lines.length;) {
      let last = first;
      const width = cells[first]?.length ?? 0;
      while (width >= 2 && last + 1 < lines.length && cells[last + 1]?.length === width) last++;
      if (last > first) tableBlock(text, lines, cells as Cell[][], first, last, spans, names);
      first = last + 1;
    }
    if (delimiter !== '\t') keyValueLines(text, cells, delimiter, spans);
  }
  return { spans, names: unionOf(names) };
}

/** The lines of `text` as [start, end), without their line breaks. */
function linesOf(text: string): [number, number][] {
  const lines: [number, number][] = [];
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    lines.push([start, end === -1 ? text.length : end]);
    start = end === -1 ? text.length + 1 : end + 1;
  }
  return lines;
}

/** Lines of two cells with nothing around the delimiter, "Password,S3cr3t!x": a key and its value. */
function keyValueLines(text: string, cells: readonly (Cell[] | null)[], delimiter: string, spans: SecretSpan[]): void {
  cells.forEach((row) => {
    if (row?.length !== 2) return;
    const key = row[0];
    const cell = row[1];
    if (key === undefined || cell === undefined) return;
    const kind = columnKindOf(text.slice(key.start, key.end));
    const at = text.indexOf(delimiter, key.end);
    if (kind === undefined || at !== key.end || at + 1 !== cell.start) return;
    const value = cellValue(text, cell, kind);
    if (value) spans.push(value);
  });
}

/** As a union of disjoint stretches, sorted: a header line in one pass may hold name cells of another. */
function unionOf(stretches: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of stretches.sort((a, b) => a[0] - b[0])) {
    const previous = merged.at(-1);
    if (previous !== undefined && start <= previous[1]) previous[1] = Math.max(previous[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** A column a header names, and whether only the cells below it that cannot be names are its values. */
interface SecretColumn {
  kind: ColumnKind;
  unlabeledOnly: boolean;
}

const cellText = (text: string, cell: Cell): string => text.slice(cell.start, cell.end);

/** One block of lines with as many cells each: header lines, and the columns they name. */
function tableBlock(
  text: string,
  lines: readonly [number, number][],
  cells: Cell[][],
  first: number,
  last: number,
  spans: SecretSpan[],
  names: [number, number][],
): void {
  // Whether the first cells of the lines after the block's first line all read as names.
  let namesBelowFirst = true;
  for (let line = first + 1; line <= last && namesBelowFirst; line++) {
    const cell = cells[line]?.[0];
    namesBelowFirst = cell !== undefined && isLabel(cellText(text, cell));
  }
  const columns = new Map<number, SecretColumn>();
  for (let line = first; line <= last; line++) {
    const row = cells[line];
    if (row === undefined) continue;
    const kinds = headerKindsOf(row.map((cell) => cellText(text, cell)));
    const isHeader =
      line < last && kinds.some((kind) => kind !== undefined) && row.every((cell) => isLabel(cellText(text, cell)));
    if (isHeader) {
      const horizontal = line === first && !namesBelowFirst;
      kinds.forEach((kind, column) => {
        if (kind) columns.set(column, { kind, unlabeledOnly: column === 0 && !horizontal });
      });
      headerNames(text, row, kinds, lines[line], names);
    } else {
      columnValues(text, row, kinds, columns, spans);
    }
  }
}

/**
 * The stretches of a header line that are names: the whole line, or, when
 * its first cell names a column (a table of keys and values may have its keys
 * there), the cells that name a column of secrets or a column commonly named.
 */
function headerNames(
  text: string,
  row: readonly Cell[],
  kinds: readonly (ColumnKind | undefined)[],
  line: [number, number] | undefined,
  names: [number, number][],
): void {
  if (kinds[0] === undefined) {
    if (line) names.push(line);
    return;
  }
  row.forEach((cell, column) => {
    if (kinds[column] !== undefined || COLUMN_NAMES.has(cellText(text, cell).toLowerCase()))
      names.push([cell.start, cell.end]);
  });
}

/** The secrets in the cells of a line below a header, in the columns it named. */
function columnValues(
  text: string,
  row: readonly Cell[],
  kinds: readonly (ColumnKind | undefined)[],
  columns: ReadonlyMap<number, SecretColumn>,
  spans: SecretSpan[],
): void {
  for (const [column, { kind, unlabeledOnly }] of columns) {
    const cell = row[column];
    if (cell === undefined || kinds[column] !== undefined || (unlabeledOnly && isLabel(cellText(text, cell)))) continue;
    const value = cellValue(text, cell, kind);
    if (value) spans.push(value);
  }
}
