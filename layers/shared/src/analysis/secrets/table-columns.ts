/** The columns of a table that hold secrets, named by the keyword rules' keywords, and how their cells are read. */

import { API_KEY_RULE } from './api-keys.js';
import { AWS_SECRET_KEY_RULE } from './aws-keys.js';
import { BANK_ACCOUNT_RULE, BANK_CODE_RULE, BANK_ROUTING_RULE } from './bank-accounts.js';
import { CVV_RULE, PIN_RULE } from './card-codes.js';
import { KEYWORD_TAIL } from './keyword-values.js';
import { withoutMarkupAtEdges } from './markup.js';
import { PASSWORD_RULE } from './passwords.js';
import type { NeverStoredPiiType, SecretSpan } from './secret-span.js';
import { SSN_RULE } from './ssns.js';
import type { Cell } from './table-cells.js';

/** What a column named by one of a rule's keywords holds, and how its cells are read. */
export interface ColumnKind {
  type: NeverStoredPiiType;
  /** A header cell: the keyword, perhaps after one word ("New password", "user_password"), with its noun or aside. */
  header: RegExp;
  /** The keyword alone, for what follows a camel-case prefix ("dbPassword"). */
  bare: RegExp;
  /** The value at the start of a cell; null for a password, where the whole cell is the value. */
  value: RegExp | null;
}

/** Words that may stand before a keyword in a column's name. */
const COLUMN_PREFIXES =
  'new|old|current|temp|temporary|initial|default|admin|user|root|master|login|account|wifi|wi-fi|e-mail|email|db|database|app|device|card|bank|neue[sn]?|alte[sn]?|nueva|nuevo|nouveau|nouvelle|nova|novo|nuova';
const COLUMN_END = String.raw`s?${KEYWORD_TAIL}[^\S\n]*[:*]?$`;

const COLUMN_KINDS: readonly ColumnKind[] = [
  PASSWORD_RULE,
  CVV_RULE,
  PIN_RULE,
  AWS_SECRET_KEY_RULE,
  API_KEY_RULE,
  BANK_ROUTING_RULE,
  BANK_CODE_RULE,
  BANK_ACCOUNT_RULE,
  SSN_RULE,
].map((rule) => {
  const keywords = rule.columnKeywords ?? rule.keywords;
  return {
    type: rule.type,
    header: new RegExp(
      String.raw`^(?:(?:${COLUMN_PREFIXES})[ _.-]?|[\p{L}\p{N}]{1,20}[_.-])?(?:${keywords})${COLUMN_END}`,
      'iu',
    ),
    bare: new RegExp(`^(?:${keywords})${COLUMN_END}`, 'iu'),
    value: rule.type === 'PASSWORD' ? null : new RegExp(`^${rule.opening ?? ''}(?<value>${rule.value})`, 'du'),
  };
});

/** A cell that could be a column's name: letters and a little punctuation, no digits, or nothing. */
const LABEL = /^(?:[\p{L}\p{M}][\p{L}\p{M} _./()#&'’:*-]{0,59})?$/u;
const MAX_HEADER_CELL = 60;

export function columnKindOf(cell: string): ColumnKind | undefined {
  if (cell.length === 0 || cell.length > MAX_HEADER_CELL) return undefined;
  const camel = /^[a-z][a-z0-9]{0,19}(?=[A-Z])/.exec(cell);
  return COLUMN_KINDS.find(
    (kind) => kind.header.test(cell) || (camel !== null && kind.bare.test(cell.slice(camel[0].length))),
  );
}

/** A column named "account" (or its word in German, Spanish, French, Portuguese, Italian, Polish…) is a bank's beside a bank's code. */
const PLAIN_ACCOUNT = /^(?:account|acct|konto|cuenta|compte|conta|conto|rekening)s?$/iu;
const BANK_ACCOUNT_KIND = COLUMN_KINDS.find((kind) => kind.type === 'BANK_ACCOUNT_NUMBER');

/**
 * The kinds of a header's cells: what each names alone, and a plain
 * "account" column as a bank account's when another cell names a bank's
 * code or routing number ("account | BLZ", "Konto;Sort code").
 */
export function headerKindsOf(cells: readonly string[]): (ColumnKind | undefined)[] {
  const kinds = cells.map(columnKindOf);
  if (!kinds.some((kind) => kind?.type === 'BANK_ROUTING')) return kinds;
  return kinds.map((kind, column) => kind ?? (PLAIN_ACCOUNT.test(cells[column] ?? '') ? BANK_ACCOUNT_KIND : undefined));
}

export const isLabel = (cell: string): boolean => cell.length <= MAX_HEADER_CELL && LABEL.test(cell);

/** The secret in a cell of a column of `kind`, if any. */
export function cellValue(text: string, cell: Cell, kind: ColumnKind): SecretSpan | null {
  if (cell.end <= cell.start) return null;
  if (kind.value === null) {
    const [start, end] = withoutMarkupAtEdges(text, cell.start, cell.end);
    return /[\p{L}\p{N}]/u.test(text.slice(start, end)) ? { type: kind.type, start, end } : null;
  }
  const range = kind.value.exec(text.slice(cell.start, cell.end))?.indices?.groups?.value;
  return range ? { type: kind.type, start: cell.start + range[0], end: cell.start + range[1] } : null;
}

/** Names a column commonly has: in a header, such a cell next to a password's column is not its value. */
export const COLUMN_NAMES = new Set([
  'user',
  'username',
  'user name',
  'login',
  'email',
  'e-mail',
  'mail',
  'name',
  'first name',
  'last name',
  'full name',
  'role',
  'roles',
  'notes',
  'note',
  'comment',
  'comments',
  'description',
  'url',
  'site',
  'website',
  'host',
  'hostname',
  'server',
  'account',
  'type',
  'status',
  'date',
  'id',
  'phone',
  'team',
  'group',
  'department',
  'address',
  'service',
  'system',
  'app',
  'application',
  'environment',
  'env',
  'owner',
  'created',
  'updated',
  'expires',
  'expiry',
  'enabled',
  'active',
  'card',
  'bank',
  'customer',
  'client',
  'location',
  'device',
]);
