import { ApiError, networkError, problemToApiError } from './problem.js';

/** The longest a GET waits on `Retry-After` before its one automatic retry. */
const MAX_RETRY_WAIT_SECONDS = 10;

export interface ApiAnswer<T> {
  body: T;
  /** The `ETag` exactly as sent (`"4"`), for `If-Match`. */
  etag: string | null;
}

export interface ApiClientOptions {
  baseUrl: string;
  idToken: string;
  /** A 401: the token is gone or refused; sign in again. */
  onUnauthorized: () => void;
  /** A 429 or 503 on a GET, retried once after this many seconds. */
  onBusy?: (seconds: number) => void;
}

const wait = (seconds: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, seconds * 1000);
  });

/** The API over fetch: bearer token, JSON bodies, problem+json errors as ApiError. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  async get<T>(path: string): Promise<ApiAnswer<T>> {
    try {
      return await this.send<T>('GET', path);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 429 && error.status !== 503)) throw error;
      const seconds = Math.min(error.retryAfter ?? 1, MAX_RETRY_WAIT_SECONDS);
      this.options.onBusy?.(seconds);
      await wait(seconds);
      return this.send<T>('GET', path);
    }
  }

  /** Changes a ticket: only the fields given, and only if it is still at `etag`. */
  patch<T>(path: string, body: object, etag: string): Promise<ApiAnswer<T>> {
    return this.send<T>('PATCH', path, body, { 'If-Match': etag });
  }

  /** Creates something once: a retry with the same key and body answers the first result. */
  post<T>(path: string, body: object, idempotencyKey: string): Promise<ApiAnswer<T>> {
    return this.send<T>('POST', path, body, { 'Idempotency-Key': idempotencyKey });
  }

  private async send<T>(
    method: string,
    path: string,
    body?: object,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.options.idToken}`,
      ...extraHeaders,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw networkError();
    }
    const contentType = response.headers.get('Content-Type');
    const parsed: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      if (response.status === 401) this.options.onUnauthorized();
      throw problemToApiError(response.status, contentType, parsed, response.headers.get('Retry-After'));
    }
    return { body: parsed as T, etag: response.headers.get('ETag') };
  }
}
