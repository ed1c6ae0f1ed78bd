/**
 * What the "try it" scripts (try-smoke, try-api, try-tickets) share: where the
 * API is and who calls it.
 *
 *   API_URL    base URL, default http://127.0.0.1:${PORT:-3000} (npm start's); for a deployed
 *              stack its stage URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/dev
 *   API_TOKEN  bearer token; default: one minted with the local key (only the local
 *              API accepts those); for a deployed stack, a Cognito ID token
 */
import { mintIdToken } from '../local/token/id-token.js';
import { loadOrCreateSigningKey } from '../local/token/signing-key.js';

/** Where `npm start` serves the API when started with the same PORT. */
const LOCAL_API_URL = `http://127.0.0.1:${process.env.PORT || 3000}`;

export const API_URL = (process.env.API_URL || LOCAL_API_URL).replace(/\/+$/, '');

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** API_TOKEN, or for the local API a token minted with the local key for `identity`. */
export async function apiToken(identity: { sub: string; agent?: boolean } = { sub: 'try-it' }): Promise<string> {
  if (process.env.API_TOKEN) return process.env.API_TOKEN;
  if (!isLocal(API_URL)) {
    throw new Error(
      `API_URL ${API_URL} is not the local API: set API_TOKEN to a Cognito ID token of that stack's user pool.`,
    );
  }
  const key = await loadOrCreateSigningKey(process.env.LOCAL_STATE_DIR || undefined);
  return mintIdToken(key, { sub: identity.sub, email: `${identity.sub}@example.com`, agent: identity.agent });
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
  milliseconds: number;
}

export async function callApi(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('Authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${API_URL}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new Error(
      `Cannot reach ${API_URL} (${(error as Error).cause ?? (error as Error).message}). Is \`npm start\` running?`,
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** Runs a script's main, printing a failure as one line and exiting 1. */
export function runScript(main: () => Promise<boolean>): void {
  main().then(
    (passed) => process.exit(passed ? 0 : 1),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
