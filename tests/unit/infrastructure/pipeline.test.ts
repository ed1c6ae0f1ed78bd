import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { esbuildTargetOf, PROJECT_ROOT, readTemplate, type Resource } from '../../../scripts/sam-template.js';
import {
  commandsProblems,
  deployJobProblems,
  environmentOf,
  evaluateCondition,
  expandedCommands,
  jobCommands,
  jobsRunningOn,
  parameterPairs,
  parseWorkflow,
  pullRequestProblems,
  renamedVariables,
  shellCommands,
  unpinnedActions,
  type GitHubEvent,
  type Project,
  type Workflow,
} from './pipeline-checks.js';

/**
 * The GitHub Actions pipeline (.github/workflows/pipeline.yml) and the
 * template that lets it into AWS (pipeline/github-oidc.yaml): which jobs run
 * for which event, that every command they run exists, that only deploy jobs
 * reach AWS and only through OIDC, and that the role's trust names this
 * repository's environments exactly. Each check is also shown to catch a
 * broken copy of the workflow.
 */

const WORKFLOW_PATH = '.github/workflows/pipeline.yml';
const BOOTSTRAP_PATH = 'pipeline/github-oidc.yaml';
const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8');

const workflow = parseWorkflow(read(WORKFLOW_PATH));
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const samconfig = parseToml(read('samconfig.toml')) as Record<string, unknown>;
const project: Project = {
  scripts,
  samconfig,
  fileExists: (path) => existsSync(join(PROJECT_ROOT, path)),
  readFile: read,
};
const bootstrap = readTemplate(join(PROJECT_ROOT, BOOTSTRAP_PATH));

const PULL_REQUEST: GitHubEvent = { event_name: 'pull_request', ref: 'refs/pull/7/merge' };
const PUSH_MAIN: GitHubEvent = { event_name: 'push', ref: 'refs/heads/main' };
const PUSH_VERSION_TAG: GitHubEvent = { event_name: 'push', ref: 'refs/tags/v1.4.0' };
const PUSH_OTHER_TAG: GitHubEvent = { event_name: 'push', ref: 'refs/tags/nightly' };
/** The jobs every deploy waits for. */
const CHECK_JOBS = ['check', 'build'];

const copyOfWorkflow = (): Workflow => structuredClone(workflow);
const job = (copy: Workflow, id: string) => {
  const found = copy.jobs[id];
  if (!found) throw new Error(`The workflow has no job ${id}.`);
  return found;
};
/** The step of a job whose `run:` contains `text`, which must be exactly one. */
function stepRunning(copy: Workflow, id: string, text: string) {
  const steps = (job(copy, id).steps ?? []).filter((step) => step.run?.includes(text));
  expect(steps).toHaveLength(1);
  return steps[0]!;
}
const deployJobIds = Object.keys(workflow.jobs).filter((id) => id.startsWith('deploy-'));
const deployEnvironments = deployJobIds.map((id) => environmentOf(job(workflow, id)));
const samParameters = (environment: string, command: string): Record<string, unknown> => {
  const section = samconfig[environment] as Record<string, { parameters?: Record<string, unknown> }> | undefined;
  return section?.[command]?.parameters ?? {};
};

describe('when the workflow runs', () => {
  test('on pull requests, on pushes to main and on version tags', () => {
    expect(workflow.on).toEqual({ pull_request: null, push: { branches: ['main'], tags: ['v*'] } });
  });

  test('a pull request runs the checks only, and nothing that can reach AWS', () => {
    expect(jobsRunningOn(workflow, PULL_REQUEST)).toEqual(CHECK_JOBS);
    expect(pullRequestProblems(workflow, PULL_REQUEST)).toEqual([]);
  });

  test('main deploys dev and a version tag deploys prod, each after the same checks', () => {
    expect(jobsRunningOn(workflow, PUSH_MAIN)).toEqual([...CHECK_JOBS, 'deploy-dev']);
    expect(jobsRunningOn(workflow, PUSH_VERSION_TAG)).toEqual([...CHECK_JOBS, 'deploy-prod']);
    expect(jobsRunningOn(workflow, PUSH_OTHER_TAG)).toEqual(CHECK_JOBS);
    expect(deployEnvironments).toEqual(['dev', 'prod']);
  });

  test('a job whose needs did not run is skipped, as GitHub skips it', () => {
    expect(evaluateCondition("github.ref == 'refs/heads/main'", PUSH_MAIN, false)).toBe(false);
    expect(evaluateCondition("${{ always() && github.ref == 'refs/heads/MAIN' }}", PUSH_MAIN, false)).toBe(true);
    expect(evaluateCondition("startsWith(github.ref, 'refs/tags/v') || !(1 == 1)", PUSH_VERSION_TAG)).toBe(true);
    expect(() => evaluateCondition("vars.DEPLOY == 'yes'", PUSH_MAIN)).toThrow('not known before the run');
  });
});

describe('what the workflow runs', () => {
  const checkCommands = CHECK_JOBS.flatMap((id) => expandedCommands(id, job(workflow, id), project));

  test('the checks run what CI runs: cfn-lint from pip, npm ci, npm run check, sam validate --lint, sam build', () => {
    for (const expected of [
      /pip install .*cfn-lint/,
      /^npm ci$/,
      /^npm run check$/,
      /^sam validate --lint$/,
      /^sam build$/,
    ]) {
      expect({ expected: String(expected), found: checkCommands.some((command) => expected.test(command)) }).toEqual({
        expected: String(expected),
        found: true,
      });
    }
    // npm run check lints both templates and runs every test.
    expect(checkCommands).toContain('npm run lint:template');
    expect(checkCommands).toContain(`cfn-lint --non-zero-exit-code warning template.yaml ${BOOTSTRAP_PATH}`);
    expect(checkCommands).toContain('npm test');
  });

  test("on Java 17 for DynamoDB Local, and on Lambda's Node.js as well as the oldest one development supports", () => {
    const steps = CHECK_JOBS.flatMap((id) => job(workflow, id).steps ?? []);
    expect(steps.find((step) => step.uses?.startsWith('actions/setup-java@'))?.with?.['java-version']).toBe('17');
    const lambdaNode = Number(esbuildTargetOf(readTemplate().Globals?.Function?.Runtime).replace('node', ''));
    expect(job(workflow, 'check').strategy?.matrix?.node).toEqual([20, lambdaNode]);
    for (const id of ['build', ...deployJobIds]) {
      const setupNode = (job(workflow, id).steps ?? []).find((step) => step.uses?.startsWith('actions/setup-node@'));
      expect({ id, node: setupNode?.with?.['node-version'] }).toEqual({ id, node: lambdaNode });
    }
  });

  test('every command exists: npm scripts, files, samconfig.toml environments, templates', () => {
    expect(commandsProblems(workflow, project)).toEqual([]);
  });

  test('every action is pinned to a commit', () => {
    expect(unpinnedActions(workflow)).toEqual([]);
  });

  test('each GitHub variable reaches the jobs under its own name, the one their messages give', () => {
    expect(renamedVariables(workflow)).toEqual([]);
  });
});

describe('the deploy jobs', () => {
  test('need the checks, take an OIDC token, assume a role from a variable, never overlap, hold no keys', () => {
    expect(deployJobProblems(workflow, CHECK_JOBS)).toEqual([]);
  });

  test('the checks grant nothing beyond reading the repository', () => {
    expect(workflow.permissions).toEqual({});
    for (const id of CHECK_JOBS)
      expect({ id, permissions: job(workflow, id).permissions }).toEqual({ id, permissions: { contents: 'read' } });
  });

  test('the tests against dev run on the stack just deployed, named as samconfig.toml names it', () => {
    const cloudTests = stepRunning(workflow, 'deploy-dev', 'npm run test:cloud');
    const deploy = jobCommands('deploy-dev', job(workflow, 'deploy-dev')).find(({ words }) => words[1] === 'deploy');
    const environment = deploy?.words[deploy.words.indexOf('--config-env') + 1];
    expect(environment).toBe('dev');
    expect(cloudTests.env?.STACK_NAME).toBe(samParameters('dev', 'global').stack_name);
    const steps = job(workflow, 'deploy-dev').steps ?? [];
    expect(steps.indexOf(cloudTests)).toBeGreaterThan(steps.indexOf(deploy!.site.step!));
  });

  test.each(deployJobIds)('%s publishes the agent console to the stack it has just deployed', (id) => {
    const commands = jobCommands(id, job(workflow, id));
    const configEnvOf = (words: string[]) => words[words.indexOf('--config-env') + 1];
    const deploy = commands.find(({ words }) => words[0] === 'sam' && words[1] === 'deploy');
    const publish = commands.filter(({ words }) => words.slice(0, 3).join(' ') === 'npm run deploy:console');
    expect(publish).toHaveLength(1);
    expect(configEnvOf(publish[0]!.words)).toBe(configEnvOf(deploy!.words));
    expect(configEnvOf(publish[0]!.words)).toBe(environmentOf(job(workflow, id)));
    const steps = job(workflow, id).steps ?? [];
    expect(steps.indexOf(publish[0]!.site.step!)).toBe(steps.indexOf(deploy!.site.step!) + 1);
  });

  test("prod takes AllowedOrigins and AlarmEmail from the prod environment's variables, never *", () => {
    const prod = job(workflow, 'deploy-prod');
    const deploy = jobCommands('deploy-prod', prod).find(({ words }) => words[1] === 'deploy')!;
    const overrides = parameterPairs(deploy.words.slice(deploy.words.indexOf('--parameter-overrides') + 1));
    expect(overrides.get('AllowedOrigins')).toBe('$PROD_ALLOWED_ORIGINS');
    expect(overrides.get('AlarmEmail')).toBe('$PROD_ALARM_EMAIL');
    // Quoted for SAM, which reads AllowedOrigins="" as empty (an unset variable: the console alone) but refuses
    // AllowedOrigins= with nothing after it.
    expect(deploy.words).toContain('AllowedOrigins="$PROD_ALLOWED_ORIGINS"');
    const written = /"AllowedOrigins=(?:\\"|[^"])*"/.exec(deploy.site.step?.run ?? '')?.[0] ?? 'missing';
    const expanded = spawnSync('bash', ['-c', `printf %s ${written}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PROD_ALLOWED_ORIGINS: '' },
    });
    expect(expanded.stdout).toBe('AllowedOrigins=""');
    expect(prod.env).toMatchObject({
      PROD_ALLOWED_ORIGINS: '${{ vars.PROD_ALLOWED_ORIGINS }}',
      PROD_ALARM_EMAIL: '${{ vars.PROD_ALARM_EMAIL }}',
    });
  });

  test.each([
    ['https://support.example.com', 'ops@example.com', 0],
    ['https://support.example.com,https://admin.example.com:8443', 'ops@example.com', 0],
    ['*', 'ops@example.com', 1],
    ['https://support.example.com,*', 'ops@example.com', 1],
    ['http://support.example.com', 'ops@example.com', 1],
    ['https://support.example.com https://admin.example.com', 'ops@example.com', 1],
    // Unset: the agent console alone (the template's empty AllowedOrigins).
    ['', 'ops@example.com', 0],
    ['https://support.example.com', '', 1],
    ['https://support.example.com', 'ops@example.com other@example.com', 1],
  ])('prod with origins %j and alarm e-mail %j: its variables check exits with %d', (origins, email, status) => {
    const prod = job(workflow, 'deploy-prod');
    const steps = prod.steps ?? [];
    // Its first step checks the variables before the job authenticates; bash -e runs it as GitHub does.
    const credentialsAt = steps.findIndex((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentialsAt).toBeGreaterThan(0);
    const variables = {
      AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::role/deploy',
      CLOUDFORMATION_EXECUTION_ROLE_ARN: 'arn:aws:iam::role/execution',
      ARTIFACTS_BUCKET: 'artifacts',
      AWS_REGION: 'eu-west-1',
      PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::policy/boundary',
      PROD_ALLOWED_ORIGINS: origins,
      PROD_ALARM_EMAIL: email,
    };
    expect(Object.keys(variables).sort()).toEqual(Object.keys(prod.env ?? {}).sort());
    const result = spawnSync('bash', ['-e', '-c', steps[0]?.run ?? 'exit 2'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...variables },
    });
    expect(result.status).toBe(status);
  });

  test.each(['dev', 'prod'])('%s: a missing variable is named in the error, as it is to be set', (stage) => {
    const deployJob = job(workflow, `deploy-${stage}`);
    const check = deployJob.steps?.[0]?.run ?? 'exit 2';
    const variables = Object.fromEntries(Object.keys(deployJob.env ?? {}).map((name) => [name, 'x']));
    // Prod's own format checks come after this loop; they are tested above.
    for (const name of Object.keys(variables).filter((key) => !key.startsWith('PROD_'))) {
      const result = spawnSync('bash', ['-e', '-c', check], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...variables, [name]: '' },
      });
      expect({ name, status: result.status, stdout: result.stdout }).toEqual({
        name,
        status: 1,
        stdout: `::error::The ${stage} environment lacks the variable ${name} (README, Continuous delivery).\n`,
      });
    }
  });

  test.each(['dev', 'prod'])(
    "%s passes the bootstrap stack's permissions boundary, after samconfig.toml's parameters",
    (stage) => {
      const deployJob = job(workflow, `deploy-${stage}`);
      const deploy = jobCommands(`deploy-${stage}`, deployJob).find(({ words }) => words[1] === 'deploy')!;
      const overrides = parameterPairs(deploy.words.slice(deploy.words.indexOf('--parameter-overrides') + 1));
      expect(overrides.get('PermissionsBoundaryArn')).toBe('$PERMISSIONS_BOUNDARY_ARN');
      expect(deployJob.env?.PERMISSIONS_BOUNDARY_ARN).toBe('${{ vars.PERMISSIONS_BOUNDARY_ARN }}');
      const configured = parameterPairs([samParameters(stage, 'deploy').parameter_overrides as string]);
      expect(configured.get('Stage')).toBe(stage);
      for (const [key, value] of configured) expect({ key, value: overrides.get(key) }).toEqual({ key, value });
    },
  );
});

describe('a broken copy of the workflow is caught', () => {
  test('an npm script that package.json lacks', () => {
    const copy = copyOfWorkflow();
    const step = stepRunning(copy, 'deploy-dev', 'npm run test:cloud');
    step.run = 'npm run test:clod';
    expect(commandsProblems(copy, project)).toEqual([
      'deploy-dev step Tests against the deployed stack: `npm run test:clod`: package.json has no script "test:clod"',
    ]);
  });

  test('a script file or a template that does not exist', () => {
    const copy = copyOfWorkflow();
    stepRunning(copy, 'check', 'bash .ci/run').run = 'bash .ci/runs';
    stepRunning(copy, 'build', 'sam validate').run =
      'sam validate --lint --template template.yml\ncfn-lint pipeline/oidc.yaml';
    expect(commandsProblems(copy, project)).toEqual([
      'check step Install cfn-lint, npm ci, npm run check: `bash .ci/runs`: .ci/runs does not exist',
      'build step 5: `sam validate --lint --template template.yml`: template.yml does not exist',
      'build step 5: `cfn-lint pipeline/oidc.yaml`: pipeline/oidc.yaml does not exist',
    ]);
  });

  test('a deploy without an OIDC token, or without the checks', () => {
    const copy = copyOfWorkflow();
    const prod = job(copy, 'deploy-prod');
    prod.permissions = { contents: 'read' };
    job(copy, 'deploy-dev').needs = ['build'];
    expect(deployJobProblems(copy, CHECK_JOBS)).toEqual([
      'deploy-dev: does not need check',
      'deploy-prod: no id-token: write, so no OIDC token',
    ]);
  });

  test('a deploy that a pull request would run', () => {
    const copy = copyOfWorkflow();
    delete job(copy, 'deploy-dev').if;
    expect(pullRequestProblems(copy, PULL_REQUEST)).toEqual([
      'deploy-dev: runs on pull_request refs/pull/7/merge and can reach AWS',
    ]);
  });

  test('stored AWS keys, a role written in, shared or cancelling concurrency', () => {
    const copy = copyOfWorkflow();
    const dev = job(copy, 'deploy-dev');
    const credentials = dev.steps?.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    credentials!.with = {
      'aws-access-key-id': '${{ secrets.AWS_ACCESS_KEY_ID }}',
      'aws-secret-access-key': '${{ secrets.AWS_SECRET_ACCESS_KEY }}',
      'aws-region': 'eu-west-1',
    };
    dev.concurrency = { group: 'deploy-prod', 'cancel-in-progress': false };
    job(copy, 'deploy-prod').concurrency = { group: 'deploy-prod', 'cancel-in-progress': true };
    expect(deployJobProblems(copy, CHECK_JOBS)).toEqual([
      'deploy-dev: must assume exactly one role, named by a variable (role-to-assume: ${{ vars.… }})',
      'deploy-prod: needs a fixed concurrency group that never cancels a deploy',
      'the workflow mentions an AWS key, a secret or an account id',
    ]);
  });

  test("a prod deploy that drops samconfig.toml's parameters or takes any origin", () => {
    const copy = copyOfWorkflow();
    const step = stepRunning(copy, 'deploy-prod', 'sam deploy');
    step.run = step
      .run!.replace(' LogRetentionInDays=365', '')
      .replace('"AllowedOrigins=\\"$PROD_ALLOWED_ORIGINS\\""', 'AllowedOrigins=*');
    const problems = commandsProblems(copy, project);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/drops samconfig's LogRetentionInDays=365/);
    expect(problems[1]).toMatch(/prod needs AllowedOrigins from the environment's variables, never \*$/);
  });

  test('a deploy to a samconfig.toml environment that does not exist, or that resolves its own bucket', () => {
    const copy = copyOfWorkflow();
    const step = stepRunning(copy, 'deploy-dev', 'sam deploy');
    const original = step.run!;
    step.run = original.replace('--config-env dev', '--config-env staging');
    expect(commandsProblems(copy, project)).toEqual([
      expect.stringMatching(/samconfig\.toml has no \[staging\.deploy\.parameters\]$/),
    ]);
    step.run = original.replace('--config-env dev', '--config-env default');
    expect(commandsProblems(copy, project)).toEqual([
      expect.stringMatching(/a pipeline cannot confirm a change set$/),
      expect.stringMatching(/a deploy that changes nothing would fail$/),
      expect.stringMatching(/--s3-bucket and samconfig's resolve_s3 exclude each other$/),
    ]);
  });

  test("a dev deploy that drops samconfig.toml's Stage=dev, or the permissions boundary", () => {
    const copy = copyOfWorkflow();
    const step = stepRunning(copy, 'deploy-dev', 'sam deploy');
    const original = step.run!;
    step.run = original.replace('Stage=dev ', '');
    expect(commandsProblems(copy, project)).toEqual([expect.stringMatching(/drops samconfig's Stage=dev/)]);
    step.run = original.replace(' "PermissionsBoundaryArn=$PERMISSIONS_BOUNDARY_ARN"', '');
    expect(commandsProblems(copy, project)).toEqual([
      expect.stringMatching(/PermissionsBoundaryArn must come from the environment$/),
    ]);
  });

  test("a deploy flag that repeats samconfig.toml's section, or one that prod's section lacks", () => {
    const copy = copyOfWorkflow();
    const dev = stepRunning(copy, 'deploy-dev', 'sam deploy');
    dev.run = dev.run!.replace(
      '--config-env dev',
      '--config-env dev --no-confirm-changeset --no-fail-on-empty-changeset',
    );
    const prod = stepRunning(copy, 'deploy-prod', 'sam deploy');
    prod.run = prod.run!.replace(' --no-confirm-changeset', '');
    expect(commandsProblems(copy, project)).toEqual([
      expect.stringMatching(/^deploy-dev .*--no-confirm-changeset repeats samconfig's confirm_changeset = false$/),
      expect.stringMatching(
        /^deploy-dev .*--no-fail-on-empty-changeset repeats samconfig's fail_on_empty_changeset = false$/,
      ),
      expect.stringMatching(/^deploy-prod .*a pipeline cannot confirm a change set$/),
    ]);
  });

  test('a GitHub variable read under another name', () => {
    const copy = copyOfWorkflow();
    job(copy, 'deploy-dev').env!.DEPLOY_REGION = '${{ vars.AWS_REGION }}';
    expect(renamedVariables(copy)).toEqual(['deploy-dev: DEPLOY_REGION carries vars.AWS_REGION']);
  });

  test('an action on a branch or a tag', () => {
    const copy = copyOfWorkflow();
    job(copy, 'build').steps![0]!.uses = 'actions/checkout@main';
    job(copy, 'check').steps![0]!.uses = 'actions/checkout@v4';
    expect(unpinnedActions(copy)).toEqual(['actions/checkout@v4', 'actions/checkout@main']);
  });
});

describe('the shell reading the checks rely on', () => {
  test('splits commands as bash does', () => {
    expect(
      shellCommands(
        [
          'if ! command -v x >/dev/null 2>&1 || [ "$(f)" -lt 17 ]; then a+=(b); fi # a comment',
          "NODE_OPTIONS='--a --b' jest --selectProjects unit && npm run lint",
          'sam deploy \\\n  --parameter-overrides Stage=prod "AllowedOrigins=$ORIGINS" \'X=a b\'',
          "python3 -m pip install 'cfn-lint>=1.51,<2'",
        ].join('\n'),
      ),
    ).toEqual([
      ['command', '-v', 'x', '>/dev/null', '2>&1'],
      ['[', '$(f)', '-lt', '17', ']'],
      ['a+=(b)'],
      ['jest', '--selectProjects', 'unit'],
      ['npm', 'run', 'lint'],
      ['sam', 'deploy', '--parameter-overrides', 'Stage=prod', 'AllowedOrigins=$ORIGINS', 'X=a b'],
      ['python3', '-m', 'pip', 'install', 'cfn-lint>=1.51,<2'],
    ]);
  });
});

describe('the bootstrap template (pipeline/github-oidc.yaml)', () => {
  const parameters = bootstrap.Parameters ?? {};
  const resource = (id: string): Resource => {
    const found = bootstrap.Resources[id];
    if (!found) throw new Error(`${BOOTSTRAP_PATH} has no ${id}.`);
    return found;
  };
  interface Statement {
    Effect: string;
    Action: string | string[];
    Resource?: unknown;
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
  }
  const statementsOf = (document: unknown): Statement[] => (document as { Statement: Statement[] }).Statement;
  const actionsOf = (statement: Statement): string[] =>
    typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
  const rolePolicyStatements = (id: string): Statement[] => {
    const inline = (resource(id).Properties?.Policies ?? []) as { PolicyDocument: unknown }[];
    const attached = Object.values(bootstrap.Resources)
      .filter(
        (other) =>
          other.Type === 'AWS::IAM::RolePolicy' &&
          JSON.stringify(other.Properties?.RoleName) === JSON.stringify({ Ref: id }),
      )
      .map((other) => ({ PolicyDocument: other.Properties?.PolicyDocument }));
    return [...inline, ...attached].flatMap((policy) => statementsOf(policy.PolicyDocument));
  };
  const appTemplate = readTemplate();
  /** IAM's wildcards in an action: `*` any run of characters, `?` one; case does not matter. */
  const actionMatches = (pattern: string, action: string): boolean =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
      'i',
    ).test(action);
  const resourcesOf = (statement: Statement): unknown[] =>
    Array.isArray(statement.Resource) ? (statement.Resource as unknown[]) : [statement.Resource];
  const allows = (statements: Statement[], action: string): Statement[] =>
    statements.filter(
      (statement) =>
        statement.Effect === 'Allow' && actionsOf(statement).some((pattern) => actionMatches(pattern, action)),
    );

  /** Cognito rights not conditioned on the pool's stack tag being the stage's app stack. */
  const cognitoGrantProblems = (statements: Statement[], tagKey: string): string[] =>
    statements
      .filter(
        (statement) =>
          statement.Effect === 'Allow' && actionsOf(statement).some((action) => action.startsWith('cognito-idp:')),
      )
      .filter(
        (statement) =>
          JSON.stringify(statement.Condition) !==
          JSON.stringify({
            StringEquals: { [`aws:ResourceTag/${tagKey}`]: { 'Fn::Sub': 'aws-support-system-${Stage}' } },
          }),
      )
      .map(
        (statement) =>
          `${actionsOf(statement).join(', ')} on ${JSON.stringify(statement.Resource)} is not limited to the user pool tagged ${tagKey}`,
      );

  /** What CloudFormation needs to give a role rights: allowed only with AppRoleBoundary on the role. */
  const GRANTING_ROLE_RIGHTS = [
    'iam:CreateRole',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:PutRolePermissionsBoundary',
  ];
  /** Lambda actions on what no name pattern can match (event source mappings are UUIDs). */
  const EVENT_SOURCE_MAPPING_ACTIONS = [
    'lambda:CreateEventSourceMapping',
    'lambda:GetEventSourceMapping',
    'lambda:UpdateEventSourceMapping',
    'lambda:DeleteEventSourceMapping',
    'lambda:ListEventSourceMappings',
  ];
  const executionRoleProblems = (statements: Statement[]): string[] => {
    const problems: string[] = [];
    const withinBoundary = { StringEquals: { 'iam:PermissionsBoundary': { Ref: 'AppRoleBoundary' } } };
    for (const action of GRANTING_ROLE_RIGHTS) {
      const granting = allows(statements, action);
      if (granting.length === 0) problems.push(`${action} is not allowed: CloudFormation cannot create the roles`);
      if (granting.some((statement) => JSON.stringify(statement.Condition) !== JSON.stringify(withinBoundary))) {
        problems.push(`${action} is allowed without AppRoleBoundary as the permissions boundary`);
      }
    }
    for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) {
      if (!resourcesOf(statement).includes('*')) continue;
      for (const action of actionsOf(statement)) {
        const service = action.split(':')[0];
        if (service === 'iam' || (service === 'lambda' && !EVENT_SOURCE_MAPPING_ACTIONS.includes(action))) {
          problems.push(`${action} is allowed on *`);
        }
      }
    }
    const denies = (action: string, resource: unknown): boolean =>
      statements.some(
        (statement) =>
          statement.Effect === 'Deny' &&
          actionsOf(statement).some((pattern) => actionMatches(pattern, action)) &&
          resourcesOf(statement).some((denied) => JSON.stringify(denied) === JSON.stringify(resource)),
      );
    if (!denies('iam:DeleteRolePermissionsBoundary', '*'))
      problems.push('iam:DeleteRolePermissionsBoundary is not denied');
    for (const action of ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy']) {
      if (!denies(action, { Ref: 'AppRoleBoundary' })) problems.push(`${action} on AppRoleBoundary is not denied`);
    }
    // The transform's permission is checked on whoever creates the change set: the deploy role.
    if (allows(statements, 'cloudformation:CreateChangeSet').length > 0) {
      problems.push('cloudformation:CreateChangeSet is allowed, which CloudFormation never asks of this role');
    }
    return problems;
  };

  const boundaryStatements = (): Statement[] => statementsOf(resource('AppRoleBoundary').Properties?.PolicyDocument);
  /** What the managed policies SAM and the template attach to roles allow (the AWS policies' documents). */
  const MANAGED_POLICY_ACTIONS: Record<string, string[]> = {
    AWSLambdaBasicExecutionRole: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    AWSXrayWriteOnlyAccess: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
    AWSLambdaDynamoDBExecutionRole: [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ],
    AmazonAPIGatewayPushToCloudWatchLogs: [
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutLogEvents',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
    ],
  };
  /** SAM policy templates, as the calls the functions make with them. */
  const POLICY_TEMPLATE_ACTIONS: Record<string, string[]> = {
    // An event source mapping's failure destination sends one message per failed batch.
    SQSSendMessagePolicy: ['sqs:SendMessage'],
  };
  const managed = (name: string): string[] => {
    const actions = MANAGED_POLICY_ACTIONS[name];
    if (!actions) throw new Error(`The managed policy ${name} needs its actions listed here.`);
    return actions;
  };
  /** Every action a role of template.yaml is given: its statements, SAM's policy templates and managed policies. */
  const appRoleActions = (): string[] => {
    const actions: string[] = [];
    const tracing = appTemplate.Globals?.Function?.Tracing;
    for (const candidate of Object.values(appTemplate.Resources)) {
      const properties = candidate.Properties ?? {};
      if (candidate.Type === 'AWS::Serverless::Function') {
        actions.push(...managed('AWSLambdaBasicExecutionRole'));
        if ((properties.Tracing ?? tracing) === 'Active') actions.push(...managed('AWSXrayWriteOnlyAccess'));
        const events = Object.values((properties.Events ?? {}) as Record<string, { Type: string }>);
        if (events.some((event) => event.Type === 'DynamoDB'))
          actions.push(...managed('AWSLambdaDynamoDBExecutionRole'));
        for (const policy of (properties.Policies ?? []) as Record<string, unknown>[]) {
          if ('Statement' in policy) {
            actions.push(...(policy.Statement as Statement[]).flatMap(actionsOf));
            continue;
          }
          for (const name of Object.keys(policy)) {
            const templateActions = POLICY_TEMPLATE_ACTIONS[name];
            if (!templateActions) throw new Error(`The policy template ${name} needs its actions listed here.`);
            actions.push(...templateActions);
          }
        }
      }
      if (candidate.Type === 'AWS::IAM::Role') {
        for (const policy of (properties.Policies ?? []) as { PolicyDocument: unknown }[]) {
          actions.push(...statementsOf(policy.PolicyDocument).flatMap(actionsOf));
        }
        for (const arn of (properties.ManagedPolicyArns ?? []) as unknown[]) {
          actions.push(...managed(/policy\/(?:service-role\/)?([\w-]+)/.exec(JSON.stringify(arn))?.[1] ?? String(arn)));
        }
      }
    }
    return [...new Set(actions)];
  };
  /** Services whose rights would let a role act beyond the app: never in the boundary. */
  const OUTSIDE_THE_APP = /^(\*|iam:|sts:|lambda:|cognito-idp:|organizations:|cloudformation:)/;
  const boundaryProblems = (statements: Statement[], needed: string[]): string[] => [
    ...needed
      .filter((action) => allows(statements, action).length === 0)
      .map((action) => `${action}, which a role of template.yaml has, is outside the boundary`),
    ...statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf)
      .filter((action) => OUTSIDE_THE_APP.test(action))
      .map((action) => `the boundary allows ${action}`),
  ];
  const federatedRoles = Object.entries(bootstrap.Resources).filter(
    ([, candidate]) =>
      candidate.Type === 'AWS::IAM::Role' &&
      statementsOf(candidate.Properties?.AssumeRolePolicyDocument).some((statement) =>
        actionsOf(statement).includes('sts:AssumeRoleWithWebIdentity'),
      ),
  );

  test("GitHub's tokens get one role, for this repository's environment of the stage and STS's audience only", () => {
    expect(federatedRoles.map(([id]) => id)).toEqual(['GitHubDeployRole']);
    const trust = statementsOf(resource('GitHubDeployRole').Properties?.AssumeRolePolicyDocument);
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Principal: {
          Federated: {
            'Fn::If': [
              'CreatesOidcProvider',
              { Ref: 'GitHubOidcProvider' },
              {
                'Fn::Sub':
                  'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com',
              },
            ],
          },
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        // StringEquals, never StringLike: no wildcard reaches the subject.
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': {
              'Fn::Sub': 'repo:${GitHubRepository}:environment:${Stage}',
            },
          },
        },
      },
    ]);
  });

  test("the stages it takes are the deploy jobs' environments, and the repository can name only one", () => {
    expect([...(parameters.Stage?.AllowedValues as string[])].sort()).toEqual([...deployEnvironments].sort());
    const repository = new RegExp(parameters.GitHubRepository?.AllowedPattern as string);
    expect(repository.test('octo-org/octo-repo')).toBe(true);
    for (const wildcard of ['octo-org/*', '*', 'octo-org/octo-repo:ref:refs/heads/main', 'octo-org/octo-repo/x']) {
      expect({ wildcard, accepted: repository.test(wildcard) }).toEqual({ wildcard, accepted: false });
    }
  });

  test("GitHub's identity provider is made only when asked, for STS's audience", () => {
    expect(resource('GitHubOidcProvider')).toEqual({
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'CreatesOidcProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
    expect(bootstrap.Conditions?.CreatesOidcProvider).toEqual({
      'Fn::Equals': [{ Ref: 'CreateOidcProvider' }, 'true'],
    });
  });

  test("the deploy role changes only the stage's stack, uploads under its prefix, and passes the execution role to CloudFormation only", () => {
    const statements = rolePolicyStatements('GitHubDeployRole');
    for (const statement of statements) {
      expect({
        actions: actionsOf(statement),
        wildcard: actionsOf(statement).some((action) => action.includes('*')),
      }).toEqual({
        actions: actionsOf(statement),
        wildcard: false,
      });
    }
    const passRole = statements.filter((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': ['CloudFormationExecutionRole', 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      }),
    ]);
    const changeSets = statements.find((statement) => actionsOf(statement).includes('cloudformation:ExecuteChangeSet'));
    expect(changeSets?.Resource).toEqual({
      'Fn::Sub':
        'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/aws-support-system-${Stage}/*',
    });
    const uploads = statements.find((statement) => actionsOf(statement).includes('s3:PutObject'));
    expect(uploads?.Resource).toEqual({ 'Fn::Sub': '${ArtifactsBucket.Arn}/aws-support-system-${Stage}/*' });
    // The stack and prefix the template allows are the ones samconfig.toml deploys.
    for (const stage of deployEnvironments) {
      expect(samParameters(stage!, 'global').stack_name).toBe(`aws-support-system-${stage}`);
      expect(samParameters(stage!, 'deploy').s3_prefix).toBe(`aws-support-system-${stage}`);
    }
  });

  test("npm run deploy:console writes into the stage's console bucket only, and invalidates only its distribution", () => {
    const statements = rolePolicyStatements('GitHubDeployRole');
    const consoleBucketObjects = {
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::aws-support-system-${Stage}-consolebucket-*/*',
    };
    // Writes only: it never lists, reads or deletes the console's files.
    expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes('consolebucket'))).toEqual([
      { Sid: 'UploadConsole', Effect: 'Allow', Action: 's3:PutObject', Resource: consoleBucketObjects },
    ]);
    // A distribution's id is random: the grant asks for the tag the app template gives the stage's distribution.
    const invalidations = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('cloudfront:')),
    );
    expect(invalidations).toEqual([
      {
        Sid: 'InvalidateConsole',
        Effect: 'Allow',
        Action: 'cloudfront:CreateInvalidation',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/*' },
        Condition: {
          StringEquals: { 'aws:ResourceTag/aws-support-system:stack': { 'Fn::Sub': 'aws-support-system-${Stage}' } },
        },
      },
    ]);
    expect(appTemplate.Resources.ConsoleDistribution?.Properties?.Tags).toEqual([
      { Key: 'aws-support-system:stack', Value: { Ref: 'AWS::StackName' } },
    ]);
    // It reads the stack's outputs first.
    expect(statements.flatMap(actionsOf)).toContain('cloudformation:DescribeStacks');
  });

  test("the execution role manages the stage's console bucket, and no other bucket nor any object", () => {
    const s3 = rolePolicyStatements('CloudFormationExecutionRole').filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    expect(s3.map((statement) => ({ actions: actionsOf(statement), resource: statement.Resource }))).toEqual([
      { actions: ['s3:GetObject'], resource: { 'Fn::Sub': '${ArtifactsBucket.Arn}/aws-support-system-${Stage}/*' } },
      {
        actions: ['s3:*'],
        resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::aws-support-system-${Stage}-consolebucket-*' },
      },
    ]);
    // CloudFormation names the bucket <stack>-<logical id>-<suffix> in lower case (no name of its own), which
    // for every stage stays within S3's 63 characters and so keeps the whole stack name.
    const buckets = Object.entries(appTemplate.Resources).filter(([, other]) => other.Type === 'AWS::S3::Bucket');
    expect(buckets.map(([id, bucket]) => ({ id, name: bucket.Properties?.BucketName }))).toEqual([
      { id: 'ConsoleBucket', name: undefined },
    ]);
    const stages = (bootstrap.Parameters?.Stage as { AllowedValues: string[] }).AllowedValues;
    for (const stage of stages) {
      const generated = `aws-support-system-${stage}-ConsoleBucket-xxxxxxxxxxxx`.toLowerCase();
      expect(generated.length).toBeLessThanOrEqual(63);
      expect(generated.startsWith(`aws-support-system-${stage}-consolebucket-`)).toBe(true);
    }
  });

  test('dev may run the tests against the deployed stack: its outputs and the users they make', () => {
    expect(resource('CloudTestPolicy').Condition).toBe('RunsCloudTests');
    expect(bootstrap.Conditions?.RunsCloudTests).toEqual({ 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] });
    const actions = rolePolicyStatements('GitHubDeployRole').flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining([
        'cloudformation:DescribeStacks',
        'cognito-idp:AdminCreateUser',
        'cognito-idp:AdminSetUserPassword',
        'cognito-idp:AdminAddUserToGroup',
        'cognito-idp:AdminInitiateAuth',
        'cognito-idp:AdminDeleteUser',
      ]),
    );
  });

  test("the test users are made only in the user pool tagged as the dev stack's, never in prod's", () => {
    // The app template tags its pool with its stack's name...
    const userPoolTags = appTemplate.Resources.TicketsUserPool?.Properties?.UserPoolTags as Record<string, unknown>;
    const tagKeys = Object.keys(userPoolTags);
    expect(tagKeys).toHaveLength(1);
    expect(userPoolTags[tagKeys[0]!]).toEqual({ Ref: 'AWS::StackName' });
    // ...and every grant of Cognito rights asks for that tag with dev's stack name (CloudTestPolicy exists in dev only).
    expect(parameters.CloudTestUserPoolId).toBeUndefined();
    expect(cognitoGrantProblems(rolePolicyStatements('GitHubDeployRole'), tagKeys[0]!)).toEqual([]);
    // The tag's value in dev, aws-support-system-${Stage}, is the stack samconfig.toml deploys as dev.
    expect('aws-support-system-dev').toBe(samParameters('dev', 'global').stack_name);
    // Prod's deploy role: only what has no condition, and no Cognito rights in it.
    const prodStatements = statementsOf(
      (resource('GitHubDeployRole').Properties?.Policies as { PolicyDocument: unknown }[])[0]?.PolicyDocument,
    );
    expect(prodStatements.flatMap(actionsOf).filter((action) => action.startsWith('cognito-idp:'))).toEqual([]);
    const attachedToDeployRole = Object.values(bootstrap.Resources).filter(
      (other) =>
        other.Type === 'AWS::IAM::RolePolicy' &&
        JSON.stringify(other.Properties?.RoleName) === JSON.stringify({ Ref: 'GitHubDeployRole' }),
    );
    expect(
      attachedToDeployRole
        .filter((other) => JSON.stringify(other).includes('cognito-idp:'))
        .map((other) => other.Condition),
    ).toEqual(['RunsCloudTests']);
  });

  test('a Cognito grant without the tag condition, or for any user pool, is caught', () => {
    const statements = structuredClone(rolePolicyStatements('GitHubDeployRole'));
    const testUsers = statements.find((statement) => actionsOf(statement).includes('cognito-idp:AdminCreateUser'))!;
    delete testUsers.Condition;
    expect(cognitoGrantProblems(statements, 'aws-support-system:stack')).toEqual([
      expect.stringMatching(/^cognito-idp:AdminCreateUser.* is not limited to the user pool tagged/),
    ]);
  });

  test("the execution role may manage every service of the app template's resources", () => {
    // CloudFormation's own resource types need no service permission; SAM's become Lambda, API Gateway and IAM.
    const servicePrefix: Record<string, string> = {
      ApiGateway: 'apigateway',
      CloudFront: 'cloudfront',
      CloudWatch: 'cloudwatch',
      Cognito: 'cognito-idp',
      DynamoDB: 'dynamodb',
      Events: 'events',
      KMS: 'kms',
      Logs: 'logs',
      S3: 's3',
      SecretsManager: 'secretsmanager',
      SNS: 'sns',
      SQS: 'sqs',
      WAFv2: 'wafv2',
    };
    const services = new Set(
      Object.values(appTemplate.Resources)
        .map((candidate) => candidate.Type.split('::')[1] ?? '')
        .filter((service) => !['CloudFormation', 'Serverless', 'IAM', 'Lambda'].includes(service)),
    );
    const allowed = rolePolicyStatements('CloudFormationExecutionRole')
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf);
    for (const service of services) {
      const prefix = servicePrefix[service];
      expect({ service, known: prefix !== undefined }).toEqual({ service, known: true });
      expect({ service, allowed: allowed.includes(`${prefix ?? service}:*`) }).toEqual({ service, allowed: true });
    }
    expect(services).toContain('WAFv2');
  });

  test("the boundary lets the app's roles use a KMS key only through DynamoDB and SQS", () => {
    const kms = boundaryStatements().filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('kms:')),
    );
    expect(kms).toHaveLength(1);
    expect(kms[0]?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': [
          { 'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com' },
          { 'Fn::Sub': 'sqs.${AWS::Region}.amazonaws.com' },
        ],
      },
    });
    expect(actionsOf(kms[0]!)).not.toContain('kms:*');
  });

  test('the execution role creates and changes roles only within the permissions boundary, and cannot lift it', () => {
    expect(executionRoleProblems(rolePolicyStatements('CloudFormationExecutionRole'))).toEqual([]);
  });

  test('an execution role that could give a role more than the boundary, or reach any function, is caught', () => {
    const statements = structuredClone(rolePolicyStatements('CloudFormationExecutionRole'));
    const withinBoundary = statements.find((statement) => actionsOf(statement).includes('iam:CreateRole'))!;
    delete withinBoundary.Condition;
    statements.push({ Effect: 'Allow', Action: 'lambda:*', Resource: '*' });
    statements.splice(
      statements.findIndex((statement) => statement.Effect === 'Deny'),
      1,
    );
    expect(executionRoleProblems(statements)).toEqual([
      'iam:CreateRole is allowed without AppRoleBoundary as the permissions boundary',
      'iam:PutRolePolicy is allowed without AppRoleBoundary as the permissions boundary',
      'iam:AttachRolePolicy is allowed without AppRoleBoundary as the permissions boundary',
      'iam:PutRolePermissionsBoundary is allowed without AppRoleBoundary as the permissions boundary',
      'lambda:* is allowed on *',
      'iam:DeleteRolePermissionsBoundary is not denied',
    ]);
  });

  test("event source mappings are made, changed and removed only for the stage's functions", () => {
    const changing = [
      'lambda:CreateEventSourceMapping',
      'lambda:UpdateEventSourceMapping',
      'lambda:DeleteEventSourceMapping',
    ];
    const granting = rolePolicyStatements('CloudFormationExecutionRole').filter(
      (statement) => statement.Effect === 'Allow' && actionsOf(statement).some((action) => changing.includes(action)),
    );
    expect(granting.length).toBeGreaterThan(0);
    for (const statement of granting) {
      expect(statement.Condition).toEqual({
        ArnLike: {
          'lambda:FunctionArn': {
            'Fn::Sub':
              'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:aws-support-system-${Stage}-*',
          },
        },
      });
    }
  });

  test("the boundary allows what the app's roles are given, and nothing that manages IAM, Lambda or Cognito", () => {
    expect(boundaryProblems(boundaryStatements(), appRoleActions())).toEqual([]);
  });

  test('a boundary that lacks an action a role needs, or allows IAM, is caught', () => {
    const statements = structuredClone(boundaryStatements());
    const table = statements.find((statement) => actionsOf(statement).includes('dynamodb:Query'))!;
    table.Action = actionsOf(table).filter((action) => action !== 'dynamodb:Query');
    statements.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' });
    expect(boundaryProblems(statements, appRoleActions())).toEqual([
      'dynamodb:Query, which a role of template.yaml has, is outside the boundary',
      'the boundary allows iam:PassRole',
    ]);
  });

  test("the boundary reads this stage's secrets alone: the ones the app template tags with its stack", () => {
    const reads = boundaryStatements().filter((statement) =>
      actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    const stageTag = { 'Fn::Sub': 'aws-support-system-${Stage}' };
    expect(reads.map((statement) => statement.Condition)).toEqual([
      { StringEquals: { 'aws:ResourceTag/aws-support-system:stack': stageTag } },
    ]);
    const secrets = Object.values(appTemplate.Resources).filter(
      (other) => other.Type === 'AWS::SecretsManager::Secret',
    );
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.Properties?.Tags).toContainEqual({
        Key: 'aws-support-system:stack',
        Value: { Ref: 'AWS::StackName' },
      });
      // A name would replace the secret (and its value) on the next deploy.
      expect(secret.Properties?.Name).toBeUndefined();
    }
  });

  test("the names the boundary and the execution role are scoped to are the ones the app stack's resources get", () => {
    // Named by the template: <stack>-…, which the pipeline deploys as aws-support-system-<Stage>.
    const named: [string, string][] = [
      ['AWS::Events::EventBus', 'Name'],
      ['AWS::SQS::Queue', 'QueueName'],
      ['AWS::Serverless::LayerVersion', 'LayerName'],
      ['AWS::Events::ApiDestination', 'Name'],
    ];
    for (const [type, property] of named) {
      for (const [id, candidate] of Object.entries(appTemplate.Resources).filter(([, other]) => other.Type === type)) {
        const name = JSON.stringify(candidate.Properties?.[property]);
        expect({ id, name }).toEqual({ id, name: expect.stringMatching(/^\{"Fn::Sub":"\$\{AWS::StackName\}-/) });
      }
    }
    // Named by CloudFormation, <stack>-<logical id>-<suffix>: no name of their own.
    for (const [type, property] of [
      ['AWS::Serverless::Function', 'FunctionName'],
      ['AWS::DynamoDB::Table', 'TableName'],
      ['AWS::IAM::Role', 'RoleName'],
    ]) {
      for (const [id, candidate] of Object.entries(appTemplate.Resources).filter(([, other]) => other.Type === type)) {
        expect({ id, name: candidate.Properties?.[property!] }).toEqual({ id, name: undefined });
      }
    }
  });

  test("the names CloudFormation makes for the prod stack's functions and roles keep the whole stack name", () => {
    // <stack>-<logical id>-<13-character suffix>, at most 64 characters: a longer one has its stack name cut,
    // and would fall outside the aws-support-system-<Stage>-* the roles are scoped to. SAM names a
    // function's role <function id>Role.
    const stages = (bootstrap.Parameters?.Stage as { AllowedValues: string[] }).AllowedValues;
    const longestStack = stages.map((stage) => `aws-support-system-${stage}`).sort((a, b) => b.length - a.length)[0];
    const generated = Object.entries(appTemplate.Resources).flatMap(([id, candidate]) => {
      if (candidate.Type === 'AWS::Serverless::Function') return [id, `${id}Role`];
      return candidate.Type === 'AWS::IAM::Role' ? [id] : [];
    });
    expect(generated.length).toBeGreaterThan(10);
    const tooLong = generated.map((id) => `${longestStack}-${id}-XXXXXXXXXXXXX`).filter((name) => name.length > 64);
    expect(tooLong).toEqual([]);
  });

  test('the app template puts PermissionsBoundaryArn on every role it creates, when given', () => {
    const onRole = { 'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }] };
    expect(appTemplate.Parameters?.PermissionsBoundaryArn).toMatchObject({ Type: 'String', Default: '' });
    expect(appTemplate.Conditions?.HasPermissionsBoundary).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PermissionsBoundaryArn' }, ''] }],
    });
    // SAM makes each function's role and gives it Globals' boundary: no function names a role or a boundary of its own.
    expect(appTemplate.Globals?.Function?.PermissionsBoundary).toEqual(onRole);
    for (const [id, candidate] of Object.entries(appTemplate.Resources)) {
      if (candidate.Type === 'AWS::Serverless::Function') {
        expect({ id, role: candidate.Properties?.Role, boundary: candidate.Properties?.PermissionsBoundary }).toEqual({
          id,
          role: undefined,
          boundary: undefined,
        });
      }
      if (candidate.Type === 'AWS::IAM::Role') {
        expect({ id, boundary: candidate.Properties?.PermissionsBoundary }).toEqual({ id, boundary: onRole });
      }
    }
    // A stack that creates users, policies or roles by another type would escape the boundary.
    const types = new Set(Object.values(appTemplate.Resources).map((candidate) => candidate.Type));
    expect([...types].filter((type) => type.startsWith('AWS::IAM::') && type !== 'AWS::IAM::Role')).toEqual([]);
    // The execution role's condition names the boundary that the output hands to the pipeline.
    expect(bootstrap.Outputs?.PermissionsBoundaryArn?.Value).toEqual({ Ref: 'AppRoleBoundary' });
  });

  test("its outputs are the deploy jobs' variables, and the README says where each goes", () => {
    expect(Object.keys(bootstrap.Outputs ?? {})).toEqual([
      'DeployRoleArn',
      'CloudFormationExecutionRoleArn',
      'ArtifactsBucketName',
      'Region',
      'PermissionsBoundaryArn',
    ]);
    const variables = new Set(
      deployJobIds.flatMap((id) =>
        [...JSON.stringify(job(workflow, id)).matchAll(/vars\.(\w+)/g)].map((match) => match[1]!),
      ),
    );
    const readme = read('README.md');
    const descriptions = JSON.stringify(bootstrap.Outputs);
    for (const variable of variables) {
      expect({ variable, inReadme: readme.includes(variable) }).toEqual({ variable, inReadme: true });
    }
    for (const variable of [
      'AWS_DEPLOY_ROLE_ARN',
      'CLOUDFORMATION_EXECUTION_ROLE_ARN',
      'ARTIFACTS_BUCKET',
      'AWS_REGION',
      'PERMISSIONS_BOUNDARY_ARN',
    ]) {
      expect({ variable, read: variables.has(variable), output: descriptions.includes(variable) }).toEqual({
        variable,
        read: true,
        output: true,
      });
    }
  });

  test('npm run check lints it with cfn-lint', () => {
    expect(scripts['lint:template']?.split(/\s+/)).toContain(BOOTSTRAP_PATH);
    expect(scripts.check).toContain('npm run lint:template');
  });
});
