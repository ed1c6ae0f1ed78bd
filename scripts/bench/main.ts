/**
 * `npm run bench`: what a request, a cold start, a larger table and a ticket's
 * analysis cost, each target figure a ratio of two things measured in this
 * one run (or a bound on this machine's own resources), printed as a table and
 * written to bench/results.json. Loopback only; a few minutes on 2 cores.
 *
 *   npm run bench                   every part
 *   npm run bench -- --quick        fewer samples and shorter loads (noisier)
 *   npm run bench -- --only NAME    one part (repeatable): cold-start, handler-overhead,
 *                                   list-scaling, local-system, comprehend-units, design;
 *                                   the other parts' figures in results.json are kept
 *
 * Benchmarks are not tests: `npm test` never depends on these timings.
 */
import { cpus, totalmem, type } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../sam-template.js';
import { coldStartPart } from './cold-start.js';
import { comprehendUnitsPart } from './comprehend-units.js';
import { designPart } from './design.js';
import { holds, targetText, type BenchPart, type Figure } from './figures.js';
import { handlerOverheadPart } from './handler-overhead.js';
import { listScalingPart } from './list-scaling.js';
import { localSystemPart } from './local-system.js';

export const RESULTS_FILE = join(PROJECT_ROOT, 'bench', 'results.json');

const PARTS: BenchPart[] = [
  coldStartPart,
  handlerOverheadPart,
  listScalingPart,
  localSystemPart,
  comprehendUnitsPart,
  designPart,
];

function formatValue({ value, unit }: Figure): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes') return `${value.toLocaleString('en')} B`;
  if (unit === 'F1') return value.toFixed(3);
  const digits = unit === 'x' ? 2 : Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)}${unit === 'x' ? '×' : ` ${unit}`}`;
}

function printTable(figures: Figure[]): void {
  const rows = figures.map((figure) => {
    const verdict = holds(figure);
    return [
      figure.key,
      formatValue(figure),
      targetText(figure.target),
      verdict === undefined ? '' : verdict ? 'holds' : 'MISSED',
      figure.note ?? '',
    ];
  });
  const header = ['figure', 'value', 'target', '', 'measured against'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

interface EarlierReport {
  report?: Record<string, unknown>;
  partsMeasuredAt?: Record<string, string>;
  targets?: Record<string, unknown>;
}

/** The last report, without the results and targets under `replacedKeys`; empty when there is none. */
async function readEarlierReport(replacedKeys: string[]): Promise<EarlierReport> {
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
  const replaced = new Set(replacedKeys);
  const { partsMeasuredAt, targets, ...rest } = report as {
    partsMeasuredAt?: Record<string, string>;
    targets?: Record<string, unknown>;
  };
  return {
    report: Object.fromEntries(Object.entries(rest).filter(([key]) => !replaced.has(key))),
    partsMeasuredAt,
    targets: Object.fromEntries(
      Object.entries(targets ?? {}).filter(([key]) => !replaced.has(key.split('.')[0] ?? key)),
    ),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } },
  });
  const only = values.only ?? [];
  const unknown = only.filter((name) => !PARTS.some((part) => part.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown part: ${unknown.join(', ')}. Parts: ${PARTS.map(({ name }) => name).join(', ')}.`);
    return 2;
  }
  const parts = only.length > 0 ? PARTS.filter(({ name }) => only.includes(name)) : PARTS;

  const started = Date.now();
  const results: Record<string, unknown> = {};
  const figures: Figure[] = [];
  for (const part of parts) {
    const partStarted = Date.now();
    console.log(`— ${part.name}`);
    const result = await part.measure({ quick: values.quick });
    Object.assign(results, result.results);
    figures.push(...result.figures);
    console.log(`  (${((Date.now() - partStarted) / 1000).toFixed(0)} s)\n`);
  }
  printTable(figures);

  const [cpu] = cpus();
  const measuredAt = new Date(started).toISOString();
  // `--only` replaces the figures of the parts it ran and keeps the others' (each part says when it was measured).
  const earlier = only.length > 0 ? await readEarlierReport(Object.keys(results)) : {};
  const report = {
    ...earlier.report,
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    measuredAt,
    partsMeasuredAt: {
      ...earlier.partsMeasuredAt,
      ...Object.fromEntries(parts.map(({ name }) => [name, measuredAt])),
    },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: {
      os: type(),
      cpu: cpu?.model.trim() ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    ...results,
    targets: Object.fromEntries([
      ...Object.entries(earlier.targets ?? {}),
      ...figures
        .filter((figure) => figure.target)
        .map((figure): [string, unknown] => [
          figure.key,
          { value: figure.value, ...figure.target, holds: holds(figure) },
        ]),
    ]),
  };
  await mkdir(join(PROJECT_ROOT, 'bench'), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten to ${RESULTS_FILE}.`);
  return 0;
}

process.exitCode = await main();
