/**
 * The one reader of CloudFormation/SAM templates for the tools that build or
 * run the functions without SAM: the build, the local runtime and the tests.
 *
 * CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, …) become their long
 * JSON form ({ Ref }, { 'Fn::Sub' }, …), exactly as CloudFormation reads them,
 * so nothing else has to know YAML. local/api/intrinsics.ts resolves the long
 * forms to local values.
 *
 * Jest's global setup loads this module as CommonJS (through
 * local/dynamodb/table-from-template.ts), so it must not use `import.meta`;
 * the project's own paths are in scripts/sam-template.ts.
 */
import { parseDocument, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Parameters?: Record<string, Record<string, unknown>>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown>; Api?: Record<string, unknown> };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

/** The intrinsic functions whose long form is `Fn::<Name>`, each written `!<Name>` in short form. */
const FN_FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
] as const;

/**
 * `Resource.Attribute` as `[Resource, Attribute]`, split at the first dot only:
 * an attribute name may itself contain dots (`!GetAtt Stack.Outputs.Name`).
 * A value that is already a list is returned as it is.
 */
export function getAttArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const dot = value.indexOf('.');
  if (dot <= 0) throw new Error(`!GetAtt ${value}: expected Resource.Attribute.`);
  return [value.slice(0, dot), value.slice(dot + 1)];
}

/** One tag per node kind a short form may be written on (`!Sub 'x'`, `!Sub [..]`, `!If [..]`, `!Transform {..}`). */
function intrinsicTags(name: string, toLongForm: (value: unknown) => unknown): (ScalarTag | CollectionTag)[] {
  const tag = `!${name}`;
  const scalar: ScalarTag = { tag, resolve: (value) => toLongForm(value) };
  const collection = (kind: 'seq' | 'map'): CollectionTag => ({
    tag,
    collection: kind,
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => toLongForm(value.toJSON()),
  });
  return [scalar, collection('seq'), collection('map')];
}

/** The YAML tags CloudFormation accepts, each resolving to its long form. */
export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = [
  ...intrinsicTags('Ref', (value) => ({ Ref: value })),
  ...intrinsicTags('Condition', (value) => ({ Condition: value })),
  ...intrinsicTags('GetAtt', (value) => ({ 'Fn::GetAtt': getAttArguments(value) })),
  ...FN_FUNCTIONS.flatMap((name) => intrinsicTags(name, (value) => ({ [`Fn::${name}`]: value }))),
];

/** Parses CloudFormation/SAM YAML (or JSON), short-form tags included; an unknown tag is an error, as in CloudFormation. */
export function parseTemplate(source: string): Template {
  // YAML merge keys (`<<`) are not CloudFormation: they stay plain keys.
  const document = parseDocument(source, { customTags: CLOUDFORMATION_TAGS, merge: false });
  const [problem] = [...document.errors, ...document.warnings];
  if (problem) throw problem;
  const template: unknown = document.toJS();
  if (!isTemplate(template)) throw new Error('Not a CloudFormation template: it has no Resources.');
  return template;
}

function isTemplate(value: unknown): value is Template {
  if (typeof value !== 'object' || value === null || !('Resources' in value)) return false;
  return typeof value.Resources === 'object' && value.Resources !== null;
}

/** The logical ids and resources of one type, in template order. */
export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The template's one resource of this type (its table, its API), or an error saying how many it has. */
export function onlyResourceOfType(template: Template, type: string): [string, Resource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1 || !found[0]) {
    throw new Error(`Expected exactly one ${type} in the template; it has ${found.length}.`);
  }
  return found[0];
}
