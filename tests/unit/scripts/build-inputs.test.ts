/**
 * `npm start` skips a build only when the build folder holds a finished build
 * of exactly the sources it would read: any change to the template, a
 * function's or a layer's files changes the hash; node_modules does not.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildInputsHash,
  forgetBuildInputs,
  isBuildUpToDate,
  recordBuildInputs,
} from '../../../scripts/build-inputs.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/hello
      Handler: handler.handler
      Runtime: nodejs22.x
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [handler.ts]
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared
    Metadata:
      BuildMethod: makefile
`;

describe('the build inputs hash', () => {
  let project: string;
  let template: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(project, path, '..'), { recursive: true });
    writeFileSync(join(project, path), text);
  };

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'build-inputs-'));
    template = join(project, 'template.yaml');
    write('template.yaml', TEMPLATE);
    write('functions/hello/handler.ts', 'export const handler = () => 1;');
    write('layers/shared/Makefile', 'build-SharedLayer:\n');
    write('layers/shared/src/index.ts', 'export const one = 1;');
  });
  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
  });

  test('is the same for the same sources', async () => {
    expect(await buildInputsHash(template)).toBe(await buildInputsHash(template));
  });

  test.each([
    ['a function file changed', 'functions/hello/handler.ts', 'export const handler = () => 2;'],
    ['a function file added', 'functions/hello/schema.ts', 'export {};'],
    ['a layer source changed', 'layers/shared/src/index.ts', 'export const one = 2;'],
    ['the layer Makefile changed', 'layers/shared/Makefile', 'build-SharedLayer:\n\techo\n'],
    ['the template changed', 'template.yaml', `${TEMPLATE}# a comment\n`],
  ])('changes when %s', async (_, path, text) => {
    const before = await buildInputsHash(template);
    write(path, text);

    expect(await buildInputsHash(template)).not.toBe(before);
  });

  test('ignores node_modules under a code folder', async () => {
    const before = await buildInputsHash(template);
    write('layers/shared/node_modules/some-package/index.js', 'module.exports = 1;');

    expect(await buildInputsHash(template)).toBe(before);
  });

  test('a build folder is up to date only for the hash its finished build recorded', async () => {
    const buildDir = join(project, '.aws-sam', 'build');
    mkdirSync(buildDir, { recursive: true });
    const hash = await buildInputsHash(template);
    expect(await isBuildUpToDate(buildDir, hash)).toBe(false);

    await recordBuildInputs(buildDir, hash);
    expect(await isBuildUpToDate(buildDir, hash)).toBe(true);
    expect(await isBuildUpToDate(buildDir, `${hash.slice(1)}0`)).toBe(false);

    // A build that begins forgets it: interrupted, it is not taken for finished.
    await forgetBuildInputs(buildDir);
    expect(await isBuildUpToDate(buildDir, hash)).toBe(false);
  });
});
