/**
 * What each part of `npm run bench` reports: the values that go into
 * bench/results.json, and the figures printed in the table, each with its
 * target where the project sets one.
 */

export interface Target {
  /** The figure holds when it is at most this. */
  atMost?: number;
  /** The figure holds when it is at least this. */
  atLeast?: number;
}

export interface Figure {
  /** The results.json key it comes from, with its part: `coldStartOverheadMs.CreateTicketFunction`. */
  key: string;
  value: number;
  /** `ms`, `s`, `MB`, `bytes`, `x` (a ratio), `F1` (a score), `units`, `requests`, … */
  unit: string;
  target?: Target;
  /** What the value was measured against, in a few words. */
  note?: string;
}

export interface BenchPartResult {
  /** Merged into bench/results.json at the top level: `{ coldStartOverheadMs: {...}, bundleBytes: {...} }`. */
  results: Record<string, unknown>;
  figures: Figure[];
}

export interface BenchPartOptions {
  /** A shorter run (fewer samples, shorter loads) for a quick look; the figures are noisier. */
  quick: boolean;
}

export interface BenchPart {
  name: string;
  measure: (options: BenchPartOptions) => Promise<BenchPartResult>;
}

/** true when the figure meets its target; undefined when it has none. */
export function holds({ value, target }: Pick<Figure, 'value' | 'target'>): boolean | undefined {
  if (!target) return undefined;
  if (!Number.isFinite(value)) return false;
  return (
    (target.atMost === undefined || value <= target.atMost) && (target.atLeast === undefined || value >= target.atLeast)
  );
}

export function targetText(target: Target | undefined): string {
  if (!target) return '';
  const parts = [];
  if (target.atMost !== undefined) parts.push(`≤ ${String(target.atMost)}`);
  if (target.atLeast !== undefined) parts.push(`≥ ${String(target.atLeast)}`);
  return parts.join(' and ');
}

/** NaN for no values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (0–100) by linear interpolation between the closest ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (rank - low);
}

/** Rounded for results.json: enough digits to compare runs, no float noise. */
export function rounded(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
