/**
 * This project's template.yaml: where it is, and what SAM builds from it, for
 * scripts/build.ts, the local runtime and the infrastructure tests. Parsing is
 * scripts/cloudformation-template.ts's, re-exported here so one import serves.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplate, resourcesOfType, type Template } from './cloudformation-template.js';

export {
  onlyResourceOfType,
  parseTemplate,
  resourcesOfType,
  type Resource,
  type Template,
} from './cloudformation-template.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_PATH = join(PROJECT_ROOT, 'template.yaml');

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
  /** esbuild's name for the function's Lambda runtime (`node22` for `nodejs22.x`). */
  runtimeTarget: string;
}

export interface MakefileLayer {
  logicalId: string;
  /** Absolute path of the layer's ContentUri, where its Makefile lives. */
  contentDir: string;
}

/** esbuild's target for a Lambda Node.js runtime: `nodejs22.x` → `node22`. */
export function esbuildTargetOf(runtime: unknown): string {
  const version = typeof runtime === 'string' ? /^nodejs(\d+)\.x$/.exec(runtime)?.[1] : undefined;
  if (!version) throw new Error(`Not a Lambda Node.js runtime: ${JSON.stringify(runtime)}.`);
  return `node${version}`;
}

/** The project's template.yaml (or another template file). */
export function readTemplate(path: string = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
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
      const buildProperties = resource.Metadata?.BuildProperties as Partial<EsbuildBuildProperties> | undefined;
      const entryPoints = buildProperties?.EntryPoints;
      if (!buildProperties || !entryPoints?.length) {
        throw new Error(`${logicalId}: Metadata.BuildProperties.EntryPoints is required for BuildMethod esbuild.`);
      }
      const codeDir = resolve(baseDir, codeUri);
      const handler = resource.Properties?.Handler ?? template.Globals?.Function?.Handler;
      if (typeof handler !== 'string') throw new Error(`${logicalId}: Handler is missing.`);
      const runtime = resource.Properties?.Runtime ?? template.Globals?.Function?.Runtime;
      return {
        logicalId,
        codeDir,
        handler,
        buildProperties: { ...buildProperties, EntryPoints: entryPoints },
        entryPoints: entryPoints.map((entry) => resolve(codeDir, entry)),
        runtimeTarget: esbuildTargetOf(runtime),
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
