/** Access keys other than AWS's: service tokens with a prefix of their own, tokens after a keyword, and private keys. */

import { keywordValueDetector, type KeywordValueRule } from './keyword-values.js';
import type { SecretSpan } from './secret-span.js';

/**
 * Tokens whose prefix names the service that issued them, and a length no
 * word has: Stripe and OpenAI-style secret keys (`sk_live_…`, `sk-live-…`,
 * `sk-proj-…`), GitHub tokens (`ghp_…`, `github_pat_…`), Slack tokens
 * (`xoxb-…`), GitLab tokens (`glpat-…`), Google API keys (`AIza…`) and JSON
 * web tokens (three base64url parts, the first two encoded JSON objects).
 */
const PREFIXED_TOKENS = [
  /(?<![A-Za-z0-9_-])(?:sk|rk)[-_](?:live|test|proj)[-_][A-Za-z0-9_-]{16,}/g,
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{32,}(?![A-Za-z0-9_-])/g,
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}/g,
  /(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
];

/** A generated token has digits; a slug of words after a prefix ("sk-test-environment-setup") has none. */
export function detectPrefixedTokens(text: string): SecretSpan[] {
  return PREFIXED_TOKENS.flatMap((pattern) =>
    [...text.matchAll(pattern)]
      .filter((match) => /[0-9]/.test(match[0]))
      .map((match) => ({ type: 'API_KEY' as const, start: match.index, end: match.index + match[0].length })),
  );
}

/**
 * After "API key", "access token", "bearer", "token", "secret" and the like:
 * one token of at least 16 characters with letters and digits, as a
 * generated key has; a word, a date or a short id after the keyword ("API
 * key expired", "token 2024-05-01") is kept. In a table, a column named by
 * one of these keywords holds such tokens.
 */
export const API_KEY_RULE: KeywordValueRule = {
  type: 'API_KEY',
  keywords: String.raw`api[ _-]?key|api[ _-]?token|api[ _-]?secret|access[ _-]?token|auth(?:orization)?[ _-]?token|bearer(?: token)?|client[ _-]?secret|refresh[ _-]?token|personal access token|(?:webhook|signing)[ _-]?secret|token|secret`,
  settingName: true,
  opening: `["'\`]?`,
  // Letters and digits both, checked ahead, so a table's column reads its cells the same way; at most
  // 1,024 characters, so a keyword repeated inside one long token ("-token-token…") costs linear time.
  // It starts with a letter or a digit and "=" only pads its end, so the rest of a key's name is no
  // value: "aws_secret_access_key=…" keeps "_access_key=".
  value: String.raw`(?=[A-Za-z0-9._~+/-]{0,1023}[0-9])(?=[A-Za-z0-9._~+/-]{0,1023}[A-Za-z])[A-Za-z0-9][A-Za-z0-9._~+/-]{15,1023}={0,3}(?![A-Za-z0-9._~+/=-])`,
};

export const detectKeywordApiKeys = keywordValueDetector(API_KEY_RULE);

/**
 * A PEM private key: the lines between its BEGIN and END lines, or, when the
 * END line was not pasted, the base64 lines after BEGIN. A block is read up
 * to the next armor line, so many BEGIN lines cost linear time. The armor lines
 * stay: they say what was removed.
 */
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----(?<value>(?:(?!-----(?:END|BEGIN) )[\s\S]){1,20000}?)(?=-----END \1PRIVATE KEY(?: BLOCK)?-----)|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?<open>(?:[^\S\n]*\n(?:[A-Za-z0-9-]+:[^\n]*|[A-Za-z0-9+/=]{8,}))+)/dg;

export function detectPrivateKeys(text: string): SecretSpan[] {
  return [...text.matchAll(PRIVATE_KEY_BLOCK)].flatMap((match) => {
    const range = match.indices?.groups?.value ?? match.indices?.groups?.open;
    if (range === undefined) return [];
    const body = text.slice(range[0], range[1]);
    // The block's own line breaks around the body stay, so the armor keeps its lines.
    const start = range[0] + (body.length - body.trimStart().length);
    const end = range[1] - (body.length - body.trimEnd().length);
    return end > start ? [{ type: 'PRIVATE_KEY' as const, start, end }] : [];
  });
}
