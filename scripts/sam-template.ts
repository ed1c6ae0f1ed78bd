/**
 * Reads template.yaml, the single description of what gets built and deployed,
 * for the tools that build or run the functions without SAM (scripts/build.ts,
 * the local runtime, the infrastructure tests).
 *
 * CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, …) are turned into
 * their long JSON form ({ Ref }, { 'Fn::Sub' }, …), exactly as CloudFormation
 * reads them, so nothing here has to know YAML.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_PATH = join(PROJECT_ROOT, 'template.yaml');

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
  Conditions?: Record<string, unknown>;
  Globals?: { Function?: Record<string, unknown>; Api?: Record<string, unknown> };
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

/** esbuild options a function's `Metadata.BuildProperties` may set, as SAM spells them. */
export interface EsbuildBuildProperties {
  EntryPoints: string[];
  External?: string[];
  Format?: 'esm' | 'cjs' | 'iife';
  Minify?: boolean;
  Target?: string;
  Sourcemap?: boolean;
  OutExtension?: string[];
  Banner?: string[];
  MainFields?: string;
  Loader?: string[];
}

export interface EsbuildFunction {
  logicalId: string;
  /** Absolute path of the function's CodeUri. */
  codeDir: string;
  handler: string;
  buildProperties: EsbuildBuildProperties;
  /** Absolute paths of the entry points, resolved against CodeUri as SAM does. */
  entryPoints: string[];
}

export interface MakefileLayer {
  logicalId: string;
  /** Absolute path of the layer's ContentUri, where its Makefile lives. */
  contentDir: string;
}

const SHORT_FORM_FUNCTIONS = [
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

/** One tag per node kind a short form may be written on (`!Sub 'x'`, `!Sub [..]`, `!If [..]`). */
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
  // `!GetAtt Resource.Attribute` is shorthand for ['Resource', 'Attribute'].
  ...intrinsicTags('GetAtt', (value) => {
    if (typeof value !== 'string') return { 'Fn::GetAtt': value };
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }),
  ...SHORT_FORM_FUNCTIONS.flatMap((name) => intrinsicTags(name, (value) => ({ [`Fn::${name}`]: value }))),
];

/** Parses CloudFormation/SAM YAML, short-form tags included. */
export function parseTemplate(source: string): Template {
  const template = parse(source, { customTags: CLOUDFORMATION_TAGS, merge: false }) as Template;
  if (!template || typeof template !== 'object' || !template.Resources) {
    throw new Error('Not a CloudFormation template: it has no Resources.');
  }
  return template;
}

/** The project's template.yaml (or another template file). */
export function readTemplate(path: string = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

/** The logical ids and resources of one type, in template order. */
export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * Every AWS::Serverless::Function that SAM builds with esbuild. CodeUri falls
 * back to Globals.Function.CodeUri, then to the template's folder, as SAM's does.
 */
export function esbuildFunctions(template: Template, templatePath: string = TEMPLATE_PATH): EsbuildFunction[] {
  const baseDir = dirname(templatePath);
  return resourcesOfType(template, 'AWS::Serverless::Function')
    .filter(([, resource]) => resource.Metadata?.BuildMethod === 'esbuild')
    .map(([logicalId, resource]) => {
      const codeUri = resource.Properties?.CodeUri ?? template.Globals?.Function?.CodeUri ?? '.';
      if (typeof codeUri !== 'string') {
        throw new Error(`${logicalId}: only a local CodeUri path can be built, got ${JSON.stringify(codeUri)}.`);
      }
      const buildProperties = resource.Metadata?.BuildProperties as EsbuildBuildProperties | undefined;
      if (!buildProperties?.EntryPoints?.length) {
        throw new Error(`${logicalId}: Metadata.BuildProperties.EntryPoints is required for BuildMethod esbuild.`);
      }
      const codeDir = resolve(baseDir, codeUri);
      const handler = resource.Properties?.Handler ?? template.Globals?.Function?.Handler;
      if (typeof handler !== 'string') throw new Error(`${logicalId}: Handler is missing.`);
      return {
        logicalId,
        codeDir,
        handler,
        buildProperties,
        entryPoints: buildProperties.EntryPoints.map((entry) => resolve(codeDir, entry)),
      };
    });
}

/** Every AWS::Serverless::LayerVersion that SAM builds with its Makefile. */
export function makefileLayers(template: Template, templatePath: string = TEMPLATE_PATH): MakefileLayer[] {
  const baseDir = dirname(templatePath);
  return resourcesOfType(template, 'AWS::Serverless::LayerVersion')
    .filter(([, resource]) => resource.Metadata?.BuildMethod === 'makefile')
    .map(([logicalId, resource]) => {
      const contentUri = resource.Properties?.ContentUri;
      if (typeof contentUri !== 'string') {
        throw new Error(`${logicalId}: only a local ContentUri path can be built, got ${JSON.stringify(contentUri)}.`);
      }
      return { logicalId, contentDir: resolve(baseDir, contentUri) };
    });
}
