import { digitGroupRuns, type DigitGroup } from './digit-groups.js';
import type { SecretSpan } from './secret-span.js';

const CARD_MIN_DIGITS = 13;
const CARD_MAX_DIGITS = 19;

export function detectCardNumbers(text: string): SecretSpan[] {
  return digitGroupRuns(text)
    .filter((groups) => !isInternationalPhone(text, groups))
    .flatMap((groups) => cardNumbersIn(text, groups, isNamedCard(text, groups)));
}

/** A word naming a card stands shortly before the number, on its line. */
function isNamedCard(text: string, groups: readonly DigitGroup[]): boolean {
  const start = groups[0]?.start;
  if (start === undefined) return false;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return CARD_CONTEXT.test(text.slice(Math.max(lineStart, start - CARD_CONTEXT_REACH), start));
}

/** Words that name a card, in the languages the keywords cover. */
const CARD_CONTEXT =
  /(?<![\p{L}\p{N}])(?:card|cards|credit|debit|visa|mastercard|amex|cc|pan|karte|kreditkarte|tarjeta|carte|cartão|cartao|carta|kaart|kort|karta)(?![\p{L}\p{N}])/iu;
/** How far before a number a word naming a card is read. */
const CARD_CONTEXT_REACH = 40;

/** Words that name a phone, in the languages the keywords cover. */
const PHONE_CONTEXT =
  /(?<![\p{L}\p{N}])(?:phone|telephone|tel|call|calls|mobile|cell|whatsapp|signal|fax|sms|text|contact|reach|dial|telefon|handy|teléfono|telefono|móvil|movil|celular|telefone|téléphone|portable|cellulare)(?![\p{L}\p{N}])/iu;
/** The most digits a phone number has (E.164). */
const PHONE_MAX_DIGITS = 15;
/**
 * The most digits a run named a phone may have and still be one number: a
 * phone number and a card beside it have more (at least 8 and 13).
 */
const NAMED_PHONE_MAX_DIGITS = 20;

/**
 * A number written after "+" ("+44 4532 0151 1283 0366", "(+1) …") is an
 * international phone number, whatever its digits happen to pass, when it
 * has no more digits than a phone number, or a word before it on its line
 * names a phone ("Phone", "call", "WhatsApp") and it is too short to hold a
 * phone number and a card; it is a card's wherever a word before it names a
 * card ("card +4111…").
 */
function isInternationalPhone(text: string, groups: readonly DigitGroup[]): boolean {
  const start = groups[0]?.start;
  if (start === undefined || !/\+[^\S\n]?\(?$|\(\+$/.test(text.slice(Math.max(0, start - 3), start))) return false;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(Math.max(lineStart, start - CARD_CONTEXT_REACH), start);
  if (CARD_CONTEXT.test(before)) return false;
  const digits = groups.reduce((count, group) => count + group.digits.length, 0);
  return digits <= PHONE_MAX_DIGITS || (digits <= NAMED_PHONE_MAX_DIGITS && PHONE_CONTEXT.test(before));
}

/**
 * A run may hold a card next to other numbers ("order 12 4111 1111 1111 1111"):
 * every window of whole groups with 13–19 digits is a candidate, the longest
 * card-like window from the leftmost start wins, and the search goes on after it.
 */
function cardNumbersIn(text: string, groups: DigitGroup[], named: boolean): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let first = 0;
  while (first < groups.length) {
    const last = longestCardWindowEnd(text, groups, first, named);
    // No window from this group is a card when `last` is -1.
    const start = groups[first]?.start;
    const end = groups[last]?.end;
    if (start === undefined || end === undefined) {
      first += 1;
      continue;
    }
    spans.push({ type: 'CREDIT_DEBIT_NUMBER', start, end });
    first = last + 1;
  }
  return spans;
}

/**
 * The items of a list ("ports 26588, 8532, 32494", "$586.17, $873.15") are
 * separate numbers: across a comma or semicolon followed by white space, only
 * a card's own layout joins (groups of four, or American Express's 4-6-5),
 * so "4111, 1111, 1111, 1111" is still a card. Cards are printed in groups
 * of four, as 4-6-5 or 4-6-4, or in one run, never with a group of seven
 * digits or more among others: groups joined by hyphens alone with such a
 * group (an order number's 3-7-7, "339-8692557-5631301") are a reference,
 * and a card's only where a word before them names a card (`named`).
 * Digits split into other small groups stay a card: that is how one is
 * disguised.
 */
function longestCardWindowEnd(text: string, groups: DigitGroup[], first: number, named: boolean): number {
  let digits = '';
  let listed = false;
  let found = -1;
  for (let last = first; last < groups.length; last++) {
    const group = groups[last];
    if (group === undefined) break;
    digits += group.digits;
    listed ||= last > first && group.listed;
    if (digits.length > CARD_MAX_DIGITS) break;
    if (digits.length < CARD_MIN_DIGITS || !looksLikeCardNumber(digits)) continue;
    const window = groups.slice(first, last + 1);
    if (hasCardLayout(window) || (!listed && (named || !isHyphenatedReference(text, window)))) found = last;
  }
  return found;
}

/** Several groups joined by single hyphens, one of them of seven digits or more: "339-8692557-5631301". */
function isHyphenatedReference(text: string, groups: readonly DigitGroup[]): boolean {
  if (groups.length < 2 || !groups.some((group) => group.digits.length >= 7)) return false;
  return groups.every((group, index) => {
    const previous = groups[index - 1];
    return previous === undefined || text.slice(previous.end, group.start) === '-';
  });
}

function hasCardLayout(groups: readonly DigitGroup[]): boolean {
  const sizes = groups.map((group) => group.digits.length).join('-');
  return /^(?:4-){3,4}[1-4]$/.test(sizes) || sizes === '4-6-5' || sizes === '4-6-4';
}

/**
 * Luhn-valid, with the leading digits of a card network (Mastercard's 2-series
 * and 51–55, American Express, Diners and JCB on 3, Visa on 4, Maestro and
 * Discover on 5 and 6, UnionPay on 62 and 81). The prefix keeps timestamps
 * and long reference numbers that happen to pass Luhn ("2024-05-01 10:30:00")
 * in the text; "0000 0000 0000 0000" is a placeholder, not a card.
 */
export function looksLikeCardNumber(digits: string): boolean {
  return hasCardNetworkPrefix(digits) && passesLuhn(digits) && !/^(\d)\1*$/.test(digits);
}

function hasCardNetworkPrefix(digits: string): boolean {
  const firstFour = Number(digits.slice(0, 4));
  return /^[3-6]/.test(digits) || (firstFour >= 2221 && firstFour <= 2720) || digits.startsWith('81');
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let doubled = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return sum % 10 === 0;
}
