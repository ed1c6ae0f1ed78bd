/**
 * The rules the layout depends on, checked on the source: functions import the
 * shared layer and their own files only; the layer imports no function, test
 * or local-runtime code; nothing scans the table; an error's name is read in
 * one place; the README's Layout names every folder; the committed request
 * validators match their schemas.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorNameOf } from '../../../layers/shared/src/error-name.js';
import { compiledValidators } from '../../../scripts/compile-validators.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => (match[1] ?? match[2]) as string);
}

const functionFiles = sourceFiles(join(root, 'functions'));
const layerFiles = sourceFiles(join(root, 'layers', 'shared', 'src'));

describe('functions', () => {
  test('there are five, each with a handler', () => {
    const handlers = functionFiles.filter((file) => file.endsWith('handler.ts')).map((file) => relative(root, file));
    expect(handlers.sort()).toEqual([
      'functions/analyze-ticket/handler.ts',
      'functions/create-ticket/handler.ts',
      'functions/get-ticket/handler.ts',
      'functions/list-tickets/handler.ts',
      'functions/update-ticket/handler.ts',
    ]);
  });

  test.each(functionFiles.map((file) => [relative(root, file), file]))(
    '%s imports only the shared layer and its own folder',
    (_name, file) => {
      const foreign = importsOf(file).filter(
        (specifier) => specifier !== '@aws-support-system/shared' && !specifier.startsWith('./'),
      );
      expect(foreign).toEqual([]);
    },
  );

  test('every handler is built by the one middleware stack of its kind (HTTP routes, or stream batches)', () => {
    for (const file of functionFiles.filter((name) => name.endsWith('handler.ts'))) {
      expect(readFileSync(file, 'utf8')).toMatch(/export const handler = (httpHandler(<[^>]+>)?|streamHandler)\(/);
    }
  });
});

describe('the shared layer', () => {
  test.each(layerFiles.map((file) => [relative(root, file), file]))(
    '%s imports no function, test or local-runtime code',
    (_name, file) => {
      const inward = importsOf(file).filter((specifier) => /(^|\/)(functions|tests|local|scripts)\//.test(specifier));
      expect(inward).toEqual([]);
    },
  );

  test('never scans the table', () => {
    const scanning = [...layerFiles, ...functionFiles].filter((file) =>
      /\bScan(Command)?\b|\.scan\(/.test(readFileSync(file, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
    );
    expect(scanning.map((file) => relative(root, file))).toEqual([]);
  });

  test("reads an error's name with one helper (error-name.ts)", () => {
    const own = layerFiles.filter(
      (file) =>
        !file.endsWith('error-name.ts') && /function \w+\(error: unknown\): string\b/.test(readFileSync(file, 'utf8')),
    );
    expect(own.map((file) => relative(root, file))).toEqual([]);
    expect(errorNameOf(Object.assign(new Error('quoted customer text'), { name: 'ThrottlingException' }))).toBe(
      'ThrottlingException',
    );
    expect(errorNameOf(new TypeError('x'))).toBe('TypeError');
    for (const nameless of [null, undefined, 'text', { name: '' }, { name: 42 }])
      expect(errorNameOf(nameless)).toBe('UnknownError');
  });
});

describe("the README's Layout", () => {
  test('names every folder of the layer, the local runtime and the tests', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('## Local development'));
    const folders = (parent: string) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
        .map((entry) => entry.name);
    const named = (prefix: string) => (name: string) => new RegExp(`^\\s*${prefix}${name}/\\s`, 'm').test(layout);
    expect(folders('layers/shared/src').filter((name) => !named('src/')(name))).toEqual([]);
    expect(folders('local').filter((name) => !named('')(name))).toEqual([]);
    expect(folders('tests').filter((name) => name !== 'support' && !named('tests/')(name))).toEqual([]);
  });
});

describe('request validators', () => {
  test('each committed validator is the one its schema compiles to (npm run compile-validators)', async () => {
    for (const { path, source } of await compiledValidators()) {
      expect(readFileSync(path, 'utf8')).toBe(source);
    }
  });
});
