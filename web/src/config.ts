/** The console's runtime settings, read from /config.json next to index.html (written per deployment, served no-cache). */
export interface ConsoleConfig {
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  auth: {
    /** The sign-in service: Cognito's hosted UI domain in AWS, the local sign-in of `npm start` on this machine. */
    authority: string;
    clientId: string;
    scopes: string[];
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** Checks what /config.json holds; throws with what is wrong, so a bad deployment says so on screen. */
export function parseConfig(value: unknown): ConsoleConfig {
  if (!isRecord(value) || typeof value.apiUrl !== 'string' || !isRecord(value.auth)) {
    throw new Error('config.json needs apiUrl and auth');
  }
  const { authority, clientId, scopes } = value.auth;
  if (typeof authority !== 'string' || typeof clientId !== 'string') {
    throw new Error('config.json needs auth.authority and auth.clientId');
  }
  const scopeList = Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [];
  return {
    apiUrl: withoutTrailingSlash(value.apiUrl),
    auth: {
      authority: withoutTrailingSlash(authority),
      clientId,
      scopes: scopeList.length > 0 ? scopeList : ['openid'],
    },
  };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return parseConfig(await response.json());
}
