/**
 * The agent console's security headers, as CloudFront sends them in AWS: read
 * from the template's `ConsoleSecurityHeaders` response headers policy, so the
 * local console is served under the very policy the deployed one is. Two
 * changes make it fit this machine: connect-src names the local API and the
 * console's own origin (the local sign-in's token endpoint) in place of the
 * two AWS hosts, and what only makes sense over HTTPS (HSTS,
 * upgrade-insecure-requests) is left out, since it would break
 * http://127.0.0.1.
 */
import { readTemplate, type Template } from '../../scripts/sam-template.js';

/** The policy's logical id in template.yaml. */
export const SECURITY_HEADERS_POLICY = 'ConsoleSecurityHeaders';

export interface LocalConsoleOrigins {
  /** The local API's base URL, which the console calls. */
  apiUrl: string;
  /** The console's own origin, where the local sign-in also answers. */
  consoleOrigin: string;
}

/** What the template's policy sets, each header by name, the CSP still naming the AWS hosts. */
interface PolicyHeaders {
  contentSecurityPolicy: string;
  headers: Record<string, string>;
}

/** Fails with what the template says that this reader does not know how to serve locally. */
export class UnsupportedSecurityHeaderError extends Error {
  override name = 'UnsupportedSecurityHeaderError';
}

/** The CSP directives that only apply over HTTPS. */
const HTTPS_ONLY_DIRECTIVES = new Set(['upgrade-insecure-requests', 'block-all-mixed-content']);

/**
 * Every header the console's responses carry locally: the template's policy
 * with connect-src pointing at `origins`, HSTS and upgrade-insecure-requests left out.
 */
export function consoleSecurityHeaders(
  origins: LocalConsoleOrigins,
  template: Template = readTemplate(),
): Record<string, string> {
  const { contentSecurityPolicy, headers } = policyHeaders(template);
  return { ...headers, 'Content-Security-Policy': localContentSecurityPolicy(contentSecurityPolicy, origins) };
}

/** The template's CSP with the AWS hosts of connect-src swapped for the local ones. */
function localContentSecurityPolicy(policy: string, origins: LocalConsoleOrigins): string {
  const directives = parseContentSecurityPolicy(policy).filter(([name]) => !HTTPS_ONLY_DIRECTIVES.has(name));
  const local = directives.map(([name, sources]): [string, string[]] =>
    name === 'connect-src' ? [name, sources.map((source) => localSource(source, origins))] : [name, sources],
  );
  const text = serializeContentSecurityPolicy(local);
  if (text.includes('${')) {
    throw new UnsupportedSecurityHeaderError(
      `${SECURITY_HEADERS_POLICY}: the CSP names a host only AWS resolves outside connect-src: ${policy}`,
    );
  }
  return text;
}

/** A connect-src source as it is on this machine: the API for execute-api, the console for the hosted UI. */
function localSource(source: string, { apiUrl, consoleOrigin }: LocalConsoleOrigins): string {
  if (!source.includes('${')) return source;
  if (source.startsWith('https://*.execute-api.')) return new URL(apiUrl).origin;
  if (source.endsWith('.amazoncognito.com')) return consoleOrigin;
  throw new UnsupportedSecurityHeaderError(
    `${SECURITY_HEADERS_POLICY}: connect-src names ${source}, which has no local counterpart.`,
  );
}

/** `name source source; name …` as [name, sources] pairs, in order. */
export function parseContentSecurityPolicy(policy: string): [string, string[]][] {
  return policy
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .flatMap(([name, ...sources]): [string, string[]][] =>
      name === undefined || name === '' ? [] : [[name.toLowerCase(), sources]],
    );
}

export function serializeContentSecurityPolicy(directives: readonly (readonly [string, readonly string[]])[]): string {
  return directives.map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/** The headers `ConsoleSecurityHeaders` makes CloudFront send, as written in the template. */
function policyHeaders(template: Template): PolicyHeaders {
  const resource = template.Resources[SECURITY_HEADERS_POLICY];
  if (resource?.Type !== 'AWS::CloudFront::ResponseHeadersPolicy') {
    throw new UnsupportedSecurityHeaderError(
      `template.yaml has no ${SECURITY_HEADERS_POLICY} of type AWS::CloudFront::ResponseHeadersPolicy.`,
    );
  }
  const config = (resource.Properties?.ResponseHeadersPolicyConfig ?? {}) as {
    SecurityHeadersConfig?: Record<string, Record<string, unknown>>;
    CustomHeadersConfig?: { Items?: { Header: string; Value: string }[] };
    CorsConfig?: unknown;
    RemoveHeadersConfig?: unknown;
    ServerTimingHeadersConfig?: unknown;
  };
  if (config.CorsConfig !== undefined || config.RemoveHeadersConfig !== undefined) {
    throw new UnsupportedSecurityHeaderError(
      `${SECURITY_HEADERS_POLICY}: CorsConfig and RemoveHeadersConfig are not served locally.`,
    );
  }
  const headers: Record<string, string> = {};
  let contentSecurityPolicy: string | undefined;
  for (const [kind, setting] of Object.entries(config.SecurityHeadersConfig ?? {})) {
    switch (kind) {
      case 'ContentSecurityPolicy':
        contentSecurityPolicy = cspText(setting.ContentSecurityPolicy);
        break;
      case 'StrictTransportSecurity':
        // HTTPS only: a browser ignores it over http, and it must not pin 127.0.0.1 or localhost to HTTPS.
        break;
      case 'ContentTypeOptions':
        headers['X-Content-Type-Options'] = 'nosniff';
        break;
      case 'FrameOptions':
        headers['X-Frame-Options'] = String(setting.FrameOption);
        break;
      case 'ReferrerPolicy':
        headers['Referrer-Policy'] = String(setting.ReferrerPolicy);
        break;
      case 'XSSProtection':
        headers['X-XSS-Protection'] = xssProtection(setting);
        break;
      default:
        throw new UnsupportedSecurityHeaderError(`${SECURITY_HEADERS_POLICY}: ${kind} is not served locally.`);
    }
  }
  for (const { Header, Value } of config.CustomHeadersConfig?.Items ?? []) headers[Header] = Value;
  if (contentSecurityPolicy === undefined) {
    throw new UnsupportedSecurityHeaderError(`${SECURITY_HEADERS_POLICY} sets no Content-Security-Policy.`);
  }
  return { contentSecurityPolicy, headers };
}

/** The CSP as written: a plain string, or `!Sub` of one (its `${…}` left for localSource to swap). */
function cspText(value: unknown): string {
  if (typeof value === 'string') return value;
  const substituted = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (typeof substituted === 'string') return substituted;
  throw new UnsupportedSecurityHeaderError(
    `${SECURITY_HEADERS_POLICY}: the CSP is neither a string nor !Sub of one: ${JSON.stringify(value)}.`,
  );
}

/** X-XSS-Protection as CloudFront writes it from the policy's settings. */
function xssProtection(setting: Record<string, unknown>): string {
  if (setting.Protection !== true) return '0';
  if (typeof setting.ReportUri === 'string') return `1; report=${setting.ReportUri}`;
  return setting.ModeBlock === true ? '1; mode=block' : '1';
}
