import type { Readable } from 'node:stream';

/** Reading a request body, for the local servers (the local API, the Comprehend stand-in). */

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`Request body exceeds ${maxBytes} bytes`);
  }
}

export interface ReadBodyOptions {
  maxBytes: number;
  /**
   * Read an oversized body to its end, dropping it, before failing, so the
   * client receives the answer rather than a connection reset in the middle
   * of its upload (API Gateway's 413). Otherwise fail as soon as the limit is
   * passed, reading no further.
   */
  drainOversized?: boolean;
}

/** The whole body of a request (an IncomingMessage); BodyTooLargeError when it has more than `maxBytes` bytes. */
export async function readBody(
  request: Readable,
  { maxBytes, drainOversized = false }: ReadBodyOptions,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
    else if (!drainOversized) break;
  }
  if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
  return Buffer.concat(chunks);
}
