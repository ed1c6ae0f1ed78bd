/** Small node:http helpers: the admin routes' answers, and JSON bodies for both the admin and the Comprehend routes. */
import type { ServerResponse } from 'node:http';

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

/** Parses a JSON body (UTF-8), mapping a syntax error to `undefined` so callers choose their own error. */
export function parseJsonOrUndefined(body: Buffer): { value: unknown } | undefined {
  const text = body.toString('utf8');
  try {
    return { value: text.trim() === '' ? {} : JSON.parse(text) };
  } catch {
    return undefined;
  }
}
