import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole, type ConsoleBuild } from '../../scripts/build-console.js';

/** The console loads over a phone's connection: its JavaScript stays under this, gzipped. */
const JS_GZIP_BUDGET_BYTES = 40_000;

describe('the console build', () => {
  let outDir: string;
  let built: ConsoleBuild;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'console-build-'));
    built = await buildConsole({ outDir });
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it(`keeps the JavaScript under ${JS_GZIP_BUDGET_BYTES / 1000} kB gzip`, () => {
    expect(built.jsGzipBytes).toBeGreaterThan(0);
    expect(built.jsGzipBytes).toBeLessThan(JS_GZIP_BUDGET_BYTES);
    expect(built.jsBytes).toBeGreaterThan(built.jsGzipBytes);
    expect(built.cssGzipBytes).toBeGreaterThan(0);
  });

  it('writes content-hashed assets and an index.html that loads them from files, with nothing inline', async () => {
    const script = built.files.find((file) => /^assets\/main-[A-Z0-9]+\.js$/.test(file));
    const stylesheet = built.files.find((file) => /^assets\/main-[A-Z0-9]+\.css$/.test(file));
    expect(script).toBeDefined();
    expect(stylesheet).toBeDefined();
    expect(built.files).toContain('index.html');

    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain(`<script type="module" src="/${script!}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/${stylesheet!}" />`);
    // Every <script> has a src and is empty; no <style> element or style attribute.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toContain('src=');
      expect(body).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
