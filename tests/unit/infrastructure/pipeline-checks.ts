/**
 * What pipeline.test.ts checks in .github/workflows/pipeline.yml, as functions
 * that return the problems they find, so that a broken copy of the workflow can
 * show that each check catches what it is for. GitHub runs the workflow; here
 * its `if:` conditions are evaluated (the small part of GitHub's expression
 * language they use) and its `run:` scripts split into commands, which are
 * checked against package.json, samconfig.toml and the files of the repository.
 */
import { parse } from 'yaml';

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}

export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: string | Record<string, string>;
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  env?: Record<string, unknown>;
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: string | Record<string, string>;
  jobs: Record<string, Job>;
}

/** What the workflow's commands are checked against. */
export interface Project {
  scripts: Record<string, string>;
  /** samconfig.toml, parsed. */
  samconfig: Record<string, unknown>;
  fileExists(path: string): boolean;
  readFile(path: string): string;
}

/** The part of GitHub's `github` context that decides which jobs run. */
export interface GitHubEvent {
  event_name: string;
  ref: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseWorkflow(source: string): Workflow {
  // YAML 1.2 (the package's default), as GitHub reads it: `on` is a key, not `true`.
  const workflow: unknown = parse(source);
  if (!isRecord(workflow) || !isRecord(workflow.on) || !isRecord(workflow.jobs)) {
    throw new Error('Not a GitHub Actions workflow: it needs `on` and `jobs` maps.');
  }
  return workflow as unknown as Workflow;
}

// ------------------------------------------------------------------ expressions

type Value = string | number | boolean | null;

const TOKEN = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\)|,)|([A-Za-z_][\w.-]*)|(\d+(?:\.\d+)?))/y;

/**
 * Evaluates a job's `if:` for an event as GitHub does: strings compare without
 * regard to case, `success()` means every needed job ran. Only the contexts a
 * trigger decides (`github.event_name`, `github.ref`) are known; anything else
 * is an error, so a condition this cannot judge is not taken for true.
 */
export function evaluateCondition(condition: string, github: GitHubEvent, needsSucceeded = true): boolean {
  const source = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition)?.[1] ?? condition;
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.trimEnd().length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new Error(`Cannot read the condition ${JSON.stringify(condition)} at ${start}.`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (expected?: string): string => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`In ${JSON.stringify(condition)}: expected ${expected ?? 'more'}, found ${token ?? 'the end'}.`);
    }
    return token;
  };
  const truthy = (value: Value): boolean => value !== null && value !== false && value !== '' && value !== 0;
  const equal = (left: Value, right: Value): boolean =>
    typeof left === 'string' && typeof right === 'string' ? left.toLowerCase() === right.toLowerCase() : left === right;
  const text = (value: Value): string => (value === null ? '' : String(value)).toLowerCase();

  const functions: Record<string, (args: Value[]) => Value> = {
    startsWith: ([a = null, b = null]) => text(a).startsWith(text(b)),
    endsWith: ([a = null, b = null]) => text(a).endsWith(text(b)),
    contains: ([a = null, b = null]) => text(a).includes(text(b)),
    success: () => needsSucceeded,
    always: () => true,
    failure: () => false,
    cancelled: () => false,
  };
  const contexts: Record<string, Value> = {
    'github.event_name': github.event_name,
    'github.ref': github.ref,
    true: true,
    false: false,
    null: null,
  };

  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
    if (/^\d/.test(token)) return Number(token);
    if (peek() === '(') {
      const fn = functions[token];
      if (!fn) throw new Error(`In ${JSON.stringify(condition)}: unknown function ${token}.`);
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      return fn(args);
    }
    if (!(token in contexts)) throw new Error(`In ${JSON.stringify(condition)}: ${token} is not known before the run.`);
    return contexts[token] ?? null;
  };
  const unary = (): Value => {
    if (peek() === '!') {
      take('!');
      return !truthy(unary());
    }
    return primary();
  };
  const comparison = (): Value => {
    const left = unary();
    const operator = peek();
    if (operator !== '==' && operator !== '!=') return left;
    take();
    const right = unary();
    return operator === '==' ? equal(left, right) : !equal(left, right);
  };
  const and = (): Value => {
    let value = comparison();
    while (peek() === '&&') {
      take('&&');
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  function or(): Value {
    let value = and();
    while (peek() === '||') {
      take('||');
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  const value = or();
  if (position !== tokens.length) throw new Error(`In ${JSON.stringify(condition)}: unexpected ${tokens[position]}.`);
  const usesStatus = /\b(success|always|failure|cancelled)\s*\(/.test(source);
  // Without a status function, GitHub adds `success() &&` itself.
  return usesStatus ? truthy(value) : needsSucceeded && truthy(value);
}

export const needsOf = (job: Job): string[] =>
  job.needs === undefined ? [] : typeof job.needs === 'string' ? [job.needs] : job.needs;

/** The jobs that run for an event, in the workflow's order: a job whose needs did not all run is skipped. */
export function jobsRunningOn(workflow: Workflow, github: GitHubEvent): string[] {
  const decided = new Map<string, boolean>();
  const runs = (id: string, seen: string[] = []): boolean => {
    const known = decided.get(id);
    if (known !== undefined) return known;
    const job = workflow.jobs[id];
    if (!job || seen.includes(id)) throw new Error(`Job ${id} does not exist or needs itself.`);
    const needsSucceeded = needsOf(job).every((need) => runs(need, [...seen, id]));
    const result = evaluateCondition(job.if ?? 'success()', github, needsSucceeded);
    decided.set(id, result);
    return result;
  };
  return Object.keys(workflow.jobs).filter((id) => runs(id));
}

// ------------------------------------------------------------------ commands

/**
 * A shell script's simple commands, each as its words with the quoting taken
 * off, as bash would split them (enough for these scripts: quotes, escapes,
 * comments, line continuations, `;`, `&&`, `||`, `|`). Leading keywords (`if`,
 * `!`, `then`, …) and variable assignments are dropped, so `if ! command -v x`
 * gives `command -v x` and `NODE_OPTIONS=… jest` gives `jest`.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    let first = 0;
    while (
      first < words.length &&
      /^(if|then|else|elif|do|while|until|!|time|\{|[A-Za-z_]\w*=.*)$/s.test(words[first]!)
    ) {
      first += 1;
    }
    const command = words.slice(first);
    if (command.length > 0 && !/^(fi|done|esac|\}|\))$/.test(command[0] ?? '')) commands.push(command);
    words = [];
  };
  const source = script.replace(/\\\n/g, '');
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] ?? '';
    const next = source[index + 1];
    if (char === "'") {
      const close = source.indexOf("'", index + 1);
      word = (word ?? '') + source.slice(index + 1, close === -1 ? undefined : close);
      index = close === -1 ? source.length : close;
    } else if (char === '"') {
      let value = '';
      index += 1;
      while (index < source.length && source[index] !== '"') {
        if (source[index] === '\\' && /["\\$`]/.test(source[index + 1] ?? '')) index += 1;
        value += source[index] ?? '';
        index += 1;
      }
      word = (word ?? '') + value;
    } else if (char === '\\') {
      word = (word ?? '') + (next ?? '');
      index += 1;
    } else if (char === '#' && word === undefined) {
      const end = source.indexOf('\n', index);
      index = (end === -1 ? source.length : end) - 1;
    } else if (char === '\n' || char === ';' || char === '|' || (char === '&' && next === '&')) {
      endCommand();
      if ((char === '|' && next === '|') || (char === '&' && next === '&')) index += 1;
    } else if (/\s/.test(char)) {
      endWord();
    } else {
      word = (word ?? '') + char;
    }
  }
  endCommand();
  return commands;
}

/** `--name value…` options of a command's words after its subcommand, and its other arguments. */
function optionsOf(words: string[]): { options: Map<string, string[]>; operands: string[] } {
  const options = new Map<string, string[]>();
  const operands: string[] = [];
  let current: string[] | undefined;
  for (const word of words) {
    if (word.startsWith('-')) {
      current = [];
      options.set(word, current);
    } else if (current) {
      current.push(word);
    } else {
      operands.push(word);
    }
  }
  return { options, operands };
}

const TEMPLATE_FILE = /\.(ya?ml|json)$/;

function sectionOf(project: Project, environment: string, command: string): Record<string, unknown> | undefined {
  const section = project.samconfig[environment];
  if (!isRecord(section)) return undefined;
  const parameters = isRecord(section[command]) ? section[command].parameters : undefined;
  return isRecord(parameters) ? parameters : undefined;
}

/**
 * `Key=Value` pairs, as SAM reads a `parameter_overrides` string or the words
 * after `--parameter-overrides`: a value in double quotes (`Key="…"`, which
 * may be empty) is read without them.
 */
export function parameterPairs(words: string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const word of words.flatMap((text) => text.split(/\s+/)).filter(Boolean)) {
    const equals = word.indexOf('=');
    if (equals > 0) pairs.set(word.slice(0, equals), word.slice(equals + 1).replace(/^"(.*)"$/s, '$1'));
  }
  return pairs;
}

/** Where a command runs, for messages and for the checks that depend on the job. */
export interface CommandSite {
  where: string;
  job: string;
  step?: Step;
}

/**
 * Problems with one command: an npm script that package.json lacks, a file
 * that does not exist, a samconfig.toml environment that is not there, a
 * `sam deploy` that would prompt or lose samconfig's parameters.
 */
function commandProblems(words: string[], site: CommandSite, project: Project, visited: Set<string>): string[] {
  const [program, subcommand, ...rest] = words;
  const where = `${site.where}: \`${words.join(' ')}\``;
  const problems: string[] = [];
  const missingFiles = (paths: string[]): string[] =>
    paths.filter((path) => !project.fileExists(path)).map((path) => `${where}: ${path} does not exist`);

  if (program === 'npm' && (subcommand === 'run' || subcommand === 'run-script' || subcommand === 'test')) {
    const script = subcommand === 'test' ? 'test' : rest[0];
    if (script === undefined) return [`${where}: which script?`];
    const body = project.scripts[script];
    if (body === undefined) return [`${where}: package.json has no script "${script}"`];
    if (visited.has(script)) return [];
    visited.add(script);
    for (const command of shellCommands(body)) {
      problems.push(...commandProblems(command, { ...site, where: `npm script ${script}` }, project, visited));
    }
  } else if (program === 'bash' || program === 'sh') {
    const path = subcommand;
    if (path === undefined || path.startsWith('-')) return problems;
    if (!project.fileExists(path)) return [`${where}: ${path} does not exist`];
    for (const command of shellCommands(project.readFile(path))) {
      problems.push(...commandProblems(command, { ...site, where: path }, project, visited));
    }
  } else if (program === 'cfn-lint') {
    problems.push(...missingFiles([subcommand ?? '', ...rest].filter((word) => TEMPLATE_FILE.test(word))));
  } else if ((program === 'tsx' || program === 'node') && subcommand !== undefined) {
    problems.push(...missingFiles([subcommand, ...rest].filter((word) => /^[\w./-]+\.(ts|js|mjs)$/.test(word))));
  } else if (program === 'sam' && subcommand !== undefined) {
    problems.push(...samProblems(subcommand, rest, where, site, project));
  }
  return problems;
}

function samProblems(subcommand: string, args: string[], where: string, site: CommandSite, project: Project): string[] {
  const problems: string[] = [];
  const { options } = optionsOf(args);
  const template = options.get('--template') ?? options.get('--template-file') ?? options.get('-t');
  if (template?.[0] !== undefined && !project.fileExists(template[0])) {
    problems.push(`${where}: ${template[0]} does not exist`);
  }
  const environment = options.get('--config-env')?.[0] ?? 'default';
  const section = sectionOf(project, environment, subcommand === 'validate' ? 'validate' : subcommand);
  if (subcommand === 'build' && section?.build_in_source !== true) {
    problems.push(`${where}: samconfig.toml's ${environment} build section does not build in source`);
  }
  if (subcommand !== 'deploy') return problems;

  if (!section) return [...problems, `${where}: samconfig.toml has no [${environment}.deploy.parameters]`];
  // Each of these is said once: by samconfig.toml's section, or on the command line when the section says otherwise.
  for (const [option, key, problem] of [
    ['--no-confirm-changeset', 'confirm_changeset', 'a pipeline cannot confirm a change set'],
    ['--no-fail-on-empty-changeset', 'fail_on_empty_changeset', 'a deploy that changes nothing would fail'],
  ] as const) {
    if (options.has(option) && section[key] === false) {
      problems.push(`${where}: ${option} repeats samconfig's ${key} = false`);
    } else if (!options.has(option) && section[key] !== false) {
      problems.push(`${where}: ${problem}`);
    }
  }
  if (options.has('--s3-bucket') && section.resolve_s3 === true) {
    problems.push(`${where}: --s3-bucket and samconfig's resolve_s3 exclude each other`);
  }
  for (const option of ['--s3-bucket', '--role-arn']) {
    const value = options.get(option)?.[0];
    if (value !== undefined && !value.startsWith('$')) {
      problems.push(`${where}: ${option} is written into the workflow instead of coming from the environment`);
    }
  }
  // On the command line, --parameter-overrides replaces samconfig's parameter_overrides for the run.
  const configured = parameterPairs([
    typeof section.parameter_overrides === 'string' ? section.parameter_overrides : '',
  ]);
  const given = options.get('--parameter-overrides');
  const effective = given ? parameterPairs(given) : configured;
  for (const [key, value] of given ? configured : []) {
    if (effective.get(key) !== value) {
      problems.push(`${where}: drops samconfig's ${key}=${value} (command-line overrides replace samconfig's)`);
    }
  }
  // The pipeline's execution role creates roles only with its bootstrap stack's permissions boundary.
  if (options.has('--role-arn') && !effective.get('PermissionsBoundaryArn')?.startsWith('$')) {
    problems.push(
      `${where}: with the pipeline's execution role, PermissionsBoundaryArn must come from the environment`,
    );
  }
  if (effective.get('Stage') === 'prod') {
    const origins = effective.get('AllowedOrigins');
    if (origins === undefined || origins.includes('*') || !origins.startsWith('$')) {
      problems.push(`${where}: prod needs AllowedOrigins from the environment's variables, never *`);
    }
  }
  return problems;
}

/** Every command of a job's `run:` steps, with where it is. */
export function jobCommands(id: string, job: Job): { words: string[]; site: CommandSite }[] {
  return (job.steps ?? []).flatMap((step, index) =>
    step.run === undefined
      ? []
      : shellCommands(step.run).map((words) => ({
          words,
          site: { where: `${id} step ${step.name ?? index + 1}`, job: id, step },
        })),
  );
}

/** Problems with the commands the workflow runs (and the scripts and files they run in turn). */
export function commandsProblems(workflow: Workflow, project: Project): string[] {
  return Object.entries(workflow.jobs).flatMap(([id, job]) =>
    jobCommands(id, job).flatMap(({ words, site }) => commandProblems(words, site, project, new Set())),
  );
}

/** Every command a job runs, scripts and files expanded, as text: `npm run check` brings in `cfn-lint …`. */
export function expandedCommands(id: string, job: Job, project: Project): string[] {
  const expand = (words: string[], visited: Set<string>): string[] => {
    const [program, subcommand, script] = words;
    const own = words.join(' ');
    if (program === 'npm' && (subcommand === 'run' || subcommand === 'test')) {
      const name = subcommand === 'test' ? 'test' : (script ?? '');
      const body = project.scripts[name];
      if (body === undefined || visited.has(name)) return [own];
      visited.add(name);
      return [own, ...shellCommands(body).flatMap((command) => expand(command, visited))];
    }
    if (program === 'bash' && subcommand !== undefined && project.fileExists(subcommand)) {
      return [own, ...shellCommands(project.readFile(subcommand)).flatMap((command) => expand(command, visited))];
    }
    return [own];
  };
  return jobCommands(id, job).flatMap(({ words }) => expand(words, new Set()));
}

// ------------------------------------------------------------------ jobs

export const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

const usesAction = (job: Job, action: string): Step[] =>
  (job.steps ?? []).filter((step) => step.uses?.split('@')[0] === action);

const CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials';

/** A job that can reach AWS or deploy: it asks for an OIDC token, takes AWS credentials or runs `sam deploy`. */
export function isDeployJob(id: string, job: Job): boolean {
  const permissions = typeof job.permissions === 'object' ? job.permissions : {};
  return (
    permissions['id-token'] === 'write' ||
    usesAction(job, CREDENTIALS_ACTION).length > 0 ||
    jobCommands(id, job).some(({ words }) => words[0] === 'sam' && words[1] === 'deploy')
  );
}

/** Anything that would be a stored AWS key or a secret, wherever it is written. */
const KEY_OR_SECRET =
  /aws-access-key-id|aws-secret-access-key|aws-session-token|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|secrets\.|\b\d{12}\b/i;

/**
 * Problems with the deploy jobs: each needs the checks, asks for an OIDC token
 * and nothing else it could write with, assumes a role named by a variable
 * before it deploys, runs in a GitHub environment (the role's trust names it),
 * never overlaps another deploy of its stage, and holds no key or secret.
 */
export function deployJobProblems(workflow: Workflow, checkJobs: string[]): string[] {
  const problems: string[] = [];
  const groups = new Map<string, string>();
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (!isDeployJob(id, job)) continue;
    const needs = needsOf(job);
    for (const check of checkJobs.filter((name) => !needs.includes(name))) {
      problems.push(`${id}: does not need ${check}`);
    }
    const permissions = typeof job.permissions === 'object' ? job.permissions : undefined;
    if (permissions?.['id-token'] !== 'write') problems.push(`${id}: no id-token: write, so no OIDC token`);
    const writes = Object.entries(permissions ?? {}).filter(
      ([scope, level]) => level === 'write' && scope !== 'id-token',
    );
    if (!permissions || writes.length > 0 || permissions.contents !== 'read') {
      problems.push(`${id}: permissions must be exactly contents: read and id-token: write`);
    }
    const environment = environmentOf(job);
    if (environment === undefined) problems.push(`${id}: runs in no GitHub environment`);
    const concurrency = typeof job.concurrency === 'object' ? job.concurrency : undefined;
    if (!concurrency || concurrency.group.includes('${{') || concurrency['cancel-in-progress'] !== false) {
      problems.push(`${id}: needs a fixed concurrency group that never cancels a deploy`);
    } else if (groups.has(concurrency.group)) {
      problems.push(`${id}: shares concurrency group ${concurrency.group} with ${groups.get(concurrency.group)}`);
    } else {
      groups.set(concurrency.group, id);
    }
    const steps = job.steps ?? [];
    const credentials = usesAction(job, CREDENTIALS_ACTION);
    const roleToAssume = credentials[0]?.with?.['role-to-assume'];
    if (
      credentials.length !== 1 ||
      typeof roleToAssume !== 'string' ||
      !/^\$\{\{\s*vars\.\w+\s*\}\}$/.test(roleToAssume)
    ) {
      problems.push(`${id}: must assume exactly one role, named by a variable (role-to-assume: \${{ vars.… }})`);
    }
    const credentialsAt = credentials[0] ? steps.indexOf(credentials[0]) : -1;
    const deployAt = steps.findIndex((step) =>
      shellCommands(step.run ?? '').some((words) => words[0] === 'sam' && words[1] === 'deploy'),
    );
    if (deployAt === -1) problems.push(`${id}: never runs sam deploy`);
    else if (credentialsAt === -1 || credentialsAt > deployAt)
      problems.push(`${id}: deploys before it has credentials`);
  }
  if (KEY_OR_SECRET.test(JSON.stringify(workflow))) {
    problems.push('the workflow mentions an AWS key, a secret or an account id');
  }
  return problems;
}

/** Problems with the jobs that run on pull requests: none may reach AWS. */
export function pullRequestProblems(workflow: Workflow, github: GitHubEvent): string[] {
  return jobsRunningOn(workflow, github)
    .filter((id) => isDeployJob(id, workflow.jobs[id]!))
    .map((id) => `${id}: runs on ${github.event_name} ${github.ref} and can reach AWS`);
}

/** `owner/repo@ref` with a full commit SHA (a tag can be moved to other code), for every action. */
export function unpinnedActions(workflow: Workflow): string[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .flatMap((step) => (step.uses === undefined ? [] : [step.uses]))
    .filter((uses) => !/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*@[0-9a-f]{40}$/.test(uses));
}

/**
 * A job's environment variables that carry a GitHub variable under another
 * name: the checks and their messages name the environment variable, which
 * must then be the variable to set.
 */
export function renamedVariables(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs).flatMap(([id, job]) =>
    Object.entries(job.env ?? {}).flatMap(([name, value]) => {
      const variable = typeof value === 'string' ? /^\$\{\{\s*vars\.(\w+)\s*\}\}$/.exec(value)?.[1] : undefined;
      return variable === undefined || variable === name ? [] : [`${id}: ${name} carries vars.${variable}`];
    }),
  );
}
