/**
 * Passwords: after a keyword and a separator, after a keyword and a few words,
 * in "set my password to …", between commas, in a tag, and in a URL.
 */

import {
  keywordPattern,
  keywordValueDetector,
  KEYWORD_END,
  KEYWORD_TAIL,
  labelOnItsLine,
  SEPARATOR,
  SET_TO,
  TO,
  valuesOf,
  WORD_SEPARATORS_WITHOUT_SPACES,
  type KeywordValueRule,
} from './keyword-values.js';
import { BREAKING_TAG_NAMES } from './markup.js';
import { GLUED_PASSWORD_KEYWORDS, PASSWORD_KEYWORDS, PASSWORD_LANGUAGES, PASSWORD_WORDS } from './password-keywords.js';
import {
  ABOUT_THE_PASSWORD,
  NOT_A_PASSWORD,
  NOT_A_PASSPHRASE_WORD,
  RELATIVE_WORDS,
  withoutAccents,
} from './password-words.js';
import type { SecretSpan } from './secret-span.js';

/**
 * After "is", a plain word ending like a verb ("expiring", "changed") or one
 * of NOT_A_PASSWORD describes the password; after ":" or "=" anything is one.
 * A value is never punctuation alone ("**Password:** …").
 */
const isPasswordValue = (value: string, afterWord: boolean): boolean => {
  if (!/[\p{L}\p{N}]/u.test(value)) return false;
  if (!afterWord) return true;
  const word = value.toLowerCase().replace(/[.,;:!?)]+$/, '');
  return !NOT_A_PASSWORD.has(withoutAccents(word)) && !/^[a-z]+(?:ing|ed)$/.test(word);
};

/** A digit or a symbol among the letters: read as a password, not as a word ("Hunter2024", not "however"). */
const looksLikePassword = (value: string): boolean =>
  /[\p{L}\p{N}]/u.test(value) && /[^\p{L}\p{M}\s]/u.test(value.replace(/[.,;:!?)]+$/, ''));

const BLOCK_END = String.raw`<\/(?:${BREAKING_TAG_NAMES})(?![A-Za-z0-9])`;
/**
 * Chinese, Japanese and Korean run on without spaces ("密码是abc123，请帮我重置"):
 * a Latin password ends where they start again, or at punctuation before them.
 */
const CJK = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]`;
const BEFORE_CJK = String.raw`[,.;:。、．](?=${CJK})|(?<=[!-~])(?=${CJK})`;
/** The next field of a query string or a list of settings: "password=hunter2&user=bob", "pw:x9,user:bob". */
const NEXT_FIELD = String.raw`[,;&][A-Za-z_][A-Za-z0-9_.-]{0,30}[:=]`;
// Quoted, up to the closing quote; unquoted, up to white space, the end of a cell, a line or a block, the
// next field's name, or the Chinese, Japanese or Korean after it.
const PASSWORD_VALUE =
  String.raw`"[^"\n]+"|'[^'\n]+'|` +
  '`[^`\\n]+`' +
  String.raw`|(?:(?!${BLOCK_END})\S)(?:(?!${BLOCK_END}|${BEFORE_CJK}|${NEXT_FIELD})\S)*`;

/**
 * After "is", a number of one to three digits and a unit is the rule for a
 * password's length, not a password: "my password is 8 characters long",
 * "비밀번호는 8자 이상", "密码是8位".
 */
const LENGTH_UNIT = new RegExp(
  String.raw`^(?:${CJK}|[^\S\n]+(?:char(?:acter)?s?|digits?|letters?|symbols?|zeichen|stellen|caract[eè]res|caracteres|caratteri|cifre|d[ií]gitos|chiffres|tekens|tecken|tegn|merkki[aä]|znak[oó]w|znaků|karakter|ký tự|символ\p{L}*|цифр\p{L}*)(?![\p{L}\p{N}]))`,
  'iu',
);
const isLengthRule = (value: string, match: RegExpExecArray): boolean =>
  /^[0-9]{1,3}$/.test(value) && LENGTH_UNIT.test(match.input.slice(match.index + match[0].length));

const JAPANESE_OR_CHINESE_IS = new RegExp(`^(?:${WORD_SEPARATORS_WITHOUT_SPACES})$`);

/**
 * After "は" or "是" the value may follow without a space, and so may a
 * description in words of the same script ("密码是错的"): the value must
 * read as a password or be a Latin word.
 */
const acceptKeywordPassword = (value: string, afterWord: boolean, match: RegExpExecArray): boolean =>
  isPasswordValue(value, afterWord) &&
  !isNoValue(value) &&
  !(afterWord && goesOnAsASentence(value, match)) &&
  !(afterWord && isLengthRule(value, match)) &&
  (!JAPANESE_OR_CHINESE_IS.test(match.groups?.word ?? '') ||
    looksLikePassword(value) ||
    /^[A-Za-z]+[.,;:!?)]*$/.test(value)) &&
  (!afterDash(match) || looksLikePassword(value.replace(/(?<=\p{L})['’](?=\p{L})/gu, '')));

/**
 * Words that say no password is given, after ":" as after "is" ("password:
 * none", "Password: same as before"), and an aside opened in brackets
 * ("Password: (I don't remember it)").
 */
const NO_VALUES = new Set(['none', 'n/a', 'na', 'nil', 'null', 'same', 'unknown', 'empty', 'blank', 'tbd']);
const isNoValue = (value: string): boolean =>
  NO_VALUES.has(value.toLowerCase().replace(/[.,;:!?)]+$/, '')) || /^\(\p{L}+$/u.test(value);

/**
 * After "is", a plain word (letters alone) is a password only where it ends
 * the clause: before punctuation, the end of a line or the text, or a word
 * that joins another clause ("my password is hunter and it fails"). A word
 * the sentence goes on after is a preposition, an adverb or an adjective of
 * it ("is in my password manager", "is case sensitive", "is probably
 * cached"). A percentage is a degree ("is 100% correct").
 */
const JOINING_WORDS = new Set(
  'and but or so then yet please thanks now again too which that und aber oder doch et mais ou puis y pero o e ma en maar of'.split(
    ' ',
  ),
);
const goesOnAsASentence = (value: string, match: RegExpExecArray): boolean => {
  if (/^[0-9]{1,3}(?:[.,][0-9]+)?%$/.test(value)) return true;
  if (!/^[\p{L}\p{M}'’-]+$/u.test(value)) return false;
  const next = /^[^\S\n]+([\p{L}\p{M}'’]+)/u.exec(match.input.slice(match.index + match[0].length))?.[1];
  return next !== undefined && !JOINING_WORDS.has(next.toLowerCase());
};

/**
 * A dash between spaces joins clauses as often as it gives a value ("Someone
 * changed my password - can't log in", "boarding pass - ready in 3 hours"):
 * after one, the value must read as a password, an apostrophe inside a word
 * not counting as a symbol.
 */
const afterDash = (match: RegExpExecArray): boolean => {
  const valueStart = match.indices?.groups?.value?.[0] ?? match.index;
  return /[^\S\n][-–—][^\S\n]+(?:\n[^\S\n]*){0,2}$/.test(match.input.slice(match.index, valueStart));
};

export const PASSWORD_RULE: KeywordValueRule = {
  type: 'PASSWORD',
  keywords: PASSWORD_KEYWORDS,
  columnKeywords: PASSWORD_WORDS,
  gluedKeywords: GLUED_PASSWORD_KEYWORDS,
  separatorRequired: true,
  value: PASSWORD_VALUE,
  accept: acceptKeywordPassword,
};

/**
 * A token generated or chosen as a password, where nothing but its shape says
 * so: letters and digits, at least six characters, and not an e-mail
 * address, a web address, a path, a version, or a count ("8chars", "30days").
 */
const looksGenerated = (value: string): boolean => {
  const bare = value.replace(/^["'`“‘(]+|[.,;:!?)"'`”’]+$/g, '');
  return (
    bare.length >= 6 &&
    /\p{L}/u.test(bare) &&
    /\p{N}/u.test(bare) &&
    !/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(bare) &&
    !/:\/\/|^www\./i.test(bare) &&
    !/^(?:[~.]{0,2}\/|[A-Za-z]:\\)/.test(bare) &&
    !/^v?[0-9]+(?:[._-][0-9A-Za-z]+)+$/i.test(bare) &&
    !/^[0-9]{1,3}[a-z]{1,3}$|^[0-9]+(?:chars?|characters?|digits?|letters?|days?|hours?|mins?|minutes?|times?|tries|attempts?)$/i.test(
      bare,
    )
  );
};

/**
 * Where only the value's shape says it is one (after words between the
 * keyword and "is"): at least six characters, generated-looking
 * (looksGenerated) or letters with a symbol among them ("Xk9#mP2q",
 * "Pa$$word"), never an e-mail address, a web address or a path.
 */
const readsAsSecret = (value: string): boolean => {
  const bare = value.replace(/^["'`“‘(]+|[.,;:!?)"'`”’]+$/g, '');
  return (
    looksGenerated(value) ||
    (bare.length >= 6 &&
      /\p{L}/u.test(bare) &&
      /[^\p{L}\p{N}\p{M}]/u.test(bare) &&
      !/@|:\/\/|^www\.|^(?:[~.]{0,2}\/|[A-Za-z]:\\)|[/-]/u.test(bare))
  );
};

/**
 * A keyword and the value after a space, no separator: "passwd Secret99x",
 * "мой пароль Секрет123x". Any word may follow a keyword ("password expiry"),
 * so the value must look generated.
 */
const PASSWORD_AFTER_SPACE = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}[^\\S\\n]+(?<value>${PASSWORD_VALUE})`,
  'giud',
);

/**
 * "password was changed to Secret99x", "the password has been reset to
 * 'Temp1234'": the value must read as a password or be quoted.
 */
const PASSWORD_CHANGED_TO = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}(?:[^\\S\\n]+[\\p{L}'’]{1,12}){0,3}?[^\\S\\n]+(?:changed|set|reset|updated|switched)${TO}(?<value>${PASSWORD_VALUE})`,
  'giud',
);

/**
 * The value before the keyword: "Secret99x is my password", "Hunter2024 was
 * the old wifi password", "I used Hunter2x as my password". Whatever word ends the phrase must not make it about
 * something else ("… is my password manager"), and the value must look generated.
 * A value starts only after a character it cannot hold, so no character is read
 * as part of two candidates and a text of thousands of ":" costs linear time.
 */
const PASSWORD_BEFORE = new RegExp(
  `(?<![^\\s"'“‘(])(?<value>[^\\s"'“”‘’()]+)["'”’]?[^\\S\\n]+(?:is|was|=|as)[^\\S\\n]+(?:my|the|our|his|her|their|your)(?:[^\\S\\n]+[\\p{L}-]{2,12}){0,2}?[^\\S\\n]+(?:${PASSWORD_WORDS})${KEYWORD_END}(?!['’])`,
  'giud',
);
const acceptPasswordBefore = (value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
  const after = match.input.slice(match.index + match[0].length);
  const next = /^[^\S\n]+([\p{L}'’]+)/u.exec(after)?.[1];
  return looksGenerated(value) && (next === undefined || PHRASE_GOES_ON.has(next.toLowerCase()));
};

/**
 * Words that may follow "… is my password" when the phrase ends there ("for
 * the VPN", "and it fails"); any other word makes the keyword part of a
 * longer name ("… is the password ticket").
 */
const PHRASE_GOES_ON: ReadonlySet<string> = new Set([
  'for',
  'to',
  'of',
  'on',
  'in',
  'at',
  'and',
  'but',
  'now',
  'too',
  'again',
  'which',
  'that',
  'so',
  'since',
  'until',
  'please',
  'thanks',
  'i',
  'it',
]);

/**
 * A user name and its password after "login" or "user:", set apart by a
 * slash: "login alice / Geheim99x". The value must look generated ("user
 * story / epic12" is no credential, and "user" alone needs its colon).
 */
const CREDENTIAL_PAIR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:login|log-in|logon|sign-in|username|user name|usuario|benutzername|utilisateur|identifiant|credentials?|creds|user[^\S\n]?\/[^\S\n]?pass(?:word)?)[^\S\n]*(?:[:=][^\S\n]*)?|user[^\S\n]*[:=][^\S\n]*)(?<user>[^\s/]{1,64})[^\S\n]*\/[^\S\n]*(?<value>[^\s/]+)`,
  'giud',
);

/**
 * A user name and its password joined by a colon after "credentials" or
 * "login": "credentials admin:hunter2", "creds: bob@example.com:S3cr3t!x".
 * The user name has a letter and the password must look generated or hold a
 * symbol among its letters, so a time ("login 10:30") or a web address
 * ("login https://…") is no pair.
 */
const COLON_CREDENTIAL_PAIR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:credentials?|creds|login|log-in|logon|sign-in|user[^\S\n]?\/[^\S\n]?pass(?:word)?|user:pass(?:word)?|username:password)[^\S\n]*(?:[:=][^\S\n]*)?(?<user>(?=[^\s:/]{0,63}\p{L})[^\s:/]{1,64}):(?!\/)(?<value>[^\s:]{1,256})(?![^\s])`,
  'giud',
);
/** Words that say a pair of user name and password follows, whatever the password looks like. */
const CREDENTIAL_CONTEXT =
  /^(?:credentials?|creds|user[^\S\n]?\/[^\S\n]?pass(?:word)?|user:pass(?:word)?|username:password)/i;
/**
 * Account names systems ship with, and whose passwords are words as often
 * ("admin:admin", "root:toor", "pi:raspberry").
 */
const DEFAULT_ACCOUNTS = new Set(
  'admin administrator root user guest test demo sa postgres pi ubuntu oracle mysql operator support manager sysadmin superuser webadmin ftp'.split(
    ' ',
  ),
);
/** A user name that reads as an account: a default one, or one holding a digit, ".", "_", "-" or "@" ("j.smith", "bob42"). */
const looksLikeAccount = (user: string): boolean =>
  DEFAULT_ACCOUNTS.has(user.toLowerCase()) ||
  /^(?=.*\p{L})[\p{L}\p{N}]+(?:[._@-][\p{L}\p{N}]+)+$|^(?=.*\p{N})\p{L}[\p{L}\p{N}]*$/u.test(user);

/**
 * After "credentials" or "creds" and a user name that reads as an account,
 * a plain word is a password ("credentials admin:admin", "creds root:toor";
 * "credentials error:timeout" names no account); otherwise the password must
 * look generated or hold a symbol among its letters.
 */
const acceptColonPair = (value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
  const bare = value.replace(/[.,;:!?)]+$/, '');
  return (
    looksGenerated(value) ||
    (/\p{L}/u.test(bare) && /[^\p{L}\p{N}]/u.test(bare) && bare.length >= 4) ||
    (CREDENTIAL_CONTEXT.test(match[0]) &&
      looksLikeAccount(match.groups?.user ?? '') &&
      isPasswordValue(bare, true) &&
      !/^(?:yes|no|true|false|none|null|n\/a)$/i.test(bare) &&
      bare.length >= 3)
  );
};

/**
 * A user name and a password each after its keyword: "username admin
 * password admin", "login: bob, password hunter". A plain word is the
 * password there where it ends the phrase, save one about it ("username bob
 * password reset"; "… password is wrong" is read by the keyword rule).
 */
const USERNAME_THEN_PASSWORD = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:username|user name|user id|userid|benutzername|usuario|utilisateur|identifiant)[^\S\n]*(?:[:=][^\S\n]*)?|login[^\S\n]*[:=][^\S\n]*)(?<user>[^\s:,;]{1,64})[,;]?[^\S\n]+(?:${PASSWORD_WORDS})${KEYWORD_END}[^\S\n]+(?<value>[^\s"'“”‘’]+)`,
  'giud',
);
const acceptUsernameThenPassword = (value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
  const word = value.toLowerCase().replace(/[.,;:!?)]+$/, '');
  const rest = match.input.slice(match.index + match[0].length);
  return (
    // A plain word ends the phrase; one a sentence goes on after ("… password combo fails") is no password.
    (looksLikePassword(value) || /^[^\S\n]*(?:$|\n)/.test(rest) || /[.,;:!?)]$/.test(value)) &&
    isPasswordValue(value, true) &&
    !ABOUT_THE_PASSWORD.has(word) &&
    !RELATIVE_WORDS.has(word) &&
    !/^(?:is|es|est|ist|lautet|was|war|era|é|è|for|to|of|on|in|and|but)$/.test(word)
  );
};

/**
 * A passphrase after ":" or "=" (or "is" and an accepted first word): the
 * words up to the end of the line, when none of them is a word of a sentence
 * ("Password: same as before" stays a sentence): "password = correct horse
 * battery staple". Words are at most 40 letters, so a keyword repeated in a
 * text without spaces ("密码是密码是…") costs linear time.
 */
const PASSPHRASE = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}${KEYWORD_TAIL}${SEPARATOR}(?<value>\\p{L}{1,40}(?:[^\\S\\n]+\\p{L}{1,40}){1,6})[.!]?[^\\S\\n]*(?![^\\n])`,
  'giud',
);
const acceptPassphrase = (value: string, afterWord: boolean): boolean => {
  const [first = '', ...rest] = value.split(/[^\S\n]+/);
  return (
    isPasswordValue(first, afterWord) &&
    // After "is", a preposition or an adverb opens a sentence: "is from last year", "is per user".
    !(afterWord && (NOT_A_PASSPHRASE_WORD.has(first.toLowerCase()) || /ly$/i.test(first))) &&
    !ABOUT_THE_PASSWORD.has(first.toLowerCase()) &&
    !RELATIVE_WORDS.has(first.toLowerCase()) &&
    !/(?:ing|ed)$/i.test(first) &&
    rest.every((word) => /^\p{Ll}+$/u.test(word) && !/(?:ing|ed|ly)$/.test(word) && !NOT_A_PASSPHRASE_WORD.has(word))
  );
};

const SEPARATOR_WORDS = 'is|es|est|ist|lautet|was|é|è|era|war';
/** One to four short words, none of them a separator word. */
export const SHORT_WORDS = String.raw`(?:[^\S\n]+(?!(?:${SEPARATOR_WORDS})(?![\p{L}\p{M}'’]))[\p{L}'’]{1,12}(?![\p{L}\p{M}'’])){1,4}`;
/**
 * A password keyword, up to four short words, then a separator: "the
 * password I use is: Hunter2024", "the password for my account is Hunter2x",
 * "Das Passwort für mein Konto ist Sommer2024". A word alone is too weak a
 * separator there ("password before realising it was fraudulent"): after "is"
 * without its colon the value must read as a secret (readsAsSecret), and
 * the value is then checked as after "password is"; after ":" or "=" alone it
 * must also read as a password (a digit or a symbol), since "Password reset
 * status: done" names no password. No word between may make the phrase about
 * something else (ABOUT_THE_PASSWORD, "that", "which").
 */
const PASSWORD_AFTER_WORDS = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}(?<between>${SHORT_WORDS})${SEPARATOR}(?<value>${PASSWORD_VALUE})`,
  'giud',
);
const acceptAfterWords = (value: string, afterWord: boolean, match: RegExpExecArray): boolean => {
  const between = (match.groups?.between ?? '').trim().toLowerCase().split(/\s+/);
  if (between.some((word) => ABOUT_THE_PASSWORD.has(word) || RELATIVE_WORDS.has(word))) return false;
  const betweenEnd = match.indices?.groups?.between?.[1] ?? match.index;
  const valueStart = match.indices?.groups?.value?.[0] ?? betweenEnd;
  const separator = match[0].slice(betweenEnd - match.index, valueStart - match.index);
  if (afterWord && !separator.includes(':')) return readsAsSecret(value) && isPasswordValue(value, true);
  return isPasswordValue(value, true) && (afterWord || looksLikePassword(value));
};

/**
 * "I set my password to hunter2". What follows "to" is as often a verb
 * ("reset your password to continue"), so the value must read as a password
 * (a digit or a symbol) or be quoted.
 */
const PASSWORD_SET_TO = new RegExp(
  `${SET_TO}(?:${PASSWORD_WORDS})s?${KEYWORD_END}${TO}(?<value>${PASSWORD_VALUE})`,
  'giud',
);

/**
 * A password set off by commas: "my new password, Hunter2024, does not work",
 * "the new password you gave me, Xk9#mP2q, does not work"; it must read as a
 * password, and as a secret after words between (readsAsSecret).
 */
const PASSWORD_BETWEEN_COMMAS = new RegExp(
  `${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}(?<between>${SHORT_WORDS})?[^\\S\\n]*,[^\\S\\n]+(?<value>[^\\s,]+),`,
  'giud',
);
const acceptBetweenCommas = (value: string, _afterWord: boolean, match: RegExpExecArray): boolean => {
  const between = (match.groups?.between ?? '').trim().toLowerCase();
  if (between === '') return looksLikePassword(value) && isPasswordValue(value, true);
  const words = between.split(/\s+/);
  return (
    !words.some((word) => ABOUT_THE_PASSWORD.has(word) || RELATIVE_WORDS.has(word)) &&
    readsAsSecret(value) &&
    isPasswordValue(value, true)
  );
};

/**
 * A password given on a MySQL or MariaDB client's command line, glued to
 * "-p": "mysql -u root -pS3cretPass2024 -h db". (psql's "-p" is a port.)
 */
const MYSQL_PASSWORD_OPTION =
  /(?<![\p{L}\p{N}])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mariadb|mariadb-dump)(?![\p{L}\p{N}])[^\n]{0,200}?[^\S\n]-p(?<value>[^\s-][^\s]{0,255})/dgu;

/**
 * A user name and its password after logging in with them: "I can't log in
 * with bob@example.com / Hunter2x". The value must look generated.
 */
const LOGGED_IN_WITH_PAIR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:log(?:ged|ging|s)?[^\S\n]?(?:in|on)|sign(?:ed|ing|s)?[^\S\n]?in)[^\S\n]+(?:with|as|using)[^\S\n]+(?<user>[^\s/]{1,64})[^\S\n]*\/[^\S\n]*(?<value>[^\s/]+)`,
  'giud',
);

/**
 * A keyword and its own language's word for "is" (PASSWORD_LANGUAGES), with
 * a possessive that follows the keyword: "moje hasło to Kot12345", "parola
 * mea este Pisica12", "mật khẩu của tôi là Meo12345". The languages' words
 * describing a password are not listed ("salasana on vanhentunut", "hasło to
 * jest to"), so the value must read as a password (a digit or a symbol, at
 * least four characters) or be quoted. One lookahead per language keeps each
 * copula with its keywords; a copula is at most 12 letters.
 */
const PASSWORD_COPULA = new RegExp(
  String.raw`(?<![A-Za-z0-9\u00C0-\u024F])(?:` +
    Object.values(PASSWORD_LANGUAGES)
      .filter((language) => language.copulas.length > 0)
      .map((language) => {
        const possessive = language.possessives ? `(?:[^\\S\\n]+(?:${language.possessives.join('|')}))?` : '';
        return `(?:${language.keywords.join('|')})${KEYWORD_END}${possessive}[^\\S\\n]+(?=(?:${language.copulas.join('|')})(?![\\p{L}\\p{M}]))`;
      })
      .join('|') +
    String.raw`)(?<word>[\p{L}\p{M}]{1,12})(?:[^\S\n]*:)?[^\S\n]+(?<value>${PASSWORD_VALUE})`,
  'giud',
);
const acceptCopulaPassword = (value: string): boolean =>
  /^(["'`]).*[\p{L}\p{N}].*\1$/u.test(value) ||
  (isPasswordValue(value, true) && looksLikePassword(value) && value.replace(/[.,;:!?)]+$/, '').length >= 4);

const detectKeywordPasswords = keywordValueDetector(PASSWORD_RULE);

/**
 * A form's label on a line of its own, its value alone on the next:
 * "Password\nHunter2x". Any line may follow a heading, so the value must
 * read as a password (a digit or a symbol among its letters).
 */
const PASSWORD_LABEL_LINE = labelOnItsLine(PASSWORD_WORDS, String.raw`[^\s]{1,256}`, GLUED_PASSWORD_KEYWORDS);
const acceptLabelLinePassword = (value: string): boolean =>
  looksLikePassword(value) && isPasswordValue(value, true) && !ABOUT_THE_PASSWORD.has(value.toLowerCase());

/**
 * "is" run into the keyword: "password\u200bis Abc123!" reads "passwordis
 * Abc123!" once the view leaves the zero-width space out, and a value after
 * it is read as after "password is". ("es" is left out: "claves" is a plural.)
 */
const PASSWORD_IS_GLUED = new RegExp(
  String.raw`(?<![A-Za-z0-9\u00C0-\u024F])(?:${PASSWORD_WORDS})(?<word>is|ist|est|was|war)[^\S\n]+(?<value>${PASSWORD_VALUE})`,
  'giud',
);

/** A quoted key, its separator and the value's opening quote: `"password":"`, `'password' => '`. */
const QUOTED_KEY_BEFORE = /["'`]\]?[^\S\n]{0,8}(?:=>|[:=])[^\S\n]{0,8}["'`]$/;

/**
 * Where the key is quoted too (JSON, a PHP or Python array), the value's
 * quotes are the data's syntax, not the secret's: they stay, and the stored
 * text stays valid ("{"password":"[REDACTED:PASSWORD]"}").
 */
function withoutSyntaxQuotes(text: string, span: SecretSpan): SecretSpan {
  const open = text.charAt(span.start);
  if (span.end - span.start <= 2 || !/["'`]/.test(open) || text.charAt(span.end - 1) !== open) return span;
  if (!QUOTED_KEY_BEFORE.test(text.slice(Math.max(0, span.start - 20), span.start + 1))) return span;
  return { ...span, start: span.start + 1, end: span.end - 1 };
}

export function detectPasswords(text: string): SecretSpan[] {
  return [
    ...detectKeywordPasswords(text).map((span) => withoutSyntaxQuotes(text, span)),
    ...valuesOf(text, PASSWORD_COPULA, 'PASSWORD', acceptCopulaPassword),
    ...valuesOf(text, PASSWORD_LABEL_LINE, 'PASSWORD', acceptLabelLinePassword),
    ...valuesOf(text, PASSWORD_IS_GLUED, 'PASSWORD', acceptKeywordPassword),
    ...valuesOf(text, PASSWORD_AFTER_WORDS, 'PASSWORD', acceptAfterWords),
    ...valuesOf(
      text,
      PASSWORD_SET_TO,
      'PASSWORD',
      (value) => isPasswordValue(value, true) && (looksLikePassword(value) || /^["'`]/.test(value)),
    ),
    ...valuesOf(text, PASSWORD_BETWEEN_COMMAS, 'PASSWORD', acceptBetweenCommas),
    ...valuesOf(text, MYSQL_PASSWORD_OPTION, 'PASSWORD', () => true),
    ...valuesOf(text, LOGGED_IN_WITH_PAIR, 'PASSWORD', looksGenerated),
    ...valuesOf(text, PASSWORD_AFTER_SPACE, 'PASSWORD', looksGenerated),
    ...valuesOf(
      text,
      PASSWORD_CHANGED_TO,
      'PASSWORD',
      (value) => (looksGenerated(value) || /^["'`].*[\p{L}\p{N}]/u.test(value)) && isPasswordValue(value, true),
    ),
    ...valuesOf(text, PASSWORD_BEFORE, 'PASSWORD', acceptPasswordBefore),
    ...valuesOf(text, CREDENTIAL_PAIR, 'PASSWORD', looksGenerated),
    ...valuesOf(text, COLON_CREDENTIAL_PAIR, 'PASSWORD', acceptColonPair),
    ...valuesOf(text, USERNAME_THEN_PASSWORD, 'PASSWORD', acceptUsernameThenPassword),
    ...valuesOf(text, PASSPHRASE, 'PASSWORD', acceptPassphrase),
  ];
}

/**
 * In a tag, "-" or "_" right after a password keyword separates it from its
 * value ("password-hunter2"); what follows is read as after "is", and a tag
 * about the password ("password-reset", "password-expired",
 * "password-manager") is kept.
 */
const TAG_PASSWORD = new RegExp(`${keywordPattern(PASSWORD_WORDS, GLUED_PASSWORD_KEYWORDS)}[-_](?<value>\\S+)`, 'giud');
const acceptTagPassword = (value: string): boolean => {
  const [head = ''] = value.split(/[-_]/, 1);
  const first = head.toLowerCase();
  return isPasswordValue(value, true) && isPasswordValue(first, true) && !ABOUT_THE_PASSWORD.has(first);
};

export function detectTagPasswords(text: string, tagsStart: number): SecretSpan[] {
  if (tagsStart >= text.length) return [];
  return valuesOf(text.slice(tagsStart), TAG_PASSWORD, 'PASSWORD', acceptTagPassword).map((span) => ({
    type: span.type,
    start: span.start + tagsStart,
    end: span.end + tagsStart,
  }));
}

/**
 * A tag's form in prose, a token of its own: "password-hunter2 is my tag".
 * Read as in a tag, and the value must read as a password (a digit or a
 * symbol), since "password-protected" and "password-less" are words.
 */
const PROSE_TAG_PASSWORD = new RegExp(
  `(?<![^\\s"'“‘(\\[])(?:${PASSWORD_WORDS}|${GLUED_PASSWORD_KEYWORDS})s?[-_](?<value>[^\\s"'”’]+)`,
  'giud',
);

/**
 * A noun right after the token makes it a name in a compound ("the
 * password-hunter2 tag", "the password-v2 branch"): a label's name, not a
 * password given.
 */
const NAMED_BY_NEXT_WORD =
  /^[^\S\n]+(?:tag|tags|label|labels|branch|branches|ticket|tickets|project|projects|queue|folder|file|page|rule|group|module|feature|flag|build|release|test|tests|job|workflow|repo|repository)(?![\p{L}\p{N}])/iu;

/**
 * A setting's longer name after the keyword, up to its "=" or ":", that says
 * what else it holds: "PASSWORD_MIN_LENGTH=12", "password_max_age: 90".
 */
const SETTING_ABOUT_THE_PASSWORD =
  /^(?:[A-Za-z0-9]+_)*(?:length|len|min|max|age|policy|expiry|expiration|ttl|days|attempts|retries|history|complexity|rules?|hint|reset|enabled|required|file|path|url|hash|salt)[^\S\n]*["'`]?[^\S\n]*[:=]/i;

export const detectProseTagPasswords = (text: string): SecretSpan[] =>
  valuesOf(
    text,
    PROSE_TAG_PASSWORD,
    'PASSWORD',
    (value, _afterWord, match) =>
      acceptTagPassword(value) &&
      looksLikePassword(value) &&
      !SETTING_ABOUT_THE_PASSWORD.test(value) &&
      !NAMED_BY_NEXT_WORD.test(match.input.slice(match.index + match[0].length)),
  );

/** The password of credentials written into a URL: scheme://user:password@host. */
const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:(?<value>[^\s@/]{1,256})@/dg;

export function detectUrlPasswords(text: string): SecretSpan[] {
  return [...text.matchAll(URL_CREDENTIALS)].flatMap((match) => {
    const range = match.indices?.groups?.value;
    return range ? [{ type: 'PASSWORD' as const, start: range[0], end: range[1] }] : [];
  });
}
