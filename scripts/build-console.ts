/**
 * Builds the agent console (web/) into a folder of static files: esbuild bundles
 * web/src/main.tsx and the stylesheet it imports into content-hashed
 * `assets/[name]-[hash].{js,css}`, and index.html is written from web/index.html
 * with a `<script type="module" src>` and a `<link rel="stylesheet">` pointing at
 * them. Nothing is inlined, so the console runs under `script-src 'self';
 * style-src 'self'; require-trusted-types-for 'script'`.
 *
 *   npm run build:console    build into web/dist and print the sizes
 */
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from './sam-template.js';

export const CONSOLE_SOURCE_DIR = join(PROJECT_ROOT, 'web');
export const DEFAULT_CONSOLE_DIR = join(CONSOLE_SOURCE_DIR, 'dist');

export interface ConsoleBuild {
  outDir: string;
  /** Paths inside outDir, `/`-separated: index.html and assets/*. */
  files: string[];
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
}

const escapeAttribute = (value: string): string =>
  value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** index.html with the hashed script and stylesheet, both external. */
export function consoleIndexHtml(template: string, scriptPath: string, stylesheetPath: string | undefined): string {
  const tags = [
    ...(stylesheetPath ? [`<link rel="stylesheet" href="/${escapeAttribute(stylesheetPath)}" />`] : []),
    `<script type="module" src="/${escapeAttribute(scriptPath)}"></script>`,
  ];
  if (!template.includes('</head>')) throw new Error('web/index.html has no </head>');
  return template.replace('</head>', `  ${tags.join('\n    ')}\n  </head>`);
}

export async function buildConsole(options: { outDir: string; minify?: boolean }): Promise<ConsoleBuild> {
  const outDir = resolve(options.outDir);
  const minify = options.minify ?? true;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(CONSOLE_SOURCE_DIR, 'src', 'main.tsx')],
    outdir: outDir,
    entryNames: 'assets/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(CONSOLE_SOURCE_DIR, 'tsconfig.json'),
    minify,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) =>
    relative(outDir, resolve(path)).replaceAll('\\', '/'),
  );
  const script = outputs.find((path) => path.endsWith('.js'));
  const stylesheet = outputs.find((path) => path.endsWith('.css'));
  if (!script) throw new Error('esbuild wrote no script for web/src/main.tsx');
  const template = await readFile(join(CONSOLE_SOURCE_DIR, 'index.html'), 'utf8');
  await writeFile(join(outDir, 'index.html'), consoleIndexHtml(template, script, stylesheet));
  const js = await readFile(join(outDir, script));
  const css = stylesheet ? await readFile(join(outDir, stylesheet)) : Buffer.alloc(0);
  return {
    outDir,
    files: ['index.html', ...outputs].sort(),
    jsBytes: js.byteLength,
    jsGzipBytes: gzipSync(js).byteLength,
    cssGzipBytes: stylesheet ? gzipSync(css).byteLength : 0,
  };
}

const kilobytes = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

async function main(): Promise<void> {
  const started = performance.now();
  const built = await buildConsole({ outDir: DEFAULT_CONSOLE_DIR });
  const milliseconds = Math.round(performance.now() - started);
  console.log(`Built the console into ${relative(PROJECT_ROOT, built.outDir)} in ${milliseconds} ms:`);
  for (const file of built.files) console.log(`  ${file}`);
  console.log(
    `JavaScript ${kilobytes(built.jsBytes)} (${kilobytes(built.jsGzipBytes)} gzip), CSS ${kilobytes(built.cssGzipBytes)} gzip.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
