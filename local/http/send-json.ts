import type { ServerResponse } from 'node:http';

/** A JSON answer (`application/json` unless `headers` says otherwise); none once the response has begun or its client is gone. */
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
