const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Checks what /config.json holds (written per deployment by deploy:console,
 * served by the local console server; served no-cache); throws with what is
 * wrong, so a bad deployment says so on screen.
 */
export function parseConfig(value: unknown) {
  if (!isRecord(value) || typeof value.apiUrl !== 'string' || !isRecord(value.auth)) {
    throw new Error('config.json needs apiUrl and auth');
  }
  const { authority, clientId, scopes } = value.auth;
  if (typeof authority !== 'string' || typeof clientId !== 'string') {
    throw new Error('config.json needs auth.authority and auth.clientId');
  }
  const scopeList = Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [];
  return {
    /** The API's base URL, without a trailing slash. */
    apiUrl: withoutTrailingSlash(value.apiUrl),
    auth: {
      /** The sign-in service: Cognito's hosted UI domain in AWS, the local sign-in of `npm start` on this machine. */
      authority: withoutTrailingSlash(authority),
      clientId,
      scopes: scopeList.length > 0 ? scopeList : ['openid'],
    },
  };
}

/** The console's runtime settings, /config.json: what parseConfig accepts, so the writers and the reader agree. */
export type ConsoleConfig = ReturnType<typeof parseConfig>;

/**
 * Revalidated on every load. Not written inline: scripts/ and local/ import
 * this file's type and check it with Node's fetch types, which lack `cache`.
 */
const CONFIG_REQUEST = { cache: 'no-cache', headers: { Accept: 'application/json' } } as const;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', CONFIG_REQUEST);
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return parseConfig(await response.json());
}
