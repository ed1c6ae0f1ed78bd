/**
 * The one place that reads the environment. Read once per cold start; a
 * missing or malformed variable fails the cold start loudly instead of
 * surfacing later as a confusing runtime error.
 */
export interface Config {
  tableName: string;
  /** Origins allowed by CORS; `*` allows any. */
  allowedOrigins: string[];
  comprehend: {
    /** Budget for the whole analysis of one ticket, all calls together. */
    deadlineMs: number;
    maxAttempts: number;
  };
  /**
   * First-response and resolution targets per priority as the deployment sets
   * them (SERVICE_LEVEL_TARGETS, `urgent=1h/4h,...`; empty for the contract's
   * defaults), read by domain/service-levels.ts.
   */
  serviceLevelTargets: string;
  /** Completing pending analyses from the stream: no client is waiting, so calls may be retried longer. */
  analysisCompletion: {
    /** Attempts of each Comprehend call, with exponential backoff and jitter between them. */
    maxAttempts: number;
    attemptTimeoutMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env = process.env): Config {
  return {
    tableName: required(env, 'TABLE_NAME'),
    allowedOrigins: readAllowedOrigins(env),
    comprehend: {
      deadlineMs: positiveInteger(env, 'ANALYSIS_DEADLINE_MS', 3000),
      maxAttempts: positiveInteger(env, 'COMPREHEND_MAX_ATTEMPTS', 2),
    },
    serviceLevelTargets: env.SERVICE_LEVEL_TARGETS ?? '',
    analysisCompletion: {
      maxAttempts: positiveInteger(env, 'COMPLETION_MAX_ATTEMPTS', 4),
      attemptTimeoutMs: positiveInteger(env, 'COMPLETION_ATTEMPT_TIMEOUT_MS', 3000),
    },
  };
}

/**
 * ALLOWED_ORIGINS, comma-separated (`*` for any; empty for none but the
 * console), plus CONSOLE_ORIGIN, the agent console's own origin, which is
 * always allowed unless any origin is: what the functions and the CORS
 * preflight allow.
 */
export function readAllowedOrigins(env: Env = process.env): string[] {
  const listed = (env.ALLOWED_ORIGINS ?? '*')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const consoleOrigin = env.CONSOLE_ORIGIN?.trim();
  if (!consoleOrigin || listed.includes('*') || listed.includes(consoleOrigin)) return listed;
  return [...listed, consoleOrigin];
}

/**
 * The methods each API path has, for the CORS preflight's
 * Access-Control-Allow-Methods: PREFLIGHT_METHODS, as
 * `/tickets=GET,OPTIONS,POST;/tickets/{id}=GET,OPTIONS,PATCH` (template.yaml;
 * a unit test keeps it equal to the API's routes).
 */
export function readPreflightMethods(env: Env = process.env): Map<string, string> {
  const methods = new Map<string, string>();
  for (const entry of required(env, 'PREFLIGHT_METHODS').split(';')) {
    const [path, list, ...rest] = entry.split('=').map((part) => part.trim());
    if (!path?.startsWith('/') || !list || rest.length > 0) {
      throw new ConfigError(`PREFLIGHT_METHODS: "${entry}" is not path=METHOD,METHOD.`);
    }
    methods.set(path, list);
  }
  return methods;
}

/** The bus the table's changes are published to; only the publishing function is given one (template.yaml). */
export function readEventBusName(env: Env = process.env): string {
  return required(env, 'EVENT_BUS_NAME');
}

/**
 * The Secrets Manager secret (ARN, or name) that signs list cursors and keys
 * idempotency fingerprints; only the functions that do either are given one
 * (template.yaml), and read it on first use (repository/cursor-secret.ts).
 */
export function readCursorSecretId(env: Env = process.env): string {
  return required(env, 'CURSOR_SECRET_ARN');
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`Environment variable ${name} is required but not set.`);
  }
  return value;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`Environment variable ${name} must be a positive integer, got "${raw}".`);
  }
  return value;
}

let cached: Config | undefined;

/** The configuration of this process, read on first use. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}
