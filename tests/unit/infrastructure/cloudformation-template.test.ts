import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  CLOUDFORMATION_TAGS,
  getAttArguments,
  onlyResourceOfType,
  parseTemplate,
  resourcesOfType,
} from '../../../scripts/cloudformation-template.js';
import { TEMPLATE_PATH } from '../../../scripts/sam-template.js';

/**
 * The one template reader: CloudFormation's short-form tags become the long
 * forms CloudFormation itself reads, whatever node kind they are written on.
 */

/** The long form of `value`, written as the one property of a resource. */
function longForm(value: string): unknown {
  const template = parseTemplate(
    ['Resources:', '  Thing:', '    Type: AWS::X::Y', '    Properties:', `      V: ${value}`].join('\n'),
  );
  return template.Resources.Thing?.Properties?.V;
}

describe('short-form tags', () => {
  test.each<[string, unknown]>([
    ['!Ref Stage', { Ref: 'Stage' }],
    ['!Ref AWS::NoValue', { Ref: 'AWS::NoValue' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Table.Arn', { 'Fn::GetAtt': ['Table', 'Arn'] }],
    ['!GetAtt [Table, Arn]', { 'Fn::GetAtt': ['Table', 'Arn'] }],
    // Split at the first dot only: the attribute is `Outputs.Url`.
    ['!GetAtt Nested.Outputs.Url', { 'Fn::GetAtt': ['Nested', 'Outputs.Url'] }],
    ['!Sub ${AWS::StackName}-users', { 'Fn::Sub': '${AWS::StackName}-users' }],
    [
      `!Sub ["'\${Origin}'", { Origin: !Ref AllowedOrigins }]`,
      { 'Fn::Sub': ["'${Origin}'", { Origin: { Ref: 'AllowedOrigins' } }] },
    ],
    ['!Join [",", [a, !Ref B]]', { 'Fn::Join': [',', ['a', { Ref: 'B' }]] }],
    [
      '!Select [0, !Split [",", !Ref AllowedOrigins]]',
      { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'AllowedOrigins' }] }] },
    ],
    ['!If [IsProd, INFO, DEBUG]', { 'Fn::If': ['IsProd', 'INFO', 'DEBUG'] }],
    ['!If [IsProd, !Ref AWS::NoValue, 3]', { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 3] }],
    ['!Equals [!Ref Stage, prod]', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }],
    ["!Not [!Equals [!Ref AlarmTopicArn, '']]", { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!FindInMap [Sizes, !Ref Stage, Memory]', { 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'Memory'] }],
    ['!Base64 text', { 'Fn::Base64': 'text' }],
    ['!GetAZs ""', { 'Fn::GetAZs': '' }],
    ['!ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!Transform { Name: AWS::Include }', { 'Fn::Transform': { Name: 'AWS::Include' } }],
    // AWS::LanguageExtensions.
    ['!ToJsonString { a: !Ref B }', { 'Fn::ToJsonString': { a: { Ref: 'B' } } }],
    ['!Length [a, b]', { 'Fn::Length': ['a', 'b'] }],
  ])('%s', (source, expected) => {
    expect(longForm(source)).toEqual(expected);
  });

  test('every tag template.yaml uses is one the reader knows, and none is left unread', () => {
    const source = readFileSync(TEMPLATE_PATH, 'utf8');
    const used = new Set([...source.matchAll(/(?<=\s)!\w+/g)].map(([tag]) => tag));
    const known = new Set(CLOUDFORMATION_TAGS.map((tag) => tag.tag));
    expect([...used].filter((tag) => !known.has(tag))).toEqual([]);
    expect(JSON.stringify(parseTemplate(source))).not.toMatch(/"!\w+/);
  });

  test('an unknown tag is an error, with its line', () => {
    expect(() => longForm('!Fn::Sub x')).toThrow(/Unresolved tag: !Fn::Sub at line 5/);
  });

  test('long forms pass through unchanged', () => {
    expect(longForm("{ 'Fn::GetAtt': [Table, Arn] }")).toEqual({ 'Fn::GetAtt': ['Table', 'Arn'] });
  });
});

describe('getAttArguments', () => {
  test('splits Resource.Attribute at the first dot and keeps a list as it is', () => {
    expect(getAttArguments('Table.StreamArn')).toEqual(['Table', 'StreamArn']);
    expect(getAttArguments('Nested.Outputs.Url')).toEqual(['Nested', 'Outputs.Url']);
    expect(getAttArguments(['Table', 'Arn'])).toEqual(['Table', 'Arn']);
  });

  test('refuses a name without an attribute', () => {
    expect(() => getAttArguments('Table')).toThrow('!GetAtt Table: expected Resource.Attribute.');
  });
});

describe('parseTemplate', () => {
  test('refuses a document without Resources', () => {
    expect(() => parseTemplate('Parameters: {}')).toThrow('Not a CloudFormation template: it has no Resources.');
  });

  test('keeps YAML merge keys as plain keys, as CloudFormation does', () => {
    const template = parseTemplate('Resources:\n  A:\n    Type: T\n    Properties:\n      <<: { B: 1 }\n');
    expect(template.Resources.A?.Properties).toEqual({ '<<': { B: 1 } });
  });
});

describe('resources by type', () => {
  const template = parseTemplate(
    [
      'Resources:',
      '  A: { Type: AWS::SQS::Queue }',
      '  T: { Type: AWS::DynamoDB::Table }',
      '  B: { Type: AWS::SQS::Queue }',
    ].join('\n'),
  );

  test('resourcesOfType lists them in template order', () => {
    expect(resourcesOfType(template, 'AWS::SQS::Queue').map(([logicalId]) => logicalId)).toEqual(['A', 'B']);
  });

  test('onlyResourceOfType finds the one, and refuses none or several', () => {
    expect(onlyResourceOfType(template, 'AWS::DynamoDB::Table')[0]).toBe('T');
    expect(() => onlyResourceOfType(template, 'AWS::SQS::Queue')).toThrow(
      'Expected exactly one AWS::SQS::Queue in the template; it has 2.',
    );
    expect(() => onlyResourceOfType(template, 'AWS::SNS::Topic')).toThrow('it has 0');
  });
});
