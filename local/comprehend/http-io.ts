/** Small node:http helpers shared by the Comprehend and admin routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads the whole body, refusing more than `maxBytes` (the connection is then closed). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(`Request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(statusCode, {
    'content-type': 'application/json',
    ...headers,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Parses JSON, mapping a syntax error to `undefined` so callers choose their own error. */
export function parseJsonOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: text.trim() === '' ? {} : JSON.parse(text) };
  } catch {
    return undefined;
  }
}
