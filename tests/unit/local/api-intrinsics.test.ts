import { describe, expect, test } from '@jest/globals';
import {
  NO_VALUE,
  resolveString,
  resolveValue,
  UnresolvableValueError,
  type LocalStack,
} from '../../../local/api/intrinsics.js';
import { parseTemplate } from '../../../scripts/cloudformation-template.js';

/**
 * The local resolver of CloudFormation's intrinsic functions, fed by the one
 * template reader: each short form the template may use, resolved as
 * CloudFormation would on this machine.
 */

const template = parseTemplate(`
Parameters:
  Stage: { Type: String, Default: dev }
  AllowedOrigins: { Type: String, Default: 'https://a.example,https://b.example' }
  Retention: { Type: Number, Default: 30 }
  Required: { Type: String }
Mappings:
  Sizes:
    dev: { Memory: 512 }
    prod: { Memory: 1024 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals [!Ref Retention, 30]]
  Either: !Or [!Condition IsProd, !Equals [a, b]]
Resources:
  Table: { Type: AWS::DynamoDB::Table }
  Secret: { Type: AWS::SecretsManager::Secret }
`);

const stack = (overrides: Partial<LocalStack> = {}): LocalStack => ({
  template,
  stackName: 'local-stack',
  region: 'eu-west-1',
  accountId: '123456789012',
  physicalIds: { Table: 'TicketsTableLocal' },
  ...overrides,
});

/** The value of a short form written in YAML. */
const resolve = (yaml: string, local: LocalStack = stack()): unknown =>
  resolveValue(
    parseTemplate(`Resources:\n  R:\n    Type: T\n    Properties:\n      V: ${yaml}\n`).Resources.R?.Properties?.V,
    local,
  );

describe('!Ref', () => {
  test('a parameter: its default, or the local override; numbers as strings', () => {
    expect(resolve('!Ref Stage')).toBe('dev');
    expect(resolve('!Ref Stage', stack({ parameterOverrides: { Stage: 'prod' } }))).toBe('prod');
    expect(resolve('!Ref Retention')).toBe('30');
  });

  test('a parameter without a default or a local value fails', () => {
    expect(() => resolve('!Ref Required')).toThrow(UnresolvableValueError);
  });

  test('pseudo parameters', () => {
    expect(resolve('[!Ref AWS::Region, !Ref AWS::AccountId, !Ref AWS::StackName, !Ref AWS::Partition]')).toEqual([
      'eu-west-1',
      '123456789012',
      'local-stack',
      'aws',
    ]);
    expect(resolve('!Ref AWS::URLSuffix')).toBe('amazonaws.com');
    expect(resolve('!Ref AWS::NoValue')).toBe(NO_VALUE);
  });

  test("a resource: its local physical id, else a name made from the stack's", () => {
    expect(resolve('!Ref Table')).toBe('TicketsTableLocal');
    expect(resolve('!Ref Secret')).toBe('local-stack-Secret');
    expect(() => resolve('!Ref Nothing')).toThrow('!Ref Nothing: no such parameter or resource.');
  });
});

describe('!GetAtt', () => {
  test('the scalar and the list form resolve alike', () => {
    const arn = 'arn:aws:local:eu-west-1:123456789012:Table/StreamArn';
    expect(resolve('!GetAtt Table.StreamArn')).toBe(arn);
    expect(resolve('!GetAtt [Table, StreamArn]')).toBe(arn);
  });
});

describe('!Sub', () => {
  test('without a variable map: parameters, pseudo parameters, attributes, literals', () => {
    expect(resolve('!Sub ${AWS::StackName}-${Stage}-${Table.Arn}-${!Literal}')).toBe(
      'local-stack-dev-arn:aws:local:eu-west-1:123456789012:Table/Arn-${Literal}',
    );
  });

  test('with a variable map, whose values are resolved first', () => {
    expect(
      resolve(`!Sub ["'\${Origin}' in \${Stage}", { Origin: !Select [0, !Split [',', !Ref AllowedOrigins]] }]`),
    ).toBe("'https://a.example' in dev");
  });

  test('a dynamic reference has no local value: it fails, naming the reference, after substitution', () => {
    expect(() => resolve("!Sub '{{resolve:secretsmanager:${Secret}:SecretString}}'")).toThrow(
      /\{\{resolve:secretsmanager:local-stack-Secret:SecretString\}\}: dynamic references have no local value/,
    );
    expect(() => resolve("'{{resolve:ssm:/a/b}}'")).toThrow(UnresolvableValueError);
  });
});

describe('lists', () => {
  test('!Join, !Split and !Select', () => {
    expect(resolve('!Join ["/", [a, !Ref Stage]]')).toBe('a/dev');
    expect(resolve('!Split [",", !Ref AllowedOrigins]')).toEqual(['https://a.example', 'https://b.example']);
    expect(resolve('!Select [1, !Split [",", !Ref AllowedOrigins]]')).toBe('https://b.example');
  });

  test('!Length counts a list', () => {
    expect(resolve('!Length [a, b, c]')).toBe(3);
    expect(resolve(`{ 'Fn::Length': !Split [",", !Ref AllowedOrigins] }`)).toBe(2);
    expect(() => resolve('!Length abc')).toThrow(UnresolvableValueError);
  });

  test('!FindInMap', () => {
    expect(resolve('!FindInMap [Sizes, !Ref Stage, Memory]')).toBe(512);
    expect(() => resolve('!FindInMap [Sizes, test, Memory]')).toThrow('Sizes.test.Memory is not mapped');
  });
});

describe('conditions', () => {
  test('!If picks a branch by the named condition', () => {
    expect(resolve('!If [IsProd, INFO, DEBUG]')).toBe('DEBUG');
    expect(resolve('!If [IsProd, INFO, DEBUG]', stack({ parameterOverrides: { Stage: 'prod' } }))).toBe('INFO');
    expect(resolve('!If [IsProd, 1, !Ref AWS::NoValue]')).toBe(NO_VALUE);
  });

  test('!Equals, !Not, !And, !Or and !Condition', () => {
    expect(resolve('!Equals [!Ref Stage, dev]')).toBe(true);
    expect(resolve('!Equals [!Ref Retention, 30]')).toBe(true);
    expect(resolve('!Condition IsDev')).toBe(true);
    expect(resolve('!Condition Both')).toBe(true);
    expect(resolve('!Condition Either')).toBe(false);
    expect(resolve('!Not [!Condition Both]')).toBe(false);
    expect(() => resolve('!Condition Unknown')).toThrow('Condition Unknown is not defined.');
  });
});

describe('strings from values', () => {
  test('!ToJsonString: the resolved value as JSON, NoValue entries left out', () => {
    expect(resolve('!ToJsonString { stage: !Ref Stage, list: [1, !Ref AWS::NoValue], gone: !Ref AWS::NoValue }')).toBe(
      '{"stage":"dev","list":[1]}',
    );
  });

  test('!Base64', () => {
    expect(resolve("{ 'Fn::Base64': !Sub '${Stage}!' }")).toBe(Buffer.from('dev!').toString('base64'));
  });

  test('resolveString accepts numbers and booleans, and refuses an object, naming the value', () => {
    expect(resolveString({ 'Fn::Length': [1, 2] }, stack(), 'n')).toBe('2');
    expect(resolveString({ 'Fn::Equals': ['a', 'a'] }, stack(), 'b')).toBe('true');
    expect(() => resolveString({ 'Fn::Split': [',', 'a,b'] }, stack(), 'LIST')).toThrow(
      'LIST does not resolve to a string',
    );
  });
});

test('a function the local runtime cannot resolve fails loudly, naming it', () => {
  expect(() => resolve('!ImportValue shared-vpc')).toThrow(
    'Fn::ImportValue is not supported by the local runtime (in "shared-vpc").',
  );
});
