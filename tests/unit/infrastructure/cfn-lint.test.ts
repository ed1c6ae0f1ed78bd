import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, TEMPLATE_PATH } from '../../../scripts/sam-template.js';

/**
 * `npm run check` lints template.yaml with cfn-lint (`lint:template`); these
 * show that the lint it runs catches what a review would miss: a misspelled
 * property and a Ref to nothing. cfn-lint is a Python tool that .ci/run
 * installs with pip, so a machine without it fails here rather than skipping.
 */

interface Finding {
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

const LINT_TIMEOUT_MS = 120_000;
/** The options `npm run lint:template` gives cfn-lint, without the templates it names (template.yaml among them). */
const checkArguments = (() => {
  const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = (packageJson.scripts['lint:template'] ?? '').split(/\s+/);
  expect(command).toBe('cfn-lint');
  const isTemplate = (arg: string): boolean => /\.(ya?ml|json)$/.test(arg);
  expect(args.filter(isTemplate)).toContain('template.yaml');
  expect(packageJson.scripts.check).toContain('npm run lint:template');
  return args.filter((arg) => !isTemplate(arg));
})();
const source = readFileSync(TEMPLATE_PATH, 'utf8');
let scratch: string;

/** cfn-lint's findings for `template` (the text of a template), and its exit status, as `npm run check` runs it. */
function lint(template: string, name: string): { status: number | null; findings: Finding[] } {
  const path = join(scratch, name);
  writeFileSync(path, template);
  const result = spawnSync('cfn-lint', [...checkArguments, '--format', 'json', path], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, findings: JSON.parse(result.stdout) as Finding[] };
}

/** `template` with `from` replaced by `to`, which must occur exactly once. */
function withEdit(template: string, from: string, to: string): string {
  expect(template.split(from)).toHaveLength(2);
  return template.replace(from, to);
}

beforeAll(() => {
  const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(
      'cfn-lint is not installed or does not run: install it with `python3 -m pip install cfn-lint` ' +
        '(.ci/run does this on a machine without it).',
    );
  }
  scratch = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('cfn-lint on template.yaml', () => {
  test(
    'finds nothing in the template as it is',
    () => {
      expect(lint(source, 'template.yaml')).toEqual({ status: 0, findings: [] });
    },
    LINT_TIMEOUT_MS,
  );

  test(
    'fails on a warning too, not only on errors',
    () => {
      const unprotected = withEdit(
        source,
        '  AnalyzeTicketDeadLetterQueue:\n    Type: AWS::SQS::Queue\n',
        '  AnalyzeTicketDeadLetterQueue:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n',
      );
      const { status, findings } = lint(unprotected, 'warning.yaml');
      expect(findings.map((finding) => [finding.Level, finding.Rule.Id])).toEqual([['Warning', 'W3011']]);
      expect(status).not.toBe(0);
    },
    LINT_TIMEOUT_MS,
  );

  test(
    'reports a misspelled property, where it is',
    () => {
      const misspelled = withEdit(
        source,
        '      QueueName: !Sub ${AWS::StackName}-analyze-ticket-dlq\n      MessageRetentionPeriod: 1209600\n',
        '      QueueName: !Sub ${AWS::StackName}-analyze-ticket-dlq\n      MessageRetentionPeriode: 1209600\n',
      );
      const { status, findings } = lint(misspelled, 'misspelled.yaml');
      expect(status).not.toBe(0);
      expect(findings).toEqual([
        expect.objectContaining({
          Level: 'Error',
          Rule: expect.objectContaining({ Id: 'E3002' }) as unknown,
          Location: expect.objectContaining({
            Path: ['Resources', 'AnalyzeTicketDeadLetterQueue', 'Properties', 'MessageRetentionPeriode'],
          }) as unknown,
        }),
      ]);
      expect(findings[0]?.Message).toContain("Did you mean 'MessageRetentionPeriod'?");
    },
    LINT_TIMEOUT_MS,
  );

  test(
    'reports a Ref to a resource or parameter that does not exist, where it is',
    () => {
      const dangling = withEdit(
        source,
        'EVENT_BUS_NAME: !Ref TicketEventBus\n',
        'EVENT_BUS_NAME: !Ref TicketsEventBus\n',
      );
      const { status, findings } = lint(dangling, 'dangling-ref.yaml');
      expect(status).not.toBe(0);
      expect(findings).toEqual([
        expect.objectContaining({
          Level: 'Error',
          Rule: expect.objectContaining({ Id: 'E1020' }) as unknown,
          Location: expect.objectContaining({
            Path: [
              'Resources',
              'PublishEventsFunction',
              'Properties',
              'Environment',
              'Variables',
              'EVENT_BUS_NAME',
              'Ref',
            ],
          }) as unknown,
        }),
      ]);
      expect(findings[0]?.Message).toContain("'TicketsEventBus' is not one of");
    },
    LINT_TIMEOUT_MS,
  );
});
