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

  test('every action is pinned to a commit or a version tag', () => {
    expect(unpinnedActions(workflow)).toEqual([]);
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

  test("prod takes AllowedOrigins and AlarmEmail from the prod environment's variables, never *", () => {
    const prod = job(workflow, 'deploy-prod');
    const deploy = jobCommands('deploy-prod', prod).find(({ words }) => words[1] === 'deploy')!;
    const overrides = parameterPairs(deploy.words.slice(deploy.words.indexOf('--parameter-overrides') + 1));
    expect(overrides.get('AllowedOrigins')).toBe('$PROD_ALLOWED_ORIGINS');
    expect(overrides.get('AlarmEmail')).toBe('$PROD_ALARM_EMAIL');
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
    ['', 'ops@example.com', 1],
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
      DEPLOY_REGION: 'eu-west-1',
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
      .replace('"AllowedOrigins=$PROD_ALLOWED_ORIGINS"', 'AllowedOrigins=*');
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
      expect.stringMatching(/--s3-bucket and samconfig's resolve_s3 exclude each other$/),
    ]);
  });

  test('an action on a branch', () => {
    const copy = copyOfWorkflow();
    job(copy, 'build').steps![0]!.uses = 'actions/checkout@main';
    expect(unpinnedActions(copy)).toEqual(['actions/checkout@main']);
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

  test("its outputs are the deploy jobs' variables, and the README says where each goes", () => {
    expect(Object.keys(bootstrap.Outputs ?? {})).toEqual([
      'DeployRoleArn',
      'CloudFormationExecutionRoleArn',
      'ArtifactsBucketName',
      'Region',
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
