/**
 * Builds what `sam build` builds, without SAM or Docker, with template.yaml as
 * the only description of it:
 *
 *   - each AWS::Serverless::Function with `BuildMethod: esbuild` is bundled by
 *     esbuild's JS API with the function's BuildProperties, entry points
 *     resolved against its CodeUri, into .aws-sam/build/<LogicalId>/;
 *   - each AWS::Serverless::LayerVersion with `BuildMethod: makefile` is built
 *     by `make -C <ContentUri> build-<LogicalId> ARTIFACTS_DIR=...`, the target
 *     SAM runs, into .aws-sam/build/<LogicalId>/;
 *   - .aws-sam/build/template.yaml is the template with CodeUri/ContentUri
 *     pointing at those folders, as SAM writes it.
 *
 *   npm run build           build everything, then print each artefact's size
 *   npm run bundle-sizes    print the sizes of the last build without rebuilding
 */
import { build, type BuildOptions, type Loader } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { buildInputsHash, forgetBuildInputs, recordBuildInputs } from './build-inputs.js';
import {
  PROJECT_ROOT,
  TEMPLATE_PATH,
  esbuildFunctions,
  makefileLayers,
  readTemplate,
  type EsbuildBuildProperties,
  type EsbuildFunction,
  type MakefileLayer,
  type Template,
} from './sam-template.js';

const run = promisify(execFile);

export const DEFAULT_BUILD_DIR = join(PROJECT_ROOT, '.aws-sam', 'build');

export interface ArtefactFile {
  /** Path inside the artefact folder, e.g. `handler.mjs`. */
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface BuiltArtefact {
  logicalId: string;
  kind: 'function' | 'layer';
  /** Absolute path of .aws-sam/build/<LogicalId>. */
  dir: string;
  files: ArtefactFile[];
  bytes: number;
}

export interface BuildAllOptions {
  templatePath?: string;
  /** Where the artefacts go; .aws-sam/build by default, as with `sam build`. */
  buildDir?: string;
  /** Build only these logical ids (functions or layers). */
  only?: string[];
}

/** Builds every function and layer of the template; resolves to what was built. */
export async function buildAll(options: BuildAllOptions = {}): Promise<BuiltArtefact[]> {
  const templatePath = resolve(options.templatePath ?? TEMPLATE_PATH);
  const buildDir = resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  const template = readTemplate(templatePath);
  const wanted = (logicalId: string) => !options.only || options.only.includes(logicalId);

  const functions = esbuildFunctions(template, templatePath).filter((fn) => wanted(fn.logicalId));
  const layers = makefileLayers(template, templatePath).filter((layer) => wanted(layer.logicalId));
  if (options.only) {
    const known = new Set([...functions, ...layers].map((artefact) => artefact.logicalId));
    const unknown = options.only.filter((logicalId) => !known.has(logicalId));
    if (unknown.length > 0) throw new Error(`Nothing to build for: ${unknown.join(', ')}.`);
  }

  // Hashed before building: a source changed meanwhile makes the next start build again.
  const inputsHash = options.only ? undefined : await buildInputsHash(templatePath);
  await mkdir(buildDir, { recursive: true });
  await forgetBuildInputs(buildDir);
  const built = await Promise.all([
    ...layers.map((layer) => buildLayer(layer, buildDir)),
    ...functions.map((fn) => buildFunction(fn, buildDir)),
  ]);
  await writeBuiltTemplate(template, buildDir, built);
  if (inputsHash) await recordBuildInputs(buildDir, inputsHash);
  return built;
}

/** The sizes of what a previous build left in the build folder. */
export async function builtArtefacts(options: Omit<BuildAllOptions, 'only'> = {}): Promise<BuiltArtefact[]> {
  const templatePath = resolve(options.templatePath ?? TEMPLATE_PATH);
  const buildDir = resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  const template = readTemplate(templatePath);
  const artefacts = [
    ...makefileLayers(template, templatePath).map((layer) => ({ logicalId: layer.logicalId, kind: 'layer' as const })),
    ...esbuildFunctions(template, templatePath).map((fn) => ({ logicalId: fn.logicalId, kind: 'function' as const })),
  ];
  return Promise.all(
    artefacts.map(async ({ logicalId, kind }) => {
      const dir = join(buildDir, logicalId);
      const exists = await stat(dir).then(
        (info) => info.isDirectory(),
        () => false,
      );
      if (!exists) throw new Error(`${relative(PROJECT_ROOT, dir)} does not exist; run npm run build first.`);
      return describe(logicalId, kind, dir);
    }),
  );
}

/** esbuild options equivalent to the flags SAM's esbuild workflow passes for these BuildProperties. */
export function esbuildOptions(fn: EsbuildFunction, outdir: string): BuildOptions {
  const properties: EsbuildBuildProperties = fn.buildProperties;
  const unsupported = Object.keys(properties).filter((key) => !SUPPORTED_BUILD_PROPERTIES.has(key));
  if (unsupported.length > 0) {
    // Fail rather than build something that differs from what SAM would.
    throw new Error(
      `${fn.logicalId}: BuildProperties ${unsupported.join(', ')} are not understood by scripts/build.ts.`,
    );
  }
  return {
    absWorkingDir: fn.codeDir,
    entryPoints: fn.entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    // SAM's defaults when a property is absent, except the target: the
    // function's runtime rather than SAM's es2020, so that the code is bundled
    // for the Node.js it runs on, as the layer is.
    format: properties.Format ?? 'cjs',
    target: properties.Target ?? fn.runtimeTarget,
    minify: properties.Minify ?? true,
    sourcemap: properties.Sourcemap ?? false,
    external: properties.External ?? [],
    mainFields: properties.MainFields?.split(',').map((field) => field.trim()),
    outExtension: keyValues(properties.OutExtension, 'OutExtension'),
    banner: keyValues(properties.Banner, 'Banner'),
    loader: keyValues(properties.Loader, 'Loader') as Record<string, Loader> | undefined,
    logLevel: 'warning',
  };
}

const SUPPORTED_BUILD_PROPERTIES = new Set([
  'EntryPoints',
  'External',
  'Format',
  'Minify',
  'Target',
  'Sourcemap',
  'OutExtension',
  'Banner',
  'MainFields',
  'Loader',
  // Only changes how SAM installs dependencies, which this build does not do.
  'UseNpmCi',
]);

/** SAM's multi-value flags are `key=value` strings (`--out-extension:.js=.mjs`). */
function keyValues(values: string[] | undefined, property: string): Record<string, string> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(
    values.map((entry) => {
      const separator = entry.indexOf('=');
      if (separator <= 0) throw new Error(`${property} entries must look like key=value, got "${entry}".`);
      return [entry.slice(0, separator), entry.slice(separator + 1)];
    }),
  );
}

async function buildFunction(fn: EsbuildFunction, buildDir: string): Promise<BuiltArtefact> {
  const dir = join(buildDir, fn.logicalId);
  await rm(dir, { recursive: true, force: true });
  await build(esbuildOptions(fn, dir));
  return describe(fn.logicalId, 'function', dir);
}

async function buildLayer(layer: MakefileLayer, buildDir: string): Promise<BuiltArtefact> {
  const dir = join(buildDir, layer.logicalId);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await run('make', ['-s', '-C', layer.contentDir, `build-${layer.logicalId}`, `ARTIFACTS_DIR=${dir}`], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    const output = [stderr, stdout].find(Boolean) ?? String(error);
    throw new Error(`make build-${layer.logicalId} failed:\n${output}`, { cause: error });
  }
  return describe(layer.logicalId, 'layer', dir);
}

/** The template SAM leaves next to the artefacts: code locations point at them. */
async function writeBuiltTemplate(template: Template, buildDir: string, built: BuiltArtefact[]): Promise<void> {
  const builtTemplate = structuredClone(template);
  for (const artefact of built) {
    const properties = builtTemplate.Resources[artefact.logicalId]?.Properties;
    if (!properties) continue;
    properties[artefact.kind === 'layer' ? 'ContentUri' : 'CodeUri'] = artefact.logicalId;
  }
  await writeFile(join(buildDir, 'template.yaml'), stringify(builtTemplate, { lineWidth: 0 }));
}

async function describe(logicalId: string, kind: BuiltArtefact['kind'], dir: string): Promise<BuiltArtefact> {
  const files: ArtefactFile[] = [];
  for (const path of await listFiles(dir)) {
    const content = await readFile(join(dir, path));
    files.push({ path, bytes: content.length, gzipBytes: gzipSync(content).length });
  }
  return { logicalId, kind, dir, files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, path) : Promise.resolve([path]);
    }),
  );
  return nested.flat().sort();
}

/** A plain-text table of the artefacts, one line per file plus a total per artefact. */
export function sizeReport(artefacts: BuiltArtefact[]): string {
  const header = ['artefact', 'file', 'bytes', 'gzip'];
  const rows: string[][] = [header];
  for (const artefact of [...artefacts].sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    for (const file of artefact.files) {
      rows.push([artefact.logicalId, file.path, String(file.bytes), String(file.gzipBytes)]);
    }
  }
  const total = artefacts.reduce((sum, artefact) => sum + artefact.bytes, 0);
  rows.push(['total', '', String(total), '']);
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  // Names left-aligned, numbers right-aligned.
  const align = (cell: string, column: number) =>
    column >= 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0);
  return rows.map((row) => row.map(align).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizesOnly = args.includes('--sizes-only');
  const only = args.filter((arg) => !arg.startsWith('--'));
  const started = performance.now();
  const artefacts = sizesOnly ? await builtArtefacts() : await buildAll(only.length > 0 ? { only } : {});
  console.log(sizeReport(artefacts));
  if (!sizesOnly) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `\nBuilt ${artefacts.length} artefacts into ${relative(PROJECT_ROOT, DEFAULT_BUILD_DIR)} in ${seconds} s.`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
