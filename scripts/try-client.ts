/**
 * What the "try it" scripts (try-smoke, try-api, try-tickets, try-conversation)
 * share: where the API is and who calls it.
 *
 *   API_URL          base URL, default http://127.0.0.1:${PORT:-3000} (npm start's); for a deployed
 *                    stack its stage URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/dev
 *   API_TOKEN        bearer token; default: one minted with the local key (only the local
 *                    API accepts those); for a deployed stack, a Cognito ID token
 *   API_AGENT_TOKEN  an agent's bearer token, for the scripts that act as an agent too; default:
 *                    one minted with the local key; for a deployed stack, the ID token of a member
 *                    of the user pool's agents group
 */
import type { Comment, CommentPage } from '../layers/shared/src/domain/comment-schema.js';
import type { TicketPage } from '../layers/shared/src/domain/ticket-repository.js';
import type { Ticket, TicketWithHistory } from '../layers/shared/src/domain/ticket.js';
import { mintIdToken } from '../local/token/id-token.js';
import { loadOrCreateSigningKey } from '../local/token/signing-key.js';

/** An unset or empty variable is not given. */
const setting = (name: string): string | undefined => {
  const value = process.env[name];
  return value === '' ? undefined : value;
};

/** Where `npm start` serves the API when started with the same PORT. */
const LOCAL_API_URL = `http://127.0.0.1:${setting('PORT') ?? '3000'}`;

export const API_URL = (setting('API_URL') ?? LOCAL_API_URL).replace(/\/+$/, '');

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/**
 * API_TOKEN (API_AGENT_TOKEN for an agent), or for the local API a token
 * minted with the local key for `identity`.
 */
export async function apiToken(identity: { sub: string; agent?: boolean } = { sub: 'try-it' }): Promise<string> {
  const token = setting(identity.agent ? 'API_AGENT_TOKEN' : 'API_TOKEN');
  if (token !== undefined) return token;
  if (!isLocal(API_URL)) {
    throw new Error(
      `API_URL ${API_URL} is not the local API: set ${identity.agent ? 'API_AGENT_TOKEN' : 'API_TOKEN'} to a Cognito ID token of that stack's user pool.`,
    );
  }
  const key = await loadOrCreateSigningKey(setting('LOCAL_STATE_DIR'));
  return mintIdToken(key, { sub: identity.sub, email: `${identity.sub}@example.com`, agent: identity.agent });
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text itself when it is not JSON, or undefined when empty: read it through a guard below. */
  body: unknown;
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
    throw new Error(`Cannot reach ${API_URL} (${reasonOf(error)}). Is \`npm start\` running?`, { cause: error });
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

/** Why fetch failed: the network error it wraps (its `cause`), else its message. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause } = error;
  if (cause instanceof Error) return cause.toString();
  return typeof cause === 'string' ? cause : error.message;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a body is a ticket as the contract gives it (ARCHITECTURE.md). The
 * fields a script prints are checked; the rest is taken on the contract's
 * word (the end-to-end tests check every answer against the OpenAPI document).
 */
export function isTicket(body: unknown): body is Ticket {
  return (
    isObject(body) &&
    typeof body.id === 'string' &&
    typeof body.subject === 'string' &&
    typeof body.description === 'string' &&
    typeof body.status === 'string' &&
    typeof body.priority === 'string' &&
    typeof body.category === 'string' &&
    isObject(body.requester) &&
    isObject(body.analysis) &&
    typeof body.analysis.status === 'string'
  );
}

export function isTicketWithHistory(body: unknown): body is TicketWithHistory {
  return isTicket(body) && 'history' in body && Array.isArray(body.history);
}

export function isTicketPage(body: unknown): body is TicketPage {
  return isObject(body) && Array.isArray(body.items) && body.items.every(isTicket);
}

/** Whether a body is a comment as the contract gives it; the fields a script prints are checked. */
export function isComment(body: unknown): body is Comment {
  return (
    isObject(body) &&
    typeof body.id === 'string' &&
    typeof body.body === 'string' &&
    typeof body.visibility === 'string' &&
    isObject(body.author) &&
    typeof body.author.id === 'string' &&
    isObject(body.analysis) &&
    typeof body.analysis.status === 'string'
  );
}

export function isCommentPage(body: unknown): body is CommentPage {
  return isObject(body) && Array.isArray(body.items) && body.items.every(isComment);
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
