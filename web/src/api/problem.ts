/** The API's errors (RFC 9457 problem+json) as the console shows them. */

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null,
    readonly errors: FieldError[] = [],
    /** Seconds, from `Retry-After` on 429 and 503. */
    readonly retryAfter: number | null = null,
  ) {
    super(detail === null ? title : `${title}: ${detail}`);
    this.name = 'ApiError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the console says when the answer has no problem document of its own (API Gateway's 502, a proxy's page). */
const FALLBACK_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Signed out',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  412: 'Changed meanwhile',
  413: 'Too large',
  429: 'Busy',
  502: 'The API failed to answer',
  503: 'Busy',
  504: 'The API took too long',
};

/** `Retry-After` in seconds (delta-seconds, or an HTTP date measured from `now`). */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Turns a failed answer into an ApiError: the problem document's title, detail and field errors when it has them. */
export function problemToApiError(
  status: number,
  contentType: string | null,
  body: unknown,
  retryAfterHeader: string | null = null,
): ApiError {
  const isProblem = contentType !== null && /^application\/(problem\+)?json\b/i.test(contentType) && isRecord(body);
  const problem = isProblem ? body : {};
  const title =
    typeof problem.title === 'string' && problem.title !== ''
      ? problem.title
      : (FALLBACK_TITLES[status] ?? `The API answered ${status}`);
  const detail = typeof problem.detail === 'string' && problem.detail !== '' ? problem.detail : null;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter(isRecord).map((error) => ({
        path: typeof error.path === 'string' ? error.path : '',
        message: typeof error.message === 'string' ? error.message : '',
      }))
    : [];
  return new ApiError(status, title, detail, errors, parseRetryAfter(retryAfterHeader));
}

/** A request that never got an answer (offline, DNS, CORS refused). */
export const networkError = (): ApiError =>
  new ApiError(0, 'The API could not be reached', 'Check the connection and try again.');
