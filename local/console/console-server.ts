/**
 * The agent console on this machine, on its own origin as CloudFront serves
 * it in AWS: the built console (`npm run build:console` writes web/dist),
 * `/config.json` telling it where the API and the sign-in are, and the local
 * sign-in (sign-in.ts) in place of Cognito's hosted UI. Every answer carries
 * the security headers of the template's ConsoleSecurityHeaders
 * (security-headers.ts). It listens on 127.0.0.1 only and answers only
 * requests addressed to 127.0.0.1 on its port (a page read as localhost is
 * sent there), so a page whose name was rebound to this machine (DNS
 * rebinding) reaches nothing.
 */
import { realpathSync, statSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { ConsoleConfig } from '../../web/src/config.js';
import { contentTypeOf, IMMUTABLE, REVALIDATE } from '../../scripts/console-files.js';
import { closeServer, listenOnLoopback, LOOPBACK_HOST } from '../http/loopback-server.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { addressInUseError } from '../system/errors.js';
import type { LocalSigningKey } from '../token/signing-key.js';
import { readTemplate } from '../../scripts/sam-template.js';
import { consoleSecurityHeaders } from './security-headers.js';
import { escapeHtml, LOCAL_CONSOLE_CLIENT_ID, LOCAL_CONSOLE_SCOPES, LocalSignIn } from './sign-in.js';

/** Forms and token requests are small; anything larger is refused unread. */
const MAX_FORM_BYTES = 16 * 1024;

/** esbuild's `[name]-[hash]` file names: the hash changes with the content, so such a file never does. */
const HASHED_ASSET = /-[A-Z0-9]{8}(\.[a-z0-9]+)+$/;
export interface ConsoleServerOptions {
  /** 0 lets the OS pick a free port. */
  port: number;
  /** The built console: index.html and assets/. */
  dir: string;
  /** The local API's base URL, read per request: the API starts after the console (undefined until then). */
  apiUrl: () => string | undefined;
  /** The key local ID tokens are signed with (the state directory's). */
  signingKey: LocalSigningKey;
  /** The clock of the sign-in's codes, in milliseconds; Date.now by default. */
  now?: () => number;
}

/** An answer: its status, headers (the security headers are added to all) and body. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ConsoleServer {
  /** The console's origin, e.g. http://127.0.0.1:3001 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const server = createServer();
  try {
    await listenOnLoopback(server, options.port);
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? addressInUseError(
          `The agent console could not start: ${LOOPBACK_HOST}:${options.port} is already in use.`,
          error,
        )
      : error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${LOOPBACK_HOST}:${port}`;
  // Its origin names its port: handled once bound (no request is read before this runs).
  const handler = new ConsoleRequestHandler(options, url, port);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handler.handle(request, response).catch((error: unknown) => {
      console.error('agent console: request failed:', error);
      handler.failed(request, response);
    });
  });
  let stopping: Promise<void> | undefined;
  return { url, port, stop: () => (stopping ??= closeServer(server)) };
}

class ConsoleRequestHandler {
  readonly #signIn: LocalSignIn;
  readonly #dir: string;
  readonly #host: string;
  /** Also this machine, but another origin: sign-in and CORS know the console by 127.0.0.1 alone. */
  readonly #localhost: string;
  /** Read once: a mistake in the template's policy fails the start, not a request. */
  readonly #template = readTemplate();
  #securityHeaders: { apiUrl: string; headers: Record<string, string> } | undefined;

  constructor(
    private readonly options: ConsoleServerOptions,
    private readonly origin: string,
    port: number,
  ) {
    this.#signIn = new LocalSignIn({ consoleOrigin: origin, signingKey: options.signingKey, now: options.now });
    this.#dir = resolve(options.dir);
    this.#host = `${LOOPBACK_HOST}:${port}`;
    this.#localhost = `localhost:${port}`;
    this.#headersFor(origin);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const apiUrl = this.options.apiUrl();
    const send = (answer: Answer) => {
      this.#send(request, response, answer, apiUrl);
    };
    if (apiUrl === undefined) {
      send(textAnswer(503, 'The local API is starting: reload in a moment.'));
      return;
    }
    const method = request.method ?? 'GET';
    const host = request.headers.host ?? '';
    if (host === this.#localhost && (method === 'GET' || method === 'HEAD') && request.url?.startsWith('/')) {
      send({ status: 308, headers: { Location: `${this.origin}${request.url}` }, body: '' });
      return;
    }
    if (host !== this.#host) {
      send(textAnswer(421, 'This server answers only requests to 127.0.0.1 on its port.'));
      return;
    }
    // Only a path (origin-form): an absolute URL is for proxies, and `//name/…` is a path here, not a host.
    const target = request.url ?? '';
    let url: URL | undefined;
    try {
      if (target.startsWith('/')) url = new URL(`${this.origin}${target}`);
    } catch {
      // Answered below.
    }
    if (url?.origin !== this.origin) {
      send(textAnswer(400, 'The request target is not a path.'));
      return;
    }
    const route = `${method} ${url.pathname}`;
    switch (route) {
      case 'GET /oauth2/authorize':
        send(this.#signIn.authorizeForm(url.searchParams));
        return;
      case 'POST /oauth2/authorize': {
        const form = await readForm(request);
        send(form instanceof URLSearchParams ? this.#signIn.authorizeSubmit(form, request.headers.origin) : form);
        return;
      }
      case 'POST /oauth2/token': {
        // A page of another origin has no business here (the console calls it from its own).
        if (request.headers.origin !== undefined && request.headers.origin !== this.origin) {
          send(textAnswer(403, 'The token endpoint answers the agent console only.'));
          return;
        }
        const form = await readForm(request);
        send(form instanceof URLSearchParams ? await this.#signIn.token(form) : form);
        return;
      }
      case 'GET /logout':
        send(this.#signIn.logout(url.searchParams));
        return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send({ ...textAnswer(405, 'Method not allowed.'), headers: { ...textHeaders(), Allow: 'GET, HEAD' } });
      return;
    }
    if (url.pathname === '/config.json') {
      send(this.#config(apiUrl));
      return;
    }
    send(this.#file(url.pathname));
  }

  #config(apiUrl: string): Answer {
    const config: ConsoleConfig = {
      apiUrl,
      auth: { authority: this.origin, clientId: LOCAL_CONSOLE_CLIENT_ID, scopes: [...LOCAL_CONSOLE_SCOPES] },
    };
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': REVALIDATE },
      body: JSON.stringify(config),
    };
  }

  /** `/` (index.html) or a file under assets/, never anything outside the console's folder. */
  #file(pathname: string): Answer {
    if (pathname === '/' || pathname === '/index.html') {
      const index = join(this.#dir, 'index.html');
      if (!isFile(index)) {
        return htmlPage(
          503,
          'The agent console is not built',
          `No index.html in ${this.#dir}: run npm run build:console, then reload.`,
        );
      }
      return fileAnswer(index, REVALIDATE);
    }
    if (!pathname.startsWith('/assets/')) return notFound();
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return notFound();
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return notFound();
    const assets = join(this.#dir, 'assets');
    const path = resolve(this.#dir, `.${decoded}`);
    if (!isInside(assets, path) || !isFile(path)) return notFound();
    // A link inside the folder may still point out of it.
    if (!isInside(realpathSync(assets), realpathSync(path))) return notFound();
    return fileAnswer(path, HASHED_ASSET.test(path) ? IMMUTABLE : REVALIDATE);
  }

  /** The answer to a request whose handling failed: still with the security headers. */
  failed(request: IncomingMessage, response: ServerResponse): void {
    this.#send(
      request,
      response,
      textAnswer(500, 'Internal error of the local console server.'),
      this.options.apiUrl(),
    );
    if (!response.writableEnded) response.end();
  }

  #send(request: IncomingMessage, response: ServerResponse, answer: Answer, apiUrl: string | undefined): void {
    if (response.headersSent || response.destroyed) return;
    const headers = {
      // Before the API runs, connect-src names the console alone.
      ...this.#headersFor(apiUrl ?? this.origin),
      ...answer.headers,
      'Content-Length': String(Buffer.byteLength(answer.body)),
    };
    response.writeHead(answer.status, headers);
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }

  /** The security headers with connect-src naming `apiUrl`, made again only when the API moved. */
  #headersFor(apiUrl: string): Record<string, string> {
    if (this.#securityHeaders?.apiUrl !== apiUrl) {
      const headers = consoleSecurityHeaders({ apiUrl, consoleOrigin: this.origin }, this.#template);
      this.#securityHeaders = { apiUrl, headers };
    }
    return this.#securityHeaders.headers;
  }
}

/** The request's form-encoded body, or the answer that refuses it. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | Answer> {
  const type = (request.headers['content-type'] ?? '').replace(/;.*$/s, '').trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    request.resume();
    return textAnswer(415, 'Send application/x-www-form-urlencoded.');
  }
  try {
    return new URLSearchParams((await readBody(request, { maxBytes: MAX_FORM_BYTES })).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return textAnswer(413, 'The form is too large.');
    throw error;
  }
}

function isInside(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fileAnswer(path: string, cacheControl: string): Answer {
  return {
    status: 200,
    headers: {
      'Content-Type': contentTypeOf(path),
      'Cache-Control': cacheControl,
    },
    // The console is small, and served to one developer: read whole, as it is now.
    body: readFileSync(path),
  };
}

function notFound(): Answer {
  return textAnswer(404, 'Not found.');
}

function textHeaders(): Record<string, string> {
  return { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
}

function textAnswer(status: number, text: string): Answer {
  return { status, headers: textHeaders(), body: text };
}

function htmlPage(status: number, title: string, message: string): Answer {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    body: `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<link rel="icon" href="data:,">\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n</body>\n</html>\n`,
  };
}
