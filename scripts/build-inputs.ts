import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { esbuildFunctions, makefileLayers, PROJECT_ROOT, readTemplate } from './sam-template.js';

/*
 * What a build was made from, so that `npm start` can skip a build whose
 * inputs have not changed: a hash of the template, every file under each
 * function's CodeUri and each layer's ContentUri (node_modules aside), the
 * lockfile (dependency versions, esbuild's included), the TypeScript settings
 * and the build's own code. A full build writes it into the build folder once
 * it has succeeded; a build that starts removes it first, so a failed or
 * interrupted build is never taken for a finished one.
 */

const STAMP_FILE = '.build-inputs';

/** Files outside the template's code folders that change what a build makes. */
const BUILD_FILES = [
  'package-lock.json',
  'tsconfig.json',
  'scripts/build.ts',
  'scripts/build-inputs.ts',
  'scripts/sam-template.ts',
  'scripts/cloudformation-template.ts',
];

/** A hash of everything the build of `templatePath` reads. */
export async function buildInputsHash(templatePath: string): Promise<string> {
  const template = readTemplate(templatePath);
  const folders = [
    ...esbuildFunctions(template, templatePath).map((fn) => fn.codeDir),
    ...makefileLayers(template, templatePath).map((layer) => layer.contentDir),
  ];
  const files = [
    templatePath,
    ...BUILD_FILES.map((file) => join(PROJECT_ROOT, file)),
    ...(await Promise.all([...new Set(folders)].map((folder) => filesUnder(folder)))).flat(),
  ];
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    const content = await readFile(file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.from('(none)');
      throw error;
    });
    hash
      .update(relative(dirname(templatePath), file))
      .update('\0')
      .update(content)
      .update('\0');
  }
  return hash.digest('hex');
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? Promise.resolve([]) : filesUnder(path);
      return Promise.resolve(entry.isFile() ? [path] : []);
    }),
  );
  return nested.flat();
}

/** Whether `buildDir` holds a finished build of exactly these inputs. */
export async function isBuildUpToDate(buildDir: string, inputsHash: string): Promise<boolean> {
  const stamp = await readFile(join(buildDir, STAMP_FILE), 'utf8').catch(() => '');
  return stamp.trim() === inputsHash;
}

export async function forgetBuildInputs(buildDir: string): Promise<void> {
  await rm(join(buildDir, STAMP_FILE), { force: true });
}

export async function recordBuildInputs(buildDir: string, inputsHash: string): Promise<void> {
  await writeFile(join(buildDir, STAMP_FILE), `${inputsHash}\n`);
}
