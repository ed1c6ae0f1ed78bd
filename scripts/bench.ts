/**
 * `npm run bench`: the performance figures of design decisions, each printed
 * as a ratio of two things measured in this one run, so that the figures hold
 * on any machine (absolute times are printed for reference only).
 *
 *   2. Cold start: importing the built create-ticket function with its
 *      request validator compiled ahead of time (what is deployed), against
 *      the same plus compiling its request schema with ajv at load time (what
 *      a runtime-compiling validator would add to every cold start).
 *   1. Comprehend cost: billing units per ticket spent by the analyzer,
 *      against calling all four operations on the whole text. Units are
 *      counted from the texts actually sent, with Comprehend's price rule
 *      (1 unit per 100 characters, at least 3 per call).
 *
 *   3. On-box redaction in linear time: redacting a hostile 20,000-character
 *      description (keywords followed by long runs of white space, long runs
 *      of digit groups and separators, tables, thousands of secrets each
 *      looked for again), against an ordinary description of
 *      the same length. A pattern that backtracks would make the ratio grow
 *      with the length; linear detectors keep it near 1.
 *
 *   4. Triage: deciding a ticket's priority and category with the model
 *      (which reads the words and runs the rules for their verdicts) against
 *      the rules alone, on the sample tickets; reading the model file (a
 *      function's first triage) against one triage; and a description of
 *      20,000 spaces against an ordinary one of that length (linear time).
 *
 * Options: --runs N (cold-start samples per variant, default 15).
 */
import {
  DetectDominantLanguageCommand,
  DetectKeyPhrasesCommand,
  DetectPiiEntitiesCommand,
  DetectSentimentCommand,
  type ComprehendClient,
} from '@aws-sdk/client-comprehend';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { ComprehendAnalyzer, PII_LANGUAGES } from '../layers/shared/src/analysis/comprehend-analyzer.js';
import { redactFields } from '../layers/shared/src/analysis/redaction.js';
import { triage } from '../layers/shared/src/analysis/triage.js';
import { parseTriageModel } from '../layers/shared/src/analysis/triage-classifier.js';
import { TRIAGE_MODEL_FILE } from '../layers/shared/src/analysis/triage-model.js';
import { categorize } from '../layers/shared/src/analysis/category.js';
import { assessUrgency } from '../layers/shared/src/analysis/urgency.js';
import { buildAll } from './build.js';
import { esbuildFunctions, onlyResourceOfType, PROJECT_ROOT, readTemplate } from './sam-template.js';

const run = promisify(execFile);
const MODEL_DIR = new URL('../layers/shared/src/analysis/', import.meta.url);
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;

/** NaN for no values. */
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
};

// --- 2. cold start ------------------------------------------------------------

/**
 * A folder laid out as Lambda lays out a function with its layer: the bundle's
 * bare imports find the built layer's packages through node_modules beside it.
 */
async function lambdaLikeSandbox(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'support-bench-'));
  const buildDir = join(root, 'build');
  const template = readTemplate();
  const [layer] = onlyResourceOfType(template, 'AWS::Serverless::LayerVersion');
  const create = esbuildFunctions(template).find(({ codeDir }) => basename(codeDir) === 'create-ticket');
  if (!create) throw new Error('The template has no function built from functions/create-ticket.');
  await buildAll({ buildDir, only: [layer, create.logicalId] });
  const sandbox = join(root, 'task');
  await mkdir(sandbox, { recursive: true });
  await symlink(join(buildDir, layer, 'nodejs', 'node_modules'), join(sandbox, 'node_modules'), 'dir');
  await cp(join(buildDir, create.logicalId, 'handler.mjs'), join(sandbox, 'handler.mjs'));

  // What compiling the schema at load time would add: ajv (as the layer would
  // carry it, minified) and one compile of the create-ticket request schema.
  const entry = join(sandbox, 'compile-at-load.ts');
  await writeFile(
    entry,
    [
      "import Ajv from 'ajv';",
      `import { requestSchema } from ${JSON.stringify(join(PROJECT_ROOT, 'functions/create-ticket/request-schema.ts'))};`,
      'new Ajv({ allErrors: true, strict: true, useDefaults: true }).compile(requestSchema);',
    ].join('\n'),
  );
  await build({
    entryPoints: [entry],
    outfile: join(sandbox, 'compile-at-load.mjs'),
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@aws-support-system/shared'],
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return sandbox;
}

/** Milliseconds from process start until the given modules are imported, measured inside a fresh process. */
async function coldImport(sandbox: string, modules: string[]): Promise<number> {
  // performance.now() counts from process start: the whole cold start up to the end of the imports.
  const script = `${modules.map((m) => `await import('./${m}');`).join(' ')} console.log(performance.now());`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: sandbox,
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: 'tickets',
      // As deployed; the function reads the secret on its first idempotent create, never while loading.
      CURSOR_SECRET_ARN: 'CursorSigningSecret',
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return Number(stdout.trim());
}

async function coldStart(): Promise<void> {
  const sandbox = await lambdaLikeSandbox();
  try {
    const deployed: number[] = [];
    const compiling: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate, so a load change on the machine hits both variants alike.
      deployed.push(await coldImport(sandbox, ['handler.mjs']));
      compiling.push(await coldImport(sandbox, ['handler.mjs', 'compile-at-load.mjs']));
    }
    const a = median(deployed);
    const b = median(compiling);
    console.log('2. Cold start of create-ticket (process start to handler loaded, median of %d fresh processes)', runs);
    console.log('   validator compiled ahead of time (deployed)   %s ms', a.toFixed(1));
    console.log('   schema compiled with ajv at load time        %s ms', b.toFixed(1));
    console.log(
      '   ratio load-time / ahead-of-time              %sx  (%s%% of the cold start saved)\n',
      (b / a).toFixed(2),
      (((b - a) / b) * 100).toFixed(0),
    );
  } finally {
    await rm(join(sandbox, '..'), { recursive: true, force: true });
  }
}

// --- 1. Comprehend units ---------------------------------------------------------

/** Comprehend's price rule: 1 unit per 100 characters, at least 3 units per request. */
const unitsFor = (text: string): number => Math.max(3, Math.ceil(Array.from(text).length / 100));

const SAMPLE_TICKETS = [
  {
    name: 'short question',
    subject: 'Export invoices',
    description: 'How do I export my invoices as CSV?',
  },
  {
    name: 'outage with card number, 1 KB',
    subject: 'Production is down',
    description:
      'Our production database is down and we are losing money, please help ASAP! ' +
      'We were charged on card 4111 1111 1111 1111 for the upgrade yesterday. '.repeat(12),
  },
  {
    name: 'long log paste, 20,000 chars',
    subject: 'Sync fails every night',
    description: (
      'The nightly sync fails with a timeout after the export step; the log follows. ' +
      'ERROR sync worker stopped: connection reset by peer while streaming batch. '
    )
      .repeat(130)
      .slice(0, 20_000),
  },
  {
    name: 'French request, 3 KB',
    subject: 'Facture incorrecte',
    description:
      'Bonjour, la facture du mois dernier contient une erreur sur le montant total, merci de la corriger. '.repeat(30),
  },
];

function recordingClient(language: string, sent: string[]): ComprehendClient {
  const answer = (command: unknown) => {
    const input = (command as { input: { Text: string } }).input;
    sent.push(input.Text);
    if (command instanceof DetectDominantLanguageCommand)
      return { Languages: [{ LanguageCode: language, Score: 0.99 }] };
    if (command instanceof DetectSentimentCommand) {
      return { Sentiment: 'NEUTRAL', SentimentScore: { Positive: 0.1, Negative: 0.1, Neutral: 0.8, Mixed: 0 } };
    }
    if (command instanceof DetectKeyPhrasesCommand) return { KeyPhrases: [] };
    if (command instanceof DetectPiiEntitiesCommand) return { Entities: [] };
    throw new Error('unexpected command');
  };
  // As the SDK does, an unexpected command is a rejected promise, not a throw.
  const send = (command: unknown) =>
    new Promise((resolve) => {
      resolve(answer(command));
    });
  return { send } as unknown as ComprehendClient;
}

async function comprehendUnits(): Promise<void> {
  console.log('1. Comprehend billing units per ticket (analyzer against all four calls on the whole text)');
  let spentTotal = 0;
  let naiveTotal = 0;
  for (const ticket of SAMPLE_TICKETS) {
    const sent: string[] = [];
    const language: string = ticket.name.startsWith('French') ? 'fr' : 'en';
    await new ComprehendAnalyzer({ client: recordingClient(language, sent), deadlineMs: 5_000 }).analyze(ticket);
    const whole = `${ticket.subject}\n\n${ticket.description}`;
    const piiSupported = PII_LANGUAGES.has(language);
    const spent = sent.reduce((sum, text) => sum + unitsFor(text), 0);
    const naive = unitsFor(whole) * (piiSupported ? 4 : 3);
    spentTotal += spent;
    naiveTotal += naive;
    console.log(
      '   %s  %d calls, %d units vs %d  ratio %sx',
      ticket.name.padEnd(32),
      sent.length,
      spent,
      naive,
      (naive / spent).toFixed(2),
    );
  }
  console.log(
    '   all samples                       %d units vs %d  ratio %sx\n',
    spentTotal,
    naiveTotal,
    (naiveTotal / spentTotal).toFixed(2),
  );
}

// --- 3. redaction in linear time -------------------------------------------------

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
  'thousands of distinct passwords': fill(
    Array.from({ length: 2_000 }, (_, index) => `pw=x${index.toString(36)}y${index} `).join(''),
  ),
};

function redactionMs(description: string, samples = 7): number {
  const times: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    redactFields({ subject: 'Benchmark', description });
    times.push(performance.now() - started);
  }
  return median(times);
}

function redactionLinearity(): void {
  console.log(
    `3. On-box redaction of a ${DESCRIPTION_LENGTH.toLocaleString('en')}-character description, hostile against ordinary`,
  );
  redactionMs(ORDINARY, 3); // warm the patterns
  const ordinary = redactionMs(ORDINARY);
  console.log('   ordinary                          %s ms', ordinary.toFixed(1));
  for (const [name, description] of Object.entries(HOSTILE)) {
    const hostile = redactionMs(description);
    console.log(
      '   %s%s ms  ratio %sx',
      name.padEnd(34),
      hostile.toFixed(1).padStart(6),
      (hostile / ordinary).toFixed(2),
    );
  }
  console.log('');
}

// --- 4. triage ------------------------------------------------------------------

function triageCost(): void {
  const texts = SAMPLE_TICKETS.map(({ subject, description }) => `${subject}\n\n${description}`);
  const timeAll = (decide: (text: string) => unknown, rounds = 20): number => {
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      for (const text of texts) decide(text);
      times.push((performance.now() - started) / texts.length);
    }
    return median(times);
  };
  // Each call of `decide` triages one whole text; timeAll divides by the sample count, the ratio does not care.
  console.log('4. Triage of a sample ticket (median per ticket)');
  // What a function's first triage adds: reading and checking the model file (the analyzer above loaded it already).
  const loads: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    parseTriageModel(JSON.parse(readFileSync(new URL(TRIAGE_MODEL_FILE, MODEL_DIR), 'utf8')));
    loads.push(performance.now() - started);
  }
  const first = median(loads);
  const rules = timeAll((text) => [assessUrgency(text, null), categorize(text)]);
  const model = timeAll((text) => triage(text, null));
  console.log('   rules alone                       %s ms', rules.toFixed(2));
  console.log(
    '   model (rules included)            %s ms  ratio %sx',
    model.toFixed(2).padStart(5),
    (model / rules).toFixed(2),
  );
  console.log(
    '   reading the model (first triage)  %s ms  ratio %sx to a triage',
    first.toFixed(1).padStart(5),
    (first / model).toFixed(1),
  );
  // Linear time: a long run of white space (where a rule phrase has a space) against ordinary text of the same length.
  const ordinaryLong = timeAll(() => triage(`Export\n\n${ORDINARY}`, null), 5);
  const spaced = timeAll(() => triage(`Export\n\nhello${' '.repeat(DESCRIPTION_LENGTH)}`, null), 5);
  console.log(
    '   %s characters of white space       %s ms  ratio %sx to ordinary text',
    DESCRIPTION_LENGTH.toLocaleString('en'),
    spaced.toFixed(1).padStart(5),
    (spaced / ordinaryLong).toFixed(2),
  );
  console.log('');
}

await comprehendUnits();
await coldStart();
redactionLinearity();
triageCost();
