import { gzipSync } from 'node:zlib';

/*
 * A Lambda proxy integration's result turned into the HTTP answer, as API
 * Gateway does: statusCode, headers and multiValueHeaders (merged), body
 * (decoded when isBase64Encoded). A result of any other shape is the
 * function's fault: API Gateway answers 502 instead.
 */

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

export class MalformedProxyResponseError extends Error {
  override name = 'MalformedProxyResponseError';
}

type HeaderValue = string | number | boolean;

interface ProxyResult {
  statusCode: number;
  headers?: Record<string, HeaderValue>;
  multiValueHeaders?: Record<string, HeaderValue[]>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export function answerFromProxyResult(result: unknown): HttpAnswer {
  if (!isProxyResult(result)) {
    throw new MalformedProxyResponseError(
      `Malformed Lambda proxy response: ${(JSON.stringify(result) as string | undefined)?.slice(0, 200)}`,
    );
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = [String(value)];
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name] = [...(headers[name] ?? []), ...values.map(String)];
  }
  if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = ['application/json'];
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return { statusCode: result.statusCode, headers, body };
}

function isProxyResult(value: unknown): value is ProxyResult {
  if (typeof value !== 'object' || value === null) return false;
  const { statusCode, headers, multiValueHeaders, body } = value as Record<string, unknown>;
  const isHeaderMap = (map: unknown, multi: boolean) =>
    map === undefined ||
    map === null ||
    (typeof map === 'object' &&
      Object.values(map).every((entry) =>
        multi ? Array.isArray(entry) && entry.every(isPrimitive) : isPrimitive(entry),
      ));
  return (
    Number.isInteger(statusCode) &&
    (statusCode as number) >= 100 &&
    (statusCode as number) <= 599 &&
    isHeaderMap(headers, false) &&
    isHeaderMap(multiValueHeaders, true) &&
    (body === undefined || body === null || typeof body === 'string')
  );
}

const isPrimitive = (value: unknown): value is HeaderValue =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

export function hasHeader(headers: Record<string, string[]>, lowerCaseName: string): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === lowerCaseName);
}

/** API Gateway's MinimumCompressionSize: gzip a body at least that large when the client accepts it. */
export function compressIfAccepted(
  answer: HttpAnswer,
  acceptEncoding: string | undefined,
  minimumSize: number | null,
): HttpAnswer {
  if (
    minimumSize === null ||
    !acceptsGzip(acceptEncoding) ||
    answer.body.length < minimumSize ||
    hasHeader(answer.headers, 'content-encoding')
  ) {
    return answer;
  }
  return { ...answer, headers: { ...answer.headers, 'Content-Encoding': ['gzip'] }, body: gzipSync(answer.body) };
}

/** Whether an Accept-Encoding header allows gzip (`gzip`, `gzip;q=0.5`, `*`), and not with q=0. */
function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (quality === undefined || Number(quality.slice(2)) > 0);
  });
}
