/**
 * Figures of design decisions that have no target of their own but must not
 * regress, each a ratio measured in this run:
 *
 *   - on-box redaction in linear time: a hostile 20,000-character description
 *     (keywords followed by long runs of white space, long runs of digit
 *     groups, tables, thousands of secrets each looked for again) against an
 *     ordinary one of the same length. A pattern that backtracks would make the
 *     ratio grow with the length; linear detectors keep it near 1;
 *   - triage: the model (which reads the words and runs the rules for their
 *     verdicts) against the rules alone, reading the model file (a function's
 *     first triage) against one triage, and 20,000 spaces against ordinary text.
 */
import { readFileSync } from 'node:fs';
import { redactFields } from '../../layers/shared/src/analysis/redaction.js';
import { triage } from '../../layers/shared/src/analysis/triage.js';
import { parseTriageModel } from '../../layers/shared/src/analysis/triage-classifier.js';
import { TRIAGE_MODEL_FILE } from '../../layers/shared/src/analysis/triage-model.js';
import { categorize } from '../../layers/shared/src/analysis/category.js';
import { assessUrgency } from '../../layers/shared/src/analysis/urgency.js';
import { median, rounded, type BenchPart, type Figure } from './figures.js';

const MODEL_DIR = new URL('../../layers/shared/src/analysis/', import.meta.url);
const DESCRIPTION_LENGTH = 20_000;
const fill = (piece: string): string =>
  piece.repeat(Math.ceil(DESCRIPTION_LENGTH / piece.length)).slice(0, DESCRIPTION_LENGTH);

const ORDINARY = fill('The export to CSV stops at row 4,096 since version 2.3; order 10023 is affected. ');
const HOSTILE: Record<string, string> = {
  'keyword, then spaces': `password is${' '.repeat(DESCRIPTION_LENGTH - 20)}x`,
  'keyword, then tabs': `secret is${'\t'.repeat(DESCRIPTION_LENGTH - 20)}\nx`,
  'digit groups and dashes': fill('1 - '),
  'digits and dots': fill('1.2.'),
  'one long number': '7'.repeat(DESCRIPTION_LENGTH),
  'IBAN-like runs': fill('DE89 '),
  'key-like runs': fill('A1b2C3d4E5/'),
  'one letter, thousands of marks': `a${'\u0301'.repeat(DESCRIPTION_LENGTH - 1)}`,
  'keyword, a few words, many times': fill('the password I use is '),
  'table rows under a header': `Email\tPassword\tRole\n${fill('alice@example.com\tS3cr3t!\tadmin\n')}`,
  'header lines only': fill('Password\tRole\n'),
  'a pipe table line of spaces': `a|b\n${' '.repeat(DESCRIPTION_LENGTH - 6)}|x`,
  'a separator row, then spaces': `a|b\n|-${' '.repeat(DESCRIPTION_LENGTH - 7)}x`,
  'a label, then spaces': `PIN${' '.repeat(DESCRIPTION_LENGTH - 4)}x`,
  'a user name keyword, then spaces': `username${' '.repeat(DESCRIPTION_LENGTH - 9)}x`,
  'a PIN keyword and "is", then spaces': `PIN is${' '.repeat(DESCRIPTION_LENGTH - 7)}x`,
  'thousands of distinct passwords': fill(
    Array.from({ length: 2_000 }, (_, index) => `pw=x${index.toString(36)}y${index} `).join(''),
  ),
};

/** Short texts of the kinds a ticket holds, for the per-ticket triage cost. */
const SAMPLE_TEXTS = [
  'Export invoices\n\nHow do I export my invoices as CSV?',
  'Production is down\n\nOur production database is down and we are losing money, please help ASAP!',
  `Sync fails every night\n\n${'The nightly sync fails with a timeout after the export step. '.repeat(20)}`,
  `Facture incorrecte\n\n${'Bonjour, la facture du mois dernier contient une erreur sur le montant total. '.repeat(5)}`,
];

function redactionMs(description: string, samples: number): number {
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    redactFields({ subject: 'Benchmark', description });
    times.push(performance.now() - started);
  }
  return median(times);
}

function redactionLinearity(samples: number): Figure[] {
  redactionMs(ORDINARY, 3); // warm the patterns
  const ordinary = redactionMs(ORDINARY, samples);
  console.log(
    '  redaction of %s characters, ordinary: %s ms',
    DESCRIPTION_LENGTH.toLocaleString('en'),
    ordinary.toFixed(1),
  );
  let worst = { name: '', ratio: 0 };
  for (const [name, description] of Object.entries(HOSTILE)) {
    const ratio = redactionMs(description, samples) / ordinary;
    console.log('    %s %sx', name.padEnd(34), ratio.toFixed(2));
    if (ratio > worst.ratio) worst = { name, ratio };
  }
  return [
    {
      key: 'design.redactionHostileRatio',
      value: rounded(worst.ratio, 2),
      unit: 'x',
      note: `worst hostile 20,000-char text (${worst.name}) / ordinary`,
    },
  ];
}

function triageCost(rounds: number): Figure[] {
  const timeAll = (decide: (text: string) => unknown, texts: readonly string[], count = rounds): number => {
    const times: number[] = [];
    for (let round = 0; round < count; round++) {
      const started = performance.now();
      for (const text of texts) decide(text);
      times.push((performance.now() - started) / texts.length);
    }
    return median(times);
  };
  const loads: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    parseTriageModel(JSON.parse(readFileSync(new URL(TRIAGE_MODEL_FILE, MODEL_DIR), 'utf8')));
    loads.push(performance.now() - started);
  }
  const rules = timeAll((text) => [assessUrgency(text, null), categorize(text)], SAMPLE_TEXTS);
  const model = timeAll((text) => triage(text, null), SAMPLE_TEXTS);
  const ordinaryLong = timeAll((text) => triage(text, null), [`Export\n\n${ORDINARY}`], 5);
  const spaced = timeAll((text) => triage(text, null), [`Export\n\nhello${' '.repeat(DESCRIPTION_LENGTH)}`], 5);
  console.log('  triage per ticket: rules %s ms, model %s ms', rules.toFixed(2), model.toFixed(2));
  return [
    {
      key: 'design.triageModelOverRules',
      value: rounded(model / rules, 2),
      unit: 'x',
      note: 'model / rules alone, per ticket',
    },
    {
      key: 'design.triageModelLoadOverTriage',
      value: rounded(median(loads) / model, 1),
      unit: 'x',
      note: 'reading the model file (first triage) / one triage',
    },
    {
      key: 'design.triageWhiteSpaceRatio',
      value: rounded(spaced / ordinaryLong, 2),
      unit: 'x',
      note: '20,000 spaces / ordinary text of that length',
    },
  ];
}

export const designPart: BenchPart = {
  name: 'design',
  measure: ({ quick }) => {
    const figures = [...redactionLinearity(quick ? 3 : 7), ...triageCost(quick ? 5 : 20)];
    const design = Object.fromEntries(figures.map(({ key, value }) => [key.replace(/^design\./, ''), value]));
    return Promise.resolve({ results: { design }, figures });
  },
};
