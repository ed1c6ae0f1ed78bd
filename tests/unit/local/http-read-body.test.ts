import { describe, expect, test } from '@jest/globals';
import { Readable } from 'node:stream';
import { BodyTooLargeError, readBody } from '../../../local/http/read-body.js';

/** The request body as the local servers read it, within a byte limit. */

/** A request whose body arrives in these chunks; `read` counts the chunks consumed. */
function request(chunks: string[]): { request: Readable; read: () => number } {
  let read = 0;
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        read += 1;
        yield Buffer.from(chunk);
      }
    })(),
  );
  return { request: stream, read: () => read };
}

describe('readBody', () => {
  test('the whole body, up to and including the limit', async () => {
    await expect(readBody(request(['ab', 'cd']).request, { maxBytes: 4 })).resolves.toEqual(Buffer.from('abcd'));
  });

  test('over the limit: BodyTooLargeError, reading no further', async () => {
    const oversized = request(['abc', 'de', 'fg', 'hi']);
    const failure = readBody(oversized.request, { maxBytes: 4 });
    await expect(failure).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(failure).rejects.toThrow('Request body exceeds 4 bytes');
    expect(oversized.read()).toBe(2);
  });

  test('over the limit with drainOversized: the rest is read, then BodyTooLargeError', async () => {
    const oversized = request(['abc', 'de', 'fg', 'hi']);
    await expect(readBody(oversized.request, { maxBytes: 4, drainOversized: true })).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    expect(oversized.read()).toBe(4);
  });
});
