import { describe, expect, test } from '@jest/globals';
import type { PiiEntity } from '@aws-sdk/client-comprehend';
import { comprehendSecretSpans } from '../../../layers/shared/src/analysis/analysis-outcome.js';
import { analysisView, REDACTION_IN_VIEW } from '../../../layers/shared/src/analysis/analysis-view.js';
import { redactFields, resolveOverlaps } from '../../../layers/shared/src/analysis/redaction.js';
import {
  mayContainSecrets,
  passesIbanChecksum,
  passesLuhn,
  type SecretSpan,
} from '../../../layers/shared/src/analysis/secret-detectors.js';

/** What would be stored for `description` after on-box detection alone. */
function stored(description: string): string {
  return redactFields({ subject: 'Help', description }).description;
}

describe('local detectors', () => {
  test.each([
    ['4111 1111 1111 1111', 'spaces'],
    ['4111-1111-1111-1111', 'dashes'],
    ['4111111111111111', 'no separators'],
    ['378282246310005', 'a 15-digit Amex'],
    ['6011 0009 9013 9424', 'Discover'],
  ])('redacts the card number %s (%s)', (card) => {
    expect(stored(`Please charge ${card} again.`)).toBe('Please charge [REDACTED:CREDIT_DEBIT_NUMBER] again.');
  });

  test('leaves digit runs that fail the Luhn check or are too short', () => {
    const text = 'Order 4111 1111 1111 1112, phone 555-123-4567, date 2024-01-15, ref 1234567890';
    expect(stored(text)).toBe(text);
  });

  test('finds a card after unrelated numbers in the same run', () => {
    expect(stored('items 12 4111 1111 1111 1111')).toBe('items 12 [REDACTED:CREDIT_DEBIT_NUMBER]');
  });

  test('finds two cards written one after the other', () => {
    expect(stored('cards 4111 1111 1111 1111 5555 5555 5555 4444')).toBe(
      'cards [REDACTED:CREDIT_DEBIT_NUMBER] [REDACTED:CREDIT_DEBIT_NUMBER]',
    );
  });

  test('redacts a US SSN but not the never-issued ranges', () => {
    expect(stored('SSN 123-45-6789')).toBe('SSN [REDACTED:SSN]');
    for (const invalid of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000']) {
      expect(stored(`number ${invalid}`)).toBe(`number ${invalid}`);
    }
  });

  test('redacts AWS access key ids and secret keys next to their names', () => {
    const config =
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(stored(config)).toBe(
      'aws_access_key_id = [REDACTED:AWS_ACCESS_KEY]\naws_secret_access_key = [REDACTED:AWS_SECRET_KEY]',
    );
    expect(stored('temporary key ASIAY34FZKBOKMUTVV7A')).toBe('temporary key [REDACTED:AWS_ACCESS_KEY]');
  });

  test("keeps a quoted secret key's quotes around the marker", () => {
    expect(stored('secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"')).toBe('secret: "[REDACTED:AWS_SECRET_KEY]"');
  });

  test.each([
    ['my password is hunter2', 'my password is [REDACTED:PASSWORD]'],
    ['Password: S3cr3t!x', 'Password: [REDACTED:PASSWORD]'],
    ['pwd=letmein99 thanks', 'pwd=[REDACTED:PASSWORD] thanks'],
    ['passcode is "correct horse battery"', 'passcode is [REDACTED:PASSWORD]'],
    ['mi contraseña es gato123', 'mi contraseña es [REDACTED:PASSWORD]'],
    ['mon mot de passe est soleil', 'mon mot de passe est [REDACTED:PASSWORD]'],
    ['Mein Passwort ist Sommer2024', 'Mein Passwort ist [REDACTED:PASSWORD]'],
    ['Login\tadmin\nPassword\tS3cr3t!x', 'Login\tadmin\nPassword\t[REDACTED:PASSWORD]'],
    ['pw\t\thunter2 (pasted from the sheet)', 'pw\t\t[REDACTED:PASSWORD] (pasted from the sheet)'],
    // A tab reads like ":": the next cell is the value, whatever word it is.
    ['Password\texpired\nEmail\tworking', 'Password\t[REDACTED:PASSWORD]\nEmail\tworking'],
  ])('redacts the password in %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('does not redact words describing a password problem', () => {
    for (const text of [
      'Password reset link expired',
      'my password is wrong',
      'the password is not accepted',
      'Password expiry notice',
    ]) {
      expect(stored(text)).toBe(text);
    }
  });

  test('redacts CVV and PIN values but not the words around them', () => {
    expect(stored('cvv 123, CVC: 9876, security code is 456')).toBe(
      'cvv [REDACTED:CREDIT_DEBIT_CVV], CVC: [REDACTED:CREDIT_DEBIT_CVV], security code is [REDACTED:CREDIT_DEBIT_CVV]',
    );
    expect(stored('my PIN is 4321 and pin code: 987654')).toBe('my PIN is [REDACTED:PIN] and pin code: [REDACTED:PIN]');
    expect(stored('I pinned 1234 issues')).toBe('I pinned 1234 issues');
  });

  test('redacts valid IBANs, grouped or not, and nothing after them', () => {
    expect(stored('IBAN DE89 3704 0044 0532 0130 00 EUR please')).toBe(
      'IBAN [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER] EUR please',
    );
    expect(stored('to GB82WEST12345698765432.')).toBe('to [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER].');
  });

  test('leaves IBAN-shaped text with a wrong check digit', () => {
    expect(stored('code DE88 3704 0044 0532 0130 00')).toBe('code DE88 3704 0044 0532 0130 00');
  });

  test('redacts routing numbers that pass the ABA checksum and bank account numbers', () => {
    expect(stored('routing number 021000021, bank account 000123456789')).toBe(
      'routing number [REDACTED:BANK_ROUTING], bank account [REDACTED:BANK_ACCOUNT_NUMBER]',
    );
    expect(stored('routing number 123456789')).toBe('routing number 123456789');
  });
});

describe('checksums', () => {
  test('Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  test('IBAN mod 97', () => {
    expect(passesIbanChecksum('DE89370400440532013000')).toBe(true);
    expect(passesIbanChecksum('DE89370400440532013001')).toBe(false);
  });
});

describe('comprehendSecretSpans', () => {
  test('keeps only must-never-store types', () => {
    const text = 'Jane Doe, jane@example.com, card 4111111111111111';
    const entities: PiiEntity[] = [
      { Type: 'NAME', BeginOffset: 0, EndOffset: 8 },
      { Type: 'EMAIL', BeginOffset: 10, EndOffset: 26 },
      { Type: 'CREDIT_DEBIT_NUMBER', BeginOffset: 33, EndOffset: 49 },
    ];
    expect(comprehendSecretSpans(text, entities)).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', start: 33, end: 49 }]);
  });

  test('converts code-point offsets after an emoji into string indices', () => {
    const text = '🔥🔥 my pin: 8642 now';
    // Code points: 🔥=0, 🔥=1, ' '=2 … '8' is code point 11 but UTF-16 index 13.
    const spans = comprehendSecretSpans(text, [{ Type: 'PIN', BeginOffset: 11, EndOffset: 15 }]);
    expect(spans).toEqual([{ type: 'PIN', start: 13, end: 17 }]);
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe('8642');
  });

  test('ignores entities without offsets', () => {
    expect(comprehendSecretSpans('abc', [{ Type: 'PIN' }])).toEqual([]);
  });
});

describe('resolveOverlaps', () => {
  test('merges overlapping spans into one covering both, named after the longer', () => {
    const spans: SecretSpan[] = [
      { type: 'CREDIT_DEBIT_NUMBER', start: 10, end: 26 },
      { type: 'BANK_ACCOUNT_NUMBER', start: 5, end: 20 },
      { type: 'PIN', start: 30, end: 34 },
    ];
    expect(resolveOverlaps(spans)).toEqual([
      { type: 'CREDIT_DEBIT_NUMBER', start: 5, end: 26 },
      { type: 'PIN', start: 30, end: 34 },
    ]);
  });

  test('breaks a length tie by type precedence, whichever detector came first', () => {
    const a: SecretSpan = { type: 'BANK_ACCOUNT_NUMBER', start: 0, end: 16 };
    const b: SecretSpan = { type: 'CREDIT_DEBIT_NUMBER', start: 0, end: 16 };
    expect(resolveOverlaps([a, b])).toEqual([{ ...b }]);
    expect(resolveOverlaps([b, a])).toEqual([{ ...b }]);
  });
});

describe('redactFields', () => {
  test('redacts in both subject and description and counts per type, sorted by type', () => {
    const result = redactFields({
      subject: 'Card 4111 1111 1111 1111',
      description: 'PIN 1234. Also card 5555 5555 5555 4444.',
    });
    expect(result.subject).toBe('Card [REDACTED:CREDIT_DEBIT_NUMBER]');
    expect(result.description).toBe('PIN [REDACTED:PIN]. Also card [REDACTED:CREDIT_DEBIT_NUMBER].');
    expect(result.redactions).toEqual([
      { type: 'CREDIT_DEBIT_NUMBER', count: 2 },
      { type: 'PIN', count: 1 },
    ]);
  });

  test('a card number split between subject and description is redacted on both sides and counted once', () => {
    const result = redactFields({ subject: 'card 4111 1111', description: '1111 1111 expired' });
    expect(result.subject).toBe('card [REDACTED:CREDIT_DEBIT_NUMBER]');
    expect(result.description).toBe('[REDACTED:CREDIT_DEBIT_NUMBER] expired');
    expect(result.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('a span Comprehend reports in the view is replaced in the original text, which keeps its own digits', () => {
    const fields = { subject: 'Refund', description: 'Use account ４１１１ ２２２２ 3333 please' };
    const view = analysisView(fields);
    const start = view.text.indexOf('4111');
    const result = redactFields(fields, view, [{ type: 'BANK_ACCOUNT_NUMBER', start, end: start + 14 }]);
    expect(result.description).toBe('Use account [REDACTED:BANK_ACCOUNT_NUMBER] please');
  });

  test('overlapping on-box and Comprehend spans produce one marker', () => {
    const fields = { subject: 'Refund', description: 'Use account 4111 1111 1111 1111 please' };
    const view = analysisView(fields);
    const start = view.text.indexOf('4111');
    const result = redactFields(fields, view, [{ type: 'BANK_ACCOUNT_NUMBER', start, end: start + 14 }]);
    expect(result.description).toBe('Use account [REDACTED:CREDIT_DEBIT_NUMBER] please');
    expect(result.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('text read again later: a span over a stored marker alone is no new redaction, one reaching past it is', () => {
    const fields = { subject: 'Login', description: 'My password: [REDACTED:PASSWORD] does not work, pin 4821' };
    const view = analysisView(fields);
    const marker = view.text.indexOf(REDACTION_IN_VIEW);
    // As Comprehend may report it: the marker, or the marker with the punctuation before it.
    for (const start of [marker, marker - 2]) {
      const result = redactFields(fields, view, [{ type: 'PASSWORD', start, end: marker + 1 }]);
      expect(result.description).toBe(fields.description.replace('pin 4821', 'pin [REDACTED:PIN]'));
      expect(result.redactions).toEqual([{ type: 'PIN', count: 1 }]);
    }
    const past = redactFields(fields, view, [{ type: 'PASSWORD', start: marker, end: marker + 6 }]);
    expect(past.redactions).toContainEqual({ type: 'PASSWORD', count: 1 });
    expect(past.description).toBe('My password: [REDACTED:PASSWORD] not work, pin [REDACTED:PIN]');
  });

  test('a secret in a tag becomes the word "redacted", and the tag stays a label', () => {
    const result = redactFields({ subject: 'Help', description: 'See tags', tags: ['vip', 'card-4111111111111111'] });
    expect(result.tags).toEqual(['vip', 'card-redacted']);
    expect(result.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('text without secrets is returned unchanged with no redactions', () => {
    const fields = { subject: 'Export', description: 'How do I export invoices?', tags: ['csv'] };
    expect(redactFields(fields)).toEqual({ ...fields, redactions: [], spans: [] });
  });
});

describe('mayContainSecrets', () => {
  test.each(['How do I change the colour of the dashboard?', 'Windows 11 on the 3rd floor, app v2'])(
    'is false for "%s": no run of three digits, password word or long token',
    (text) => {
      expect(mayContainSecrets(text)).toBe(false);
    },
  );

  test.each([
    'I was charged 120 twice',
    'card 4111-1111',
    'cvv 1 2 3',
    'my password does not work',
    'la contraseña no funciona',
    'the secret is out',
    'p/w Geheim',
    'token AKIAIOSFODNNEXAMPLEX',
  ])('is true for "%s"', (text) => {
    expect(mayContainSecrets(text)).toBe(true);
  });
});

describe('bypasses that once stored a secret', () => {
  const redactedDescription = (description: string) => redactFields({ subject: 'Help', description }).description;

  test.each([
    ['dots', '4111.1111.1111.1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['tabs', '4111\t1111\t1111\t1111'],
    ['line breaks', '4111\n1111\n1111\n1111'],
    ['" - "', '4111 - 1111 - 1111 - 1111'],
    ['full-width digits', '４１１１ １１１１ １１１１ １１１１'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['U+180E between groups', '4111\u180E1111\u180E1111\u180E1111'],
    ['U+034F between digits', '4\u034F111 1111 1111 1111'],
    ['U+2800 between groups', '4111\u28001111\u28001111\u28001111'],
    ['U+FE0F after digits', '4\uFE0F111 1111 1111 1111'],
    ['U+E0020 between groups', '4111\u{E0020}1111\u{E0020}1111\u{E0020}1111'],
  ])('a card number separated by %s', (_disguise, card) => {
    expect(redactedDescription(`card ${card} thanks`)).toBe('card [REDACTED:CREDIT_DEBIT_NUMBER] thanks');
  });

  test('a card number in a tag', () => {
    expect(redactFields({ subject: 'Help', description: 'x', tags: ['4111111111111111'] }).tags).toEqual(['redacted']);
  });

  test('a card number split between subject and description', () => {
    const result = redactFields({ subject: 'My card is 4111 1111', description: '1111 1111, please refund' });
    expect(`${result.subject} ${result.description}`).not.toMatch(/1111/);
  });

  test.each([
    ['123 45 6789', 'SSN [REDACTED:SSN]'],
    ['123.45.6789', 'SSN [REDACTED:SSN]'],
  ])('an SSN written %s, without Comprehend', (ssn, expected) => {
    expect(redactedDescription(`SSN ${ssn}`)).toBe(expected);
  });

  test('an SSN without separators after its keyword', () => {
    expect(redactedDescription('SSN: 123456789')).toBe('SSN: [REDACTED:SSN]');
    expect(redactedDescription('Order 123456789 shipped')).toBe('Order 123456789 shipped');
  });

  test('lower-case and spaced IBANs', () => {
    expect(redactedDescription('iban de89370400440532013000')).toBe(
      'iban [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER]',
    );
    expect(redactedDescription('IBAN: de89 3704 0044 0532 0130 00')).toBe(
      'IBAN: [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER]',
    );
  });

  test('a bare AWS secret access key', () => {
    expect(redactedDescription('here: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok')).toBe(
      'here: [REDACTED:AWS_SECRET_KEY] ok',
    );
  });

  test('a git commit hash is not a key', () => {
    expect(redactedDescription('fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8')).toBe(
      'fixed in 9fceb02d0ae598e95dc970b74767f19372d61af8',
    );
  });

  test('"pw: hunter2"', () => {
    expect(redactedDescription('user admin pw: hunter2')).toBe('user admin pw: [REDACTED:PASSWORD]');
  });

  test('what is not a secret stays: versions, phone numbers, timestamps, order numbers failing Luhn', () => {
    const text =
      'v2.14.3 on 2024-05-01 10:30:00.123, call +1 (555) 123-4567, order 4111 1111 1111 1112, build 20240501103000123';
    expect(redactedDescription(text)).toBe(text);
  });
});

describe('character references', () => {
  test('a card number written with numeric character references is redacted, and ordinary entities are kept', () => {
    const result = redactFields({
      subject: 'Help',
      description: 'card &#52;111&nbsp;1111&#x20;1111 &#49;111 &amp; more',
    });
    expect(result.description).toBe('card [REDACTED:CREDIT_DEBIT_NUMBER] &amp; more');
  });
});

describe('more disguises, each once stored', () => {
  const redacted = (description: string) => redactFields({ subject: 'Help', description }).description;

  test.each([
    ['more than three separator marks', 'card 4539 ---- 1488 ---- 0343 ---- 6467', 'CREDIT_DEBIT_NUMBER'],
    ['a letter-like dash (U+30FC)', 'card 4539ー1488ー0343ー6467', 'CREDIT_DEBIT_NUMBER'],
    ['a CJK one as dash', 'card 4539一1488一0343一6467', 'CREDIT_DEBIT_NUMBER'],
    [
      'accents stacked on a dash',
      'card 4539-\u0301\u03011488-\u0301\u03010343-\u0301\u03016467',
      'CREDIT_DEBIT_NUMBER',
    ],
    ['references without ";"', 'card &#52&#53&#51&#57 1488 0343 6467', 'CREDIT_DEBIT_NUMBER'],
    ['references with leading zeros', 'card &#00000052;539 1488 0343 6467', 'CREDIT_DEBIT_NUMBER'],
    ['named references as separators', 'card 4539&ndash;1488&thinsp;0343&NewLine;6467', 'CREDIT_DEBIT_NUMBER'],
    ['an IBAN with double spaces', 'iban DE89  3704  0044  0532  0130  00', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['an IBAN with slashes', 'iban DE89/3704/0044/0532/0130/00', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['an IBAN glued to a word', 'to ibanDE89370400440532013000', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['an IBAN followed by letters', 'to DE89370400440532013000EUR', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['an IBAN with a Cyrillic letter', 'to GB82 W\u0415ST 1234 5698 7654 32', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['a password on the next line', 'password:\n  Hunter2!x', 'PASSWORD'],
    ['a password in JSON', '{"password": "Hunter2!x"}', 'PASSWORD'],
    ['a password in camel case', 'dbPassword=Hunter2!x', 'PASSWORD'],
    ['a password in XML', '<password>Hunter2!x</password>', 'PASSWORD'],
    ['a password in a URL', 'postgres://admin:Hunter2xq@db.example.com/app', 'PASSWORD'],
    ['a password after a dash', 'password — x9y8z7', 'PASSWORD'],
    ['a password keyword with a Cyrillic letter', 'p\u0430ssword: Hunter2!x', 'PASSWORD'],
    ['a Russian password', 'пароль: Hunter2!x', 'PASSWORD'],
    ['a Japanese password', '私のパスワードは Hunter2!x', 'PASSWORD'],
    ['a spaced CVV', 'cvv: 1 2 3', 'CREDIT_DEBIT_CVV'],
    ['a dashed PIN', 'my PIN is 4-8-2-7', 'PIN'],
    ['a spaced SSN after its keyword', 'SSN: 1 2 3 4 5 6 7 8 9', 'SSN'],
    ['an SSN with runs of dashes', 'SSN 123 -- -- 45 -- -- 6789', 'SSN'],
    ['a 20-digit bank account', 'bank account: 12345678901234567890', 'BANK_ACCOUNT_NUMBER'],
    ['a bank account in slashed pairs', 'account number 12/34/56/78', 'BANK_ACCOUNT_NUMBER'],
    ['a grouped access key id', 'AKIA IOSF ODNN 7EXA MPLE', 'AWS_ACCESS_KEY'],
    ['an access key id glued to a word', 'keyAKIAIOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY'],
    ['a secret key with padding', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY=', 'AWS_SECRET_KEY'],
  ])('%s', (_disguise, text, type) => {
    const result = redactFields({ subject: 'Help', description: text });
    expect(result.redactions).toEqual([{ type, count: 1 }]);
    expect(result.description).toContain(`[REDACTED:${type}]`);
  });

  test.each([
    [
      'marks on the letters of a keyword',
      'p\u0332a\u0332s\u0332s\u0332w\u0332o\u0332r\u0332d\u0332: hunter2',
      'PASSWORD',
    ],
    ['an accented keyword', 'pássword: hunter2', 'PASSWORD'],
    ['a key id with marks', 'key A\u0332K\u0332I\u0332A\u0332IOSFODNN7EXAMPLE', 'AWS_ACCESS_KEY'],
    ['Markdown emphasis', '**Password:** hunter2', 'PASSWORD'],
    ['HTML around the keyword', '<b>PIN</b> 1234', 'PIN'],
    ['a card split by tags', 'card 4111<b>1111</b>1111<i>1111</i>', 'CREDIT_DEBIT_NUMBER'],
    ['a card split by comments', '4111<!-- -->1111<!-- -->1111<!-- -->1111', 'CREDIT_DEBIT_NUMBER'],
    ['percent-encoded spaces', 'GET /pay?card=4111%201111%201111%201111', 'CREDIT_DEBIT_NUMBER'],
    ['dingbat digits', 'card ❹❶❶❶ ❶❶❶❶ ❶❶❶❶ ❶❶❶❶', 'CREDIT_DEBIT_NUMBER'],
    ['a digit-like character touching a card', 'card 4111 1111 1111 1111❶', 'CREDIT_DEBIT_NUMBER'],
    ['curly quotes around the keyword', '“password”: hunter2', 'PASSWORD'],
    ['an arrow', 'password → hunter2', 'PASSWORD'],
    ['an aside before the separator', 'password (temporary): hunter2', 'PASSWORD'],
    ['a plural keyword', 'passwords: hunter2', 'PASSWORD'],
    ['small capitals', 'ᴘᴀꜱꜱᴡᴏʀᴅ: x9y8z7', 'PASSWORD'],
    ['an Armenian look-alike', 'passw\u0585rd: hunter2', 'PASSWORD'],
    ['an Arabic keyword', 'كلمة المرور: hunter2', 'PASSWORD'],
    ['a value with a quote inside', "password: pa'ss99", 'PASSWORD'],
    ['a value in angle brackets', 'password: <hunter2>', 'PASSWORD'],
    ['a word after a colon', 'password: Darling', 'PASSWORD'],
    ['CVV with its noun and an aside', 'CVV code (3 digits): #123', 'CREDIT_DEBIT_CVV'],
    ['SSN with its number sign', 'SSN#: 123456789', 'SSN'],
    ['an account number sign', 'account #: 12345678', 'BANK_ACCOUNT_NUMBER'],
    ['an IBAN with en dashes', 'DE89–3704–0044–0532–0130–00', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER'],
    ['a table of keys and values', '<tr><td>PIN</td><td>4821</td></tr>', 'PIN'],
    ['a key id in dotted groups', 'AKIA.IOSF.ODNN.7EXA.MPLE', 'AWS_ACCESS_KEY'],
  ])('round two: %s', (_disguise, text, type) => {
    const result = redactFields({ subject: 'Help', description: text });
    expect(result.redactions).toEqual([{ type, count: 1 }]);
  });

  test.each([
    'Charges: $586.17, $873.15, $407.46, $119.02, $660.31, $245.99',
    'open ports 26588, 8532, 32494, 16680, 24346, 51062',
    'Pins at 51.5074, -0.1278, 40.7128, -74.0060',
    'Traffic from 186.149.175.116 to 172.60.24.190',
    'getUserAccountPreferencesForRegion2Async',
    'compass: north, bypass: south',
    'List<String> names and <div class="x">text</div>',
    '/home/alice/Projects/App2/src/index/Main',
    'src/components/UserProfile/Avatar2/index',
    'my password is expiring and the password has changed',
    'on 12 March 2024 the meeting at 10 in room 4 was fine',
    'request 550e8400-e29b-41d4-a716-446655440000 failed at 10.0.0.12',
  ])('keeps what is not a secret: %s', (text) => {
    expect(redacted(text)).toBe(text);
  });

  test.each([
    ['thousands of ":"', ':'.repeat(60_000)],
    ['a keyword repeated inside one long token', '-token'.repeat(10_000)],
    ['a keyword and "是" repeated without spaces', '密码是'.repeat(20_000)],
    ['a client command repeated', 'mysql -u'.repeat(20_000)],
    ['a keyword and words before "is", repeated', 'the password for my account '.repeat(5_000)],
    ['a PIN keyword and words, repeated', 'PIN for my card '.repeat(5_000)],
    ['labels on lines of their own', 'Password\nPIN\nCVV\n'.repeat(10_000)],
    ['a pipe table line of spaces', `a|b\n${' '.repeat(19_980)}|x`],
    ['a label, then spaces', `PIN${' '.repeat(19_990)}x`],
    ['a user name keyword, then spaces', `username${' '.repeat(19_985)}x`],
    ['a PIN keyword and "is", then spaces', `PIN is${' '.repeat(19_990)}x`],
  ])('%s: each character is read a bounded number of times, and nothing is redacted', (_shape, text) => {
    expect(stored(text)).toBe(text);
  });

  test('a keyword followed by thousands of spaces and no value is matched in one pass and redacts nothing', () => {
    const text = `secret is${' '.repeat(19_000)}\nx password is${'\t'.repeat(500)}`;
    expect(redacted(text)).toBe(text);
  });
});

describe('numbers split across fields in either order', () => {
  test('the first half ends the description and the second half starts the subject', () => {
    const result = redactFields({ subject: '1111 1111 is the rest', description: 'my card is 4111 1111' });
    expect(`${result.subject} ${result.description}`).not.toMatch(/1111/);
    expect(result.redactions).toEqual([{ type: 'CREDIT_DEBIT_NUMBER', count: 1 }]);
  });

  test('tags given last half first', () => {
    const result = redactFields({ subject: 'Card', description: 'see tags', tags: ['1111-1111', '4111-1111'] });
    expect(result.tags).toEqual(['redacted']);
  });
});

describe('a tab between a keyword and its value reads like ":"', () => {
  test.each([
    ['Password\tBlessed', 'Password\t[REDACTED:PASSWORD]'],
    ['Password\tking', 'Password\t[REDACTED:PASSWORD]'],
    ['Password\tNothing', 'Password\t[REDACTED:PASSWORD]'],
    ['Password\tAmazing', 'Password\t[REDACTED:PASSWORD]'],
    ['Password&Tab;S3cr3t!', 'Password&Tab;[REDACTED:PASSWORD]'],
    ['Password&#9;S3cr3t!', 'Password&#9;[REDACTED:PASSWORD]'],
    ['PIN&Tab;4821', 'PIN&Tab;[REDACTED:PIN]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('"is" still lets a description of the password follow', () => {
    for (const text of ['my password is wrong', 'Password reset link expired', 'the password is expired']) {
      expect(stored(text)).toBe(text);
    }
  });
});

describe('a secret in markup: only the secret is replaced, every tag around it stays', () => {
  test.each([
    // A label cell with its own colon.
    ['<td>Password:</td><td>S3cr3t!x</td>', '<td>Password:</td><td>[REDACTED:PASSWORD]</td>'],
    ['<td>Password:</td> <td>S3cr3t!x</td>', '<td>Password:</td> <td>[REDACTED:PASSWORD]</td>'],
    ['<td>PIN:</td><td>4821</td>', '<td>PIN:</td><td>[REDACTED:PIN]</td>'],
    ['<td>Passwort:</td><td>Sommer2024</td>', '<td>Passwort:</td><td>[REDACTED:PASSWORD]</td>'],
    ['<td>Password</td><td>S3cr3t!x</td>', '<td>Password</td><td>[REDACTED:PASSWORD]</td>'],
    // Tags before and after the value.
    ['<td>Password</td>\t<td>S3cr3t!x</td> next', '<td>Password</td>\t<td>[REDACTED:PASSWORD]</td> next'],
    ['Password:<br>S3cr3t!x', 'Password:<br>[REDACTED:PASSWORD]'],
    ['Password:<code>S3cr3t!x</code>', 'Password:<code>[REDACTED:PASSWORD]</code>'],
    ['Password: S3cr3t!x<br>next line', 'Password: [REDACTED:PASSWORD]<br>next line'],
    ['<p>Password: <b>S3cr3t!x</b></p>', '<p>Password: <b>[REDACTED:PASSWORD]</b></p>'],
    [
      '<label>Password:</label> <span>S3cr3t!x</span> ok',
      '<label>Password:</label> <span>[REDACTED:PASSWORD]</span> ok',
    ],
    // An inline tag inside the value is part of it: nothing of the secret is left.
    ['Password: S3cr<b>3t</b>!x ok', 'Password: [REDACTED:PASSWORD] ok'],
    ['password: <hunter2>', 'password: [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('the end of a cell holding the keyword alone reads like ":"; a longer label keeps its neighbour', () => {
    expect(stored('<td>Password</td><td>expired</td>')).toBe('<td>Password</td><td>[REDACTED:PASSWORD]</td>');
    expect(stored('<td>Password reset</td><td>done</td>')).toBe('<td>Password reset</td><td>done</td>');
  });
});

describe('tables: a header names a column of secrets', () => {
  const KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  test.each([
    [
      'Email\tPassword\tRole\nalice@example.com\tS3cr3t!\tadmin',
      'Email\tPassword\tRole\nalice@example.com\t[REDACTED:PASSWORD]\tadmin',
    ],
    ['Username\tPassword\nalice\tHunter2!', 'Username\tPassword\nalice\t[REDACTED:PASSWORD]'],
    ['username,password\nalice,S3cr3t!x', 'username,password\nalice,[REDACTED:PASSWORD]'],
    [
      'Username; Password\nalice; S3cr3t!x\nbob; Blessed',
      'Username; Password\nalice; [REDACTED:PASSWORD]\nbob; [REDACTED:PASSWORD]',
    ],
    ['"user","password"\n"bob","S3,cr3t"', '"user","password"\n"bob","[REDACTED:PASSWORD]"'],
    [
      'Email\tNew password\nalice@example.com\tcorrect horse',
      'Email\tNew password\nalice@example.com\t[REDACTED:PASSWORD]',
    ],
    ['user_password\tdbPassword\nabc1\txyz2', 'user_password\tdbPassword\n[REDACTED:PASSWORD]\t[REDACTED:PASSWORD]'],
    ['Name;PIN\nbob;4821\nann;1234', 'Name;PIN\nbob;[REDACTED:PIN]\nann;[REDACTED:PIN]'],
    ['Card\tCVV\nVisa\t123', 'Card\tCVV\nVisa\t[REDACTED:CREDIT_DEBIT_CVV]'],
    [`User,Secret key\nbob,${KEY}`, 'User,Secret key\nbob,[REDACTED:AWS_SECRET_KEY]'],
    // The first column named: a row below that cannot be a name shows the table reads across.
    ['Password,Role\nS3cr3t!x,admin', 'Password,Role\n[REDACTED:PASSWORD],admin'],
    // Two cells, no space around the delimiter: a key and its value.
    ['Password,S3cr3t!x', 'Password,[REDACTED:PASSWORD]'],
    ['Password;S3cr3t!x', 'Password;[REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    // A table of keys and values: the password's key is in the first column, other keys below it stay.
    [
      'Username\tbob\nPassword\tBlessed\nEmail\tbob@example.com',
      'Username\tbob\nPassword\t[REDACTED:PASSWORD]\nEmail\tbob@example.com',
    ],
    ['Password\tBlessed\nLogin\tadmin', 'Password\t[REDACTED:PASSWORD]\nLogin\tadmin'],
  ])('keys and values: %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'Test\tPass\nlogin\tyes\nlogout\tno',
    'Password reset\tDate\nyes\tMonday',
    'Hi, the password, as I said\nfails, on every, device',
    'Password, please help',
    'Email\tPassword\tRole',
  ])('what is not a column of secrets stays: %j', (text) => {
    const expected = text === 'Email\tPassword\tRole' ? 'Email\tPassword\t[REDACTED:PASSWORD]' : text;
    expect(stored(text)).toBe(expected);
  });
});

describe('Markdown tables: "|" separates cells, and the separator row is not a row', () => {
  test.each([
    [
      '| password | pin |\n|---|---|\n| Abc123! | 4821 |\n| Xyz789? | 1234 |',
      '| password | pin |\n|---|---|\n| [REDACTED:PASSWORD] | [REDACTED:PIN] |\n| [REDACTED:PASSWORD] | [REDACTED:PIN] |',
    ],
    [
      '| user | password |\n|---|---|\n| bob | Abc123! |',
      '| user | password |\n|---|---|\n| bob | [REDACTED:PASSWORD] |',
    ],
    [
      '| card | cvv |\n|---|---|\n| 4111 1111 1111 1111 | 737 |',
      '| card | cvv |\n|---|---|\n| [REDACTED:CREDIT_DEBIT_NUMBER] | [REDACTED:CREDIT_DEBIT_CVV] |',
    ],
    [
      '| account | BLZ |\n|---|---|\n| 0532013000 | 37040044 |',
      '| account | BLZ |\n|---|---|\n| [REDACTED:BANK_ACCOUNT_NUMBER] | [REDACTED:BANK_ROUTING] |',
    ],
    // Without the separator row, with alignment colons, without the outer pipes.
    ['| user | password |\n| bob | Abc123! |', '| user | password |\n| bob | [REDACTED:PASSWORD] |'],
    [
      '| user | password |\n|:---:|:---|\n| bob | Abc123! |',
      '| user | password |\n|:---:|:---|\n| bob | [REDACTED:PASSWORD] |',
    ],
    ['user | password\n--- | ---\nbob | Abc123!', 'user | password\n--- | ---\nbob | [REDACTED:PASSWORD]'],
    // The same tables as TSV and CSV.
    [
      'account\tBLZ\n0532013000\t37040044',
      '[REDACTED:BANK_ACCOUNT_NUMBER]'.replace(/^/, 'account\tBLZ\n') + '\t[REDACTED:BANK_ROUTING]',
    ],
    ['password,pin\nAbc123!,4821', 'password,pin\n[REDACTED:PASSWORD],[REDACTED:PIN]'],
    // A table of keys and values, and a header line that gives a value.
    [
      '| Key | Value |\n|---|---|\n| password | Abc123! |\n| pin | 4821 |',
      '| Key | Value |\n|---|---|\n| password | [REDACTED:PASSWORD] |\n| pin | [REDACTED:PIN] |',
    ],
    ['| password: Abc123! |\n|---|', '| password: [REDACTED:PASSWORD] |\n|---|'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    '| Name | Status |\n|---|---|\n| bob | active |',
    '| Order | Phone |\n|---|---|\n| 4111 1111 1111 1112 | call me |',
    '| Test | Pass |\n|---|---|\n| login | yes |',
    '| account | status |\n|---|---|\n| 0532013000 | open |',
    'step 1 | ok\nstep 2 | failed',
    // A header above its separator row is names, with no row below yet.
    '| Password | Status |\n|---|---|',
  ])('a table of no secrets stays: %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('passwords in arrays, in spellings that dodge a filter, and before Korean or Japanese', () => {
  test.each([
    ["'password' => 'Abc123!',", "'password' => '[REDACTED:PASSWORD]',"],
    ["$config['password'] => 'Abc123!';", "$config['password'] => '[REDACTED:PASSWORD]';"],
    ['password => Abc123!', 'password => [REDACTED:PASSWORD]'],
    // A quoted key: the value's quotes are the data's, and the JSON stays valid.
    ['{"password":"Abc123!"}', '{"password":"[REDACTED:PASSWORD]"}'],
    ['{"password": "Abc123!", "user": "bob"}', '{"password": "[REDACTED:PASSWORD]", "user": "bob"}'],
    ['my pass word is Hunter2Secret', 'my pass word is [REDACTED:PASSWORD]'],
    ['pass word: Hunter2Secret', 'pass word: [REDACTED:PASSWORD]'],
    ['my p@ssword is Hunter2Secret', 'my p@ssword is [REDACTED:PASSWORD]'],
    ['my passw0rd is Hunter2Secret', 'my passw0rd is [REDACTED:PASSWORD]'],
    // The value's final "!" or "?" goes with it, up to the particle.
    ['비밀번호는 qwerty123!!입니다', '비밀번호는 [REDACTED:PASSWORD]입니다'],
    ['パスワードはabc123XYZ!です', 'パスワードは[REDACTED:PASSWORD]です'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'I need a boarding pass word of advice',
    'my pass word is wrong',
    'the array maps id => 42',
    '密码是错的',
  ])('ordinary text stays: %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('a password\'s state is no password, in each language whose "is" separates a value', () => {
  test.each([
    'Mein Passwort ist abgelaufen',
    'Mein Passwort ist ungültig',
    'Mein Passwort ist gesperrt',
    'Mein Kennwort ist abgelaufen seit gestern',
    'Mein Passwort ist zurückgesetzt worden',
    'Wachtwoord is verlopen',
    'Mijn wachtwoord is geblokkeerd',
    'A senha é inválida',
    'Minha senha está bloqueada e a senha é curta',
    'Mi contraseña es inválida',
    'La contraseña es caducada',
    'Mon mot de passe est expiré',
    'Le mot de passe est invalide',
    'La password è scaduta',
    'La password è bloccata',
    'My password is blocked',
  ])('%j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['Mein Passwort ist Abgelaufen2024!', 'Mein Passwort ist [REDACTED:PASSWORD]'],
    ['Wachtwoord is Verlopen7', 'Wachtwoord is [REDACTED:PASSWORD]'],
    ['A senha é Sol2024!', 'A senha é [REDACTED:PASSWORD]'],
  ])('a password is still one: %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe('an international phone number is no card', () => {
  test.each([
    'Phone +44 4532 0151 1283 0366',
    'Call me on +4532015112830366',
    'WhatsApp (+44) 4532 0151 1283 0366',
    'mobile: +1 555 4111 1111 111',
    'reach me at +49 4532 0151 1283',
  ])('%j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['my card +4532 0151 1283 0366', 'my card +[REDACTED:CREDIT_DEBIT_NUMBER]'],
    // Longer than a phone number, and no word names a phone.
    ['+4532015112830366', '+[REDACTED:CREDIT_DEBIT_NUMBER]'],
    // A phone number and a card beside it are too many digits for one phone number.
    ['Phone +44 20 7946 0958 4111 1111 1111 1111', 'Phone +44 20 7946 0958 [REDACTED:CREDIT_DEBIT_NUMBER]'],
    ['Phone 4532 0151 1283 0366', 'Phone [REDACTED:CREDIT_DEBIT_NUMBER]'],
  ])('a card is still one: %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe("a tag's form in prose, and a code glued to its keyword in a tag", () => {
  test.each([
    ['see pin-4821', 'see pin-[REDACTED:PIN]'],
    ['tags pin-4821, cvv_737.', 'tags pin-[REDACTED:PIN], cvv_[REDACTED:CREDIT_DEBIT_CVV].'],
    ['password-hunter2 is my tag', 'password-[REDACTED:PASSWORD] is my tag'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'pinned pin-2024 release',
    'this is password-protected and password-less, see password-reset-2024',
    'spin-1234 and pin-12345678901 and pinto-4821',
    // A noun after the token makes it a name: "the password-v2 branch".
    'merge the password-v2 branch and the password-hunter2 tag',
  ])('ordinary text stays: %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test('tags: the digits glued to "pin" or "cvv" go, a year stays', () => {
    const tags = (list: string[]) => redactFields({ subject: 'Help', description: 'x', tags: list }).tags;
    expect(tags(['pin4821'])).toEqual(['pinredacted']);
    expect(tags(['PIN4821', 'cvv737'])).toEqual(['pinredacted', 'cvvredacted']);
    expect(tags(['pin2024', 'cvv2', 'spin4821'])).toEqual(['pin2024', 'cvv2', 'spin4821']);
  });
});

describe('a plain word is a password after an explicit credential context', () => {
  test.each([
    ['credentials admin:admin', 'credentials admin:[REDACTED:PASSWORD]'],
    ['credentials root:toor', 'credentials root:[REDACTED:PASSWORD]'],
    ['credentials j.smith:summer', 'credentials j.smith:[REDACTED:PASSWORD]'],
    ['username admin password admin', 'username admin password [REDACTED:PASSWORD]'],
    ['login: bob, password hunter', 'login: bob, password [REDACTED:PASSWORD]'],
    ['username: bob password Hunter2 works', 'username: bob password [REDACTED:PASSWORD] works'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'login 10:30',
    'username bob password reset needed',
    'username bob password is wrong',
    'login bob password expired yesterday',
    'my login email password combo fails',
    'username admin password for the portal',
  ])('ordinary text stays: %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('bank accounts named in German and Polish, and a Polish NRB', () => {
  test.each([
    ['Konto 1234567890', 'Konto [REDACTED:BANK_ACCOUNT_NUMBER]'],
    ['Kontonr. 1234 5678 90', 'Kontonr. [REDACTED:BANK_ACCOUNT_NUMBER]'],
    ['numer konta 61 1090 1014 0000 0712 1981 2874', 'numer konta [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER]'],
    // An NRB is an IBAN without "PL": its checksum says so, keyword or not.
    ['przelew na 61109010140000071219812874', 'przelew na [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'Mein Konto 123456 ist gesperrt',
    'Konto seit 2019 gesperrt, Kundennummer 12345678',
    // 26 digits failing the checksum with "PL" before them.
    'order 12 1090 1014 0000 0712 1981 2875',
    'mi cuenta 20381234561234567890',
  ])('ordinary text stays: %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('a zero-width character between the keyword and "is"', () => {
  test.each([
    ['password\u200bis Abc123!', 'password\u200bis [REDACTED:PASSWORD]'],
    ['Passwort\u2060ist Geheim99x', 'Passwort\u2060ist [REDACTED:PASSWORD]'],
  ])('%j: the stored text keeps the character, not the password', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each(['password\u200bis wrong', 'the passwords was changed', 'Mein Passwort\u200bist abgelaufen'])(
    'ordinary text stays: %j',
    (text) => {
      expect(stored(text)).toBe(text);
    },
  );
});

describe('a value found as a secret is redacted wherever else it stands', () => {
  test('the same password again, in the same field', () => {
    expect(stored('My password is Tr0ub4dor&3 but when I type Tr0ub4dor&3 on the login page it says invalid.')).toBe(
      'My password is [REDACTED:PASSWORD] but when I type [REDACTED:PASSWORD] on the login page it says invalid.',
    );
  });

  test('a password again in another case, and after the full stop that ends its sentence', () => {
    expect(stored('My password is Summer2024! and summer2024! fails')).toBe(
      'My password is [REDACTED:PASSWORD] and [REDACTED:PASSWORD] fails',
    );
    expect(stored('password: Tr0ub4dor. Typing Tr0ub4dor fails')).toBe(
      'password: [REDACTED:PASSWORD]. Typing [REDACTED:PASSWORD] fails',
    );
  });

  test('in the subject and the tags, counted each time', () => {
    const result = redactFields({
      subject: 'Tr0ub4dor&3 fails',
      description: 'password: Tr0ub4dor&3',
      tags: ['tr0ub4dor&3', 'login'],
    });
    expect(result.subject).toBe('[REDACTED:PASSWORD] fails');
    expect(result.description).toBe('password: [REDACTED:PASSWORD]');
    expect(result.tags).toEqual(['redacted', 'login']);
    expect(result.redactions).toEqual([{ type: 'PASSWORD', count: 3 }]);
  });

  test('a PIN again, but not inside a longer number or word', () => {
    expect(stored('PIN: 4821. I typed 4821 and 48215 and a4821')).toBe(
      'PIN: [REDACTED:PIN]. I typed [REDACTED:PIN] and 48215 and a4821',
    );
  });

  test("a password found with its quotes or its sentence's punctuation is looked for bare", () => {
    expect(stored('password: "hunter22" and then hunter22 again')).toBe(
      'password: [REDACTED:PASSWORD] and then [REDACTED:PASSWORD] again',
    );
    expect(stored('Is my password: hunter22? I typed hunter22')).not.toContain('hunter22');
    expect(stored('My password is hunter22! I typed hunter22')).not.toContain('hunter22');
  });

  test('a plain word taken for a password is not looked for again: the rest of the ticket keeps its words', () => {
    const result = redactFields({
      subject: 'Sunshine problem as before',
      description: 'Password: sunshine\nthe sunshine thing',
    });
    expect(result.subject).toBe('Sunshine problem as before');
    expect(result.description).toBe('Password: [REDACTED:PASSWORD]\nthe sunshine thing');
  });

  test('values shorter than four characters are not looked for again', () => {
    expect(stored('pw: abc then abc')).toBe('pw: [REDACTED:PASSWORD] then abc');
  });

  test('other kinds match exactly: a key in another case is another string', () => {
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(stored(`secret: ${key} and ${key.toLowerCase()}`)).toBe(
      `secret: [REDACTED:AWS_SECRET_KEY] and ${key.toLowerCase()}`,
    );
  });
});

describe('passwords in tags and in a few more phrasings', () => {
  test('in a tag, "-" or "_" after a password keyword separates it from its value', () => {
    const result = redactFields({
      subject: 'Help',
      description: 'See tags',
      tags: [
        'password-hunter2',
        'password_S3cr3t',
        'password-reset',
        'password-expired',
        'password-manager',
        'pass-through',
      ],
    });
    expect(result.tags).toEqual([
      'password-redacted',
      'password_redacted',
      'password-reset',
      'password-expired',
      'password-manager',
      'pass-through',
    ]);
  });

  test('"-" after a keyword in the text is not a separator', () => {
    expect(stored('the password-hunter2 tag')).toBe('the password-hunter2 tag');
  });

  test.each([
    ['I set my password to hunter2', 'I set my password to [REDACTED:PASSWORD]'],
    ['I updated the password back to Winter2023!', 'I updated the password back to [REDACTED:PASSWORD]'],
    ['I set my password to "Sunshine"', 'I set my password to [REDACTED:PASSWORD]'],
    ['Can you change my PIN to 4821?', 'Can you change my PIN to [REDACTED:PIN]?'],
    ['my new password, Hunter2024, does not work', 'my new password, [REDACTED:PASSWORD], does not work'],
    ['the password I use is: Hunter2024', 'the password I use is: [REDACTED:PASSWORD]'],
    ['the password I chose is: Sunshine', 'the password I chose is: [REDACTED:PASSWORD]'],
    ['password for the VPN: Xy7#kk', 'password for the VPN: [REDACTED:PASSWORD]'],
    ['la contraseña que uso es: Gato123', 'la contraseña que uso es: [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'Please reset your password to continue',
    'I changed my password to something stronger',
    'I sent the password to John',
    'the password, however, is wrong',
    'my password, which I reset yesterday, fails',
    'the password I use is wrong',
    'the password I use is: expired',
    'the password I use is not working',
    'Password reset status: done',
    'Password policy: 8 characters',
    'Password change date: 2024-05-01',
    'a default account with a password that is identical on other units',
    'she entered her username and password before realising it was fraudulent.',
    'the password for this account had been changed',
    'He cambiado la contraseña dos veces con el enlace del correo',
    'Nouveau mot de passe refusé après réinitialisation',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('passwords without a separator, before their keyword, and beside a user name', () => {
  test.each([
    ['passwd Secret99x', 'passwd [REDACTED:PASSWORD]'],
    ['passwd 12345678x', 'passwd [REDACTED:PASSWORD]'],
    ['p/w Geheim99x', 'p/w [REDACTED:PASSWORD]'],
    ['мой пароль Секрет123x', 'мой пароль [REDACTED:PASSWORD]'],
    ['password was changed to Secret99x', 'password was changed to [REDACTED:PASSWORD]'],
    ["the password has been reset to 'Temp1234'", 'the password has been reset to [REDACTED:PASSWORD]'],
    ['Secret99x is my password', '[REDACTED:PASSWORD] is my password'],
    ['Hunter2024 was the old wifi password.', '[REDACTED:PASSWORD] was the old wifi password.'],
    ['Secret99x is my password for the VPN', '[REDACTED:PASSWORD] is my password for the VPN'],
    ['user: alice / Geheim99x', 'user: alice / [REDACTED:PASSWORD]'],
    ['login alice / Geheim99x', 'login alice / [REDACTED:PASSWORD]'],
    ['username: bob@example.com / S3cr3t!x', 'username: bob@example.com / [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'password reset link sent',
    'my password is too short',
    'I changed my password yesterday',
    'password expiry 2024-05-01',
    'password 8 characters',
    'passwd file is missing',
    'the password v2.3.1 upgrade',
    'password 30days old',
    'password alice@example.com',
    'password was reset to the default',
    'password was changed to something stronger',
    'password reset link was sent to alice@example.com',
    'Password123 is my password manager',
    "Hunter2024 is my password's hint",
    '2FA is my password backup',
    'INC0012345 is the password ticket',
    'user story / epic12',
    'ran pwd /home/alice2',
    'login page / dashboard',
    'login 401 / 403 errors',
    'user admin / admin',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('"is" in Japanese and Chinese, without a space before the value', () => {
  test.each([
    ['密码是abc123XYZ', '密码是[REDACTED:PASSWORD]'],
    ['パスワードはHunter2x', 'パスワードは[REDACTED:PASSWORD]'],
    ['密码为 Secret99', '密码为 [REDACTED:PASSWORD]'],
    ['密码是abc123XYZ，请帮我重置', '密码是[REDACTED:PASSWORD]，请帮我重置'],
    ['密码：abc123XYZ。谢谢', '密码：[REDACTED:PASSWORD]。谢谢'],
    ['パスワード: Hunter2です', 'パスワード: [REDACTED:PASSWORD]です'],
    ['密码:芝麻开门', '密码:[REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each(['密码是错的', 'パスワードは間違っています'])('keeps a description in the same script: %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test('"está" is not "est" and a value: a Portuguese complaint keeps its words', () => {
    expect(stored('minha senha está errada')).toBe('minha senha está errada');
    expect(stored('ma senha est Gato123')).toBe('ma senha est [REDACTED:PASSWORD]');
  });
});

describe('a passphrase is redacted whole, a sentence after a password is kept', () => {
  test.each([
    ['password = correct horse battery staple', 'password = [REDACTED:PASSWORD]'],
    ['Passphrase: purple monkey dishwasher.\nThanks', 'Passphrase: [REDACTED:PASSWORD].\nThanks'],
    ['my password is purple monkey dishwasher', 'my password is [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    ['Password: hunter2 please help', 'Password: [REDACTED:PASSWORD] please help'],
    ['Password: sunshine stopped working', 'Password: [REDACTED:PASSWORD] stopped working'],
    ['password: hunter2\nthe login page hangs', 'password: [REDACTED:PASSWORD]\nthe login page hangs'],
    ['Password: changed last week', 'Password: [REDACTED:PASSWORD] last week'],
  ])('only the password in %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('"my password is correct" stays a sentence', () => {
    expect(stored('my password is correct but login fails')).toBe('my password is correct but login fails');
  });
});

describe('a bank account named "account" beside its routing number', () => {
  test.each([
    [
      'routing 021000021 account 123456789012',
      'routing [REDACTED:BANK_ROUTING] account [REDACTED:BANK_ACCOUNT_NUMBER]',
    ],
    [
      'Routing: 021000021\nAccount: 1234-5678-9012',
      'Routing: [REDACTED:BANK_ROUTING]\nAccount: [REDACTED:BANK_ACCOUNT_NUMBER]',
    ],
    ['acct 987654321, routing 021000021', 'acct [REDACTED:BANK_ACCOUNT_NUMBER], routing [REDACTED:BANK_ROUTING]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'order 5512 account 12345 shipped',
    'account 12345678 for order 4411',
    'routing 123456789 account 123456789012',
    'routing 021000021 for the transfer.\n\nOn another matter, account 12345678 still shows the old plan.',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text.replace('021000021', '[REDACTED:BANK_ROUTING]'));
  });
});

describe('a CVV named by where it is printed', () => {
  test.each([
    ['the 3-digit code on the back is 456', 'the 3-digit code on the back is [REDACTED:CREDIT_DEBIT_CVV]'],
    ['security code on the back is 456', 'security code on the back is [REDACTED:CREDIT_DEBIT_CVV]'],
    [
      'the number on the back of my visa card: 4567',
      'the number on the back of my visa card: [REDACTED:CREDIT_DEBIT_CVV]',
    ],
    [
      'the digits on the back of the card are 789',
      'the digits on the back of the card are [REDACTED:CREDIT_DEBIT_CVV]',
    ],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'the code on the back of the box is 123',
    'the serial number on the back is 48213377',
    'the 3-digit code was 456 in the error message',
    'the model number on the back is 4521',
    'the digits on the back are 789',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('access keys other than AWS keys', () => {
  const githubToken = 'ghp_' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6';

  test.each([
    ['api key sk-live-4f3c2a1b0e9d8c7b6a5f4e3d', 'api key [REDACTED:API_KEY]'],
    ['sk_live_51H8f3kLmN0pQ2rS4tU6vW8x in the logs', '[REDACTED:API_KEY] in the logs'],
    [`token ${githubToken}`, 'token [REDACTED:API_KEY]'],
    ['Slack bot xoxb-1234567890-abcdefghij works', 'Slack bot [REDACTED:API_KEY] works'],
    ['API_KEY="a1b2c3d4e5f6g7h8i9j0"', 'API_KEY="[REDACTED:API_KEY]"'],
    ['Authorization: Bearer 9f8e7d6c5b4a39281706f5e4', 'Authorization: Bearer [REDACTED:API_KEY]'],
    [
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'jwt [REDACTED:API_KEY]',
    ],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('"token" and "secret" name a generated token, and a table\'s column named "Token" holds them', () => {
    expect(stored('token: a1b2c3d4e5f6g7h8i9j0')).toBe('token: [REDACTED:API_KEY]');
    expect(stored('webhook secret whsec_5f4e3d2c1b0a99887766')).toBe('webhook secret [REDACTED:API_KEY]');
    expect(stored('Name\tToken\nbuild\tq1w2e3r4t5y6u7i8o9p0')).toBe('Name\tToken\nbuild\t[REDACTED:API_KEY]');
    expect(stored('Token name\tCreated\nci-deploy-token-production\t2024-05-01')).toBe(
      'Token name\tCreated\nci-deploy-token-production\t2024-05-01',
    );
  });

  test('a private key between its armor lines, which stay', () => {
    const block =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4f3kq\nabcDEF123+/=\n-----END RSA PRIVATE KEY-----';
    expect(stored(`key:\n${block}\nthanks`)).toBe(
      'key:\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:PRIVATE_KEY]\n-----END RSA PRIVATE KEY-----\nthanks',
    );
  });

  test('a private key pasted without its END line: the base64 lines after BEGIN', () => {
    expect(
      stored('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n\nIt stops here'),
    ).toBe('-----BEGIN PRIVATE KEY-----\n[REDACTED:PRIVATE_KEY]\n\nIt stops here');
  });

  test.each([
    'the api key expired yesterday',
    'access token 2024-05-01T10:00:00',
    'api key for project-migration-plan',
    'skip-this-step-and-continue-with-the-rest',
    '-----BEGIN PUBLIC KEY-----',
    'token expired, please refresh',
    'my token expired yesterday',
    'API key expired on 2024-05-01, please rotate',
    'sk-test-environment-configuration-file',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('words that only looked like a secret', () => {
  test.each([
    "Someone changed my password - can't log in",
    'my boarding pass - ready in 3 hours',
    'La tua password è stata modificata',
  ])('a dash or "been" after a password keyword: keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test('after a dash a password still goes', () => {
    expect(stored('Password - Hunter2')).toBe('Password - [REDACTED:PASSWORD]');
  });

  test.each([
    'The message was opened at 10:52. We need to know immediately',
    'reseller order RS-20911\n- Autopilot enrolment fails',
  ])('words after a country code and digits are no IBAN where the country has digits only: keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test('an IBAN of a country with letters in its account part still goes', () => {
    expect(stored('to GB82WEST12345698765432 and AT611904300234573201')).toBe(
      'to [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER] and [REDACTED:INTERNATIONAL_BANK_ACCOUNT_NUMBER]',
    );
  });
});

describe('a password after its own language\'s "is"', () => {
  test.each([
    ['moje hasło to Kot12345', 'moje hasło to [REDACTED:PASSWORD]'],
    ['Hasło jest: Kot12345', 'Hasło jest: [REDACTED:PASSWORD]'],
    ['hasło brzmi "kotek"', 'hasło brzmi [REDACTED:PASSWORD]'],
    ['mitt lösenord är Katt1234', 'mitt lösenord är [REDACTED:PASSWORD]'],
    ['min adgangskode er Hund1234', 'min adgangskode er [REDACTED:PASSWORD]'],
    ['passordet mitt er Hund1234', 'passordet mitt er [REDACTED:PASSWORD]'],
    ['salasanani on Kissa123', 'salasanani on [REDACTED:PASSWORD]'],
    ['moje heslo je Kocka123', 'moje heslo je [REDACTED:PASSWORD]'],
    ['a jelszó volt Macska123', 'a jelszó volt [REDACTED:PASSWORD]'],
    ['parola mea este Pisica12', 'parola mea este [REDACTED:PASSWORD]'],
    ['kata sandi saya adalah Kucing123', 'kata sandi saya adalah [REDACTED:PASSWORD]'],
    ['kata laluan ialah Kucing123', 'kata laluan ialah [REDACTED:PASSWORD]'],
    ['mật khẩu của tôi là Meo12345', 'mật khẩu của tôi là [REDACTED:PASSWORD]'],
    ['пароль это Секрет123', 'пароль это [REDACTED:PASSWORD]'],
    ['ο κωδικός μου είναι Γάτα1234', 'ο κωδικός μου είναι [REDACTED:PASSWORD]'],
    ['كلمة المرور هي Qwerty123', 'كلمة المرور هي [REDACTED:PASSWORD]'],
    ['הסיסמה שלי היא Qwerty123', 'הסיסמה שלי היא [REDACTED:PASSWORD]'],
    ['मेरा पासवर्ड है Qwerty123', 'मेरा पासवर्ड है [REDACTED:PASSWORD]'],
    ['รหัสผ่านคือ Qwerty123', 'รหัสผ่านคือ [REDACTED:PASSWORD]'],
    ['Şifrem: Kedi1234', 'Şifrem: [REDACTED:PASSWORD]'],
    ['şifrem Kedi1234', 'şifrem [REDACTED:PASSWORD]'],
    ['parolam Kedi1234', 'parolam [REDACTED:PASSWORD]'],
    ['a jelszavam: Macska123', 'a jelszavam: [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'to jest to, czego szukałem',
    'hasło to jest to samo co wcześniej',
    'moje hasło to problem od tygodnia',
    'hasło to 8 znaków minimum',
    'salasana on vanhentunut',
    'salasana on 8 merkkiä pitkä',
    'Tämä on tärkeää ja se on 2024 versio',
    'lösenordet är fel',
    'min adgangskode er forkert',
    'heslo je špatné',
    'parola mea este greșită',
    'parola e nome utente',
    'kata sandi saya adalah salah',
    'mật khẩu là sai',
    'şifremi unuttum',
    'şifrem çalışmıyor',
    'pedido 12345678 on 2024-05-01 to 2024-06-01',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('Korean particles and Japanese "は" join the keyword', () => {
  test.each([
    ['비밀번호는 abc12345', '비밀번호는 [REDACTED:PASSWORD]'],
    ['비밀번호가 abc12345', '비밀번호가 [REDACTED:PASSWORD]'],
    ['암호는 abc12345', '암호는 [REDACTED:PASSWORD]'],
    ['제 비밀번호는 abc12345입니다', '제 비밀번호는 [REDACTED:PASSWORD]입니다'],
    ['PIN은 4821', 'PIN은 [REDACTED:PIN]'],
    ['PIN 번호는 4821', 'PIN 번호는 [REDACTED:PIN]'],
    ['暗証番号は4821', '暗証番号は[REDACTED:PIN]'],
    ['PIN番号は4821です', 'PIN番号は[REDACTED:PIN]です'],
    ['パスワードは abc123です', 'パスワードは [REDACTED:PASSWORD]です'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    '비밀번호를 잊어버렸어요',
    '비밀번호가 틀렸습니다',
    '비밀번호는 8자 이상이어야 합니다',
    '암호화폐 지갑 문제',
    'パスワードが違います',
    '暗証番号を忘れました',
    '密码是8位数字',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test('a number of characters after "is" is the rule for a length, in English too', () => {
    expect(stored('my password is 8 characters long')).toBe('my password is 8 characters long');
    expect(stored('my password is 845 and fails')).toBe('my password is [REDACTED:PASSWORD] and fails');
  });
});

describe('PINs and card codes without an English keyword, after a comma, a copula or a hedge', () => {
  test.each([
    ['code confidentiel 4821', 'code confidentiel [REDACTED:PIN]'],
    ['le code secret est 4821', 'le code secret est [REDACTED:PIN]'],
    ['my PIN, around 4821', 'my PIN, around [REDACTED:PIN]'],
    ['PIN: around 4821', 'PIN: around [REDACTED:PIN]'],
    ['my PIN is something like 4821.', 'my PIN is something like [REDACTED:PIN].'],
    ['PIN-Nummer: etwa 4821', 'PIN-Nummer: etwa [REDACTED:PIN]'],
    ['mi PIN es alrededor de 4821', 'mi PIN es alrededor de [REDACTED:PIN]'],
    ['PIN-koodi on 4821', 'PIN-koodi on [REDACTED:PIN]'],
    ['kod PIN to 4821', 'kod PIN to [REDACTED:PIN]'],
    ['kart şifrem 4821', 'kart şifrem [REDACTED:PIN]'],
    ['security code on back 123', 'security code on back [REDACTED:CREDIT_DEBIT_CVV]'],
    ['the code on the back of card 456', 'the code on the back of card [REDACTED:CREDIT_DEBIT_CVV]'],
    ['CVV kodu 123', 'CVV kodu [REDACTED:CREDIT_DEBIT_CVV]'],
    ['güvenlik kodu 123', 'güvenlik kodu [REDACTED:CREDIT_DEBIT_CVV]'],
    ['CVC-kod: 123', 'CVC-kod: [REDACTED:CREDIT_DEBIT_CVV]'],
    ['código de seguridad, 123', 'código de seguridad, [REDACTED:CREDIT_DEBIT_CVV]'],
    ['CVV is about 123', 'CVV is about [REDACTED:CREDIT_DEBIT_CVV]'],
    ['säkerhetskod: 123', 'säkerhetskod: [REDACTED:CREDIT_DEBIT_CVV]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'the PIN pad is broken',
    'PIN pad at store 4821 broken',
    'code 404 error',
    'CVV field does not show',
    'my PIN, which I forgot, is blocked',
    'PIN reset on 2024-05-01',
    'security code on back is missing',
    'the model number on back is 4521',
    'order 12345678 shipped on 2024-05-01',
    'ticket INC0012345 opened',
    'call me at +49 30 12345678',
    'code promo 4821 expiré',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('a bank account beside a bank code', () => {
  test.each([
    ['Konto: 12345678 BLZ 10020030', 'Konto: [REDACTED:BANK_ACCOUNT_NUMBER] BLZ [REDACTED:BANK_ROUTING]'],
    ['Kto. 1234567, BLZ 100 200 30', 'Kto. [REDACTED:BANK_ACCOUNT_NUMBER], BLZ [REDACTED:BANK_ROUTING]'],
    [
      'Bankleitzahl 10020030\nKonto 12345678',
      'Bankleitzahl [REDACTED:BANK_ROUTING]\nKonto [REDACTED:BANK_ACCOUNT_NUMBER]',
    ],
    ['sort code 12-34-56 account 12345678', 'sort code [REDACTED:BANK_ROUTING] account [REDACTED:BANK_ACCOUNT_NUMBER]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each(['Konto: 12345678 für die Bestellung', 'Kundenkonto 12345678 gesperrt', 'sort of code 123456'])(
    'keeps %j',
    (text) => {
      expect(stored(text)).toBe(text);
    },
  );
});

describe('a user name and a password joined by a colon or a slash', () => {
  test.each([
    ['credentials admin:hunter2', 'credentials admin:[REDACTED:PASSWORD]'],
    ['creds: bob@example.com:S3cr3t!x', 'creds: bob@example.com:[REDACTED:PASSWORD]'],
    ['login admin:Secret99, thanks', 'login admin:[REDACTED:PASSWORD], thanks'],
    ['login: admin / pw: hunter2', 'login: admin / pw: [REDACTED:PASSWORD]'],
    ['login: admin / password: S3cr3t!x', 'login: admin / password: [REDACTED:PASSWORD]'],
    ['creds alice / Geheim99x', 'creds alice / [REDACTED:PASSWORD]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'login 10:30 failed',
    'login https://example.com:8080/path',
    'credentials error:timeout',
    'credentials expired:yes',
    'Credentials: see vault',
    'login at 2024-05-01 10:30:00',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('in a tag, "-" or "_" after any keyword separates its value', () => {
  test('PINs, card codes, SSNs and tokens go as passwords do; a tag about them stays', () => {
    const result = redactFields({
      subject: 'Help',
      description: 'See tags',
      tags: [
        'pin-4821',
        'pin_code-4821',
        'cvv-123',
        'ssn-123-45-6789',
        'token-abc123def456ghi789jkl',
        'password-hunter2',
        'pin-reset',
        'pin-2fa',
        'cvv-missing',
        'pinned-5932',
        'order-12345678',
      ],
    });
    expect(result.tags).toEqual([
      'pin-redacted',
      'pin_code-redacted',
      'cvv-redacted',
      'ssn-redacted',
      'token-redacted',
      'password-redacted',
      'pin-reset',
      'pin-2fa',
      'cvv-missing',
      'pinned-5932',
      'order-12345678',
    ]);
  });
});

describe('only the secret goes: the key name and the sentence around it stay', () => {
  test.each([
    [
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=[REDACTED:AWS_SECRET_KEY]',
    ],
    ['aws_secret_access_key=AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key=[REDACTED:AWS_ACCESS_KEY]'],
    ['client_secret=abcdef1234567890XYZ', 'client_secret=[REDACTED:API_KEY]'],
    ['SECRET_KEY_BASE=abc123def456ghi789jkl', 'SECRET_KEY_BASE=[REDACTED:API_KEY]'],
    ['GITHUB_TOKEN_PROD = abc123def456ghi789jkl', 'GITHUB_TOKEN_PROD = [REDACTED:API_KEY]'],
    ['access_token_v2: "abc123def456ghi789jkl"', 'access_token_v2: "[REDACTED:API_KEY]"'],
    [
      'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'export AWS_SECRET_ACCESS_KEY=[REDACTED:AWS_SECRET_KEY]',
    ],
    ['my password is Hunter2x.', 'my password is [REDACTED:PASSWORD].'],
    ['Is my password Hunter2x?', 'Is my password [REDACTED:PASSWORD]?'],
    ['password: Hunter2x, and it fails', 'password: [REDACTED:PASSWORD], and it fails'],
    ['(password: hunter2x)', '(password: [REDACTED:PASSWORD])'],
    ['(PIN: 4821)', '(PIN: [REDACTED:PIN])'],
    ['token: abcdef1234567890XYZ.', 'token: [REDACTED:API_KEY].'],
    [
      'https://example.com/?user=bob&password=hunter2&remember=1',
      'https://example.com/?user=bob&password=[REDACTED:PASSWORD]&remember=1',
    ],
    ['password=hunter2,user:bob', 'password=[REDACTED:PASSWORD],user:bob'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each(['token_expiry=2024-05-01T10:00:00Z', 'secret_santa: 2024', 'token-based login fails'])(
    'a setting named after a keyword keeps a value that is no key: %j',
    (text) => {
      expect(stored(text)).toBe(text);
    },
  );

  test('a password with an exclamation mark keeps it: passwords end with one as often as sentences do', () => {
    expect(stored('my password is Hunter2x!')).toBe('my password is [REDACTED:PASSWORD]');
  });

  test('a bracket the value opened is part of it', () => {
    expect(stored('password: pa(ss)')).toBe('password: [REDACTED:PASSWORD]');
  });
});

describe('a word for PIN or code in ordinary text: house numbers, years and counts stay', () => {
  test.each([
    'Please drop a pin on 1234 Main Street for the courier. Our office is 1234 Main Street.',
    'Move the pin to 4500 Oak Avenue',
    'Please change the pin to 4500 Oak Avenue',
    'Pin to 2024 roadmap',
    'GPIO pin on 1234 board revision',
    'The security code is about 120 lines of Java',
    'pin, 3000 units shipped, then 3000 more',
    'PIN is around 1990 era hardware, sold in 1990.',
    'PIN around 4821 stores nearby',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['my PIN is around 4821', 'my PIN is around [REDACTED:PIN]'],
    ['my PIN is around 4821 and it fails', 'my PIN is around [REDACTED:PIN] and it fails'],
    ['my PIN, 4821', 'my PIN, [REDACTED:PIN]'],
    ['my PIN, 4821, is blocked', 'my PIN, [REDACTED:PIN], is blocked'],
    ['PIN: 4821 Main', 'PIN: [REDACTED:PIN] Main'],
    ['mã PIN là 4821', 'mã PIN là [REDACTED:PIN]'],
    ['PIN-koodi on etwa 4821', 'PIN-koodi on etwa [REDACTED:PIN]'],
    ['I set my PIN to around 4821.', 'I set my PIN to around [REDACTED:PIN].'],
    ['I changed my PIN to 4821 yesterday', 'I changed my PIN to [REDACTED:PIN] yesterday'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test('a PIN found once is redacted again only where a copy stands alone as a code', () => {
    expect(stored('PIN: 1990. Sold in 1990, the 1990 era, then I typed 1990 and it failed')).toBe(
      'PIN: [REDACTED:PIN]. Sold in 1990, the 1990 era, then I typed [REDACTED:PIN] and it failed',
    );
    expect(stored('PIN: 1234. Our office is at 1234 Main Street, 1234 units left')).toBe(
      'PIN: [REDACTED:PIN]. Our office is at 1234 Main Street, 1234 units left',
    );
  });

  test('tags: a year after "pin" and any other tag holding the same digits stay', () => {
    const result = redactFields({ subject: 'Help', description: 'PIN: 2024', tags: ['pin-2024', 'release-2024'] });
    expect(result.description).toBe('PIN: [REDACTED:PIN]');
    expect(result.tags).toEqual(['pin-2024', 'release-2024']);
    expect(redactFields({ subject: 'Help', description: 'Roadmap', tags: ['pin-2024', 'release-2024'] }).tags).toEqual([
      'pin-2024',
      'release-2024',
    ]);
  });

  test("tags: only a whole tag of a code keyword and a code's digits is a code", () => {
    const result = redactFields({
      subject: 'Help',
      description: 'See tags',
      tags: ['pin-48213', 'cvv_1234', 'store-pin-4821', 'pin-4821-batch', 'cvv-12', 'pin-123456789'],
    });
    expect(result.tags).toEqual([
      'pin-redacted',
      'cvv_redacted',
      'store-pin-4821',
      'pin-4821-batch',
      'cvv-12',
      'pin-123456789',
    ]);
  });
});

describe('a setting that names where a key is, not the key, stays', () => {
  test.each([
    'SECRET_NAME=prod/support/webhook-2024',
    'API_KEY_HEADER_NAME=x-api-key-2024-version',
    'TOKEN_URL=https://auth.example.com/oauth2/token-v2024',
    'api_key_enabled: true1',
    'SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-AbCdEf',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['SECRET_KEY_BASE=abc123def456ghi789jkl', 'SECRET_KEY_BASE=[REDACTED:API_KEY]'],
    ['API_KEY_PROD=abc123def456ghi789jkl', 'API_KEY_PROD=[REDACTED:API_KEY]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe("a sentence's full stop stays only where a sentence plainly ends", () => {
  test.each([
    ['password: Hunter2x. Typing it fails', 'password: [REDACTED:PASSWORD]. Typing it fails'],
    ['password: Hunter2x.\nthanks', 'password: [REDACTED:PASSWORD].\nthanks'],
    ['password: Hunter2x. then it failed', 'password: [REDACTED:PASSWORD] then it failed'],
    ['password: abc? no luck', 'password: [REDACTED:PASSWORD] no luck'],
    ['password: Hunter2x? It fails', 'password: [REDACTED:PASSWORD]? It fails'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe('card numbers grouped as a card is, and references grouped otherwise', () => {
  test.each([
    'Order 339-8692557-5631301 arrived today.',
    'Order 112-4567890-1234567 from Amazon',
    'ref 4567890-1234567',
  ])('keeps the order number in %p', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['card 339-8692557-5631301 was charged', 'card [REDACTED:CREDIT_DEBIT_NUMBER] was charged'],
    ['Please charge 4111-1111-1111-1111 again.', 'Please charge [REDACTED:CREDIT_DEBIT_NUMBER] again.'],
    ['Please charge 3782-822463-10005 again.', 'Please charge [REDACTED:CREDIT_DEBIT_NUMBER] again.'],
    [
      'Order 339-8692557-5631301, paid with 4111111111111111',
      'Order 339-8692557-5631301, paid with [REDACTED:CREDIT_DEBIT_NUMBER]',
    ],
  ])('redacts a card named or grouped as one: %p', (text, expected) => {
    expect(stored(text)).toBe(expected);
  });
});

describe('a card code after its card, and labels on lines of their own', () => {
  test.each([
    [
      'Card number 4111111111111111 expiry 12/27 code 123. Please check.',
      'Card number [REDACTED:CREDIT_DEBIT_NUMBER] expiry 12/27 code [REDACTED:CREDIT_DEBIT_CVV]. Please check.',
    ],
    [
      'card 4111111111111111, expiry 12/27, code 123.',
      'card [REDACTED:CREDIT_DEBIT_NUMBER], expiry 12/27, code [REDACTED:CREDIT_DEBIT_CVV].',
    ],
    [
      'Karte 4111111111111111, Ablauf 12/27, Code 123.',
      'Karte [REDACTED:CREDIT_DEBIT_NUMBER], Ablauf 12/27, Code [REDACTED:CREDIT_DEBIT_CVV].',
    ],
    [
      'Card number\n4111 1111 1111 1111\nExpiry\n12/27\nCVV\n123',
      'Card number\n[REDACTED:CREDIT_DEBIT_NUMBER]\nExpiry\n12/27\nCVV\n[REDACTED:CREDIT_DEBIT_CVV]',
    ],
    ['Card details:\nCVV\n123\nThanks', 'Card details:\nCVV\n[REDACTED:CREDIT_DEBIT_CVV]\nThanks'],
    ['My card details\nPIN\n4821', 'My card details\nPIN\n[REDACTED:PIN]'],
    ['Login form\nPassword\nHunter2x\nStill fails', 'Login form\nPassword\n[REDACTED:PASSWORD]\nStill fails'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'The app shows error code 123 after the update.',
    'It returns code 404 for every page.',
    'Card declined: error code 051',
    'Password\nforgotten',
    'Password\nreset',
    'PIN\n1234 Main Street',
    'PIN\n\nThe reader rejects my card.',
    'PIN\n1990',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    [
      'Card 4111111111111111 declined with error code 051.',
      'Card [REDACTED:CREDIT_DEBIT_NUMBER] declined with error code 051.',
    ],
    [
      'Card 4111 1111 1111 1111. The code 123 is for the door.',
      'Card [REDACTED:CREDIT_DEBIT_NUMBER]. The code 123 is for the door.',
    ],
    [
      'Card 4111 1111 1111 1111, error-code 123 and no charge.',
      'Card [REDACTED:CREDIT_DEBIT_NUMBER], error-code 123 and no charge.',
    ],
    ['Card 4111 1111 1111 1111 with promo_code 123.', 'Card [REDACTED:CREDIT_DEBIT_NUMBER] with promo_code 123.'],
  ])('keeps a code another word names, or in the next sentence, while the card goes: %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe('passwords and PINs with words between the keyword and "is", or before the keyword', () => {
  test.each([
    ['the password for my account is Hunter2x', 'the password for my account is [REDACTED:PASSWORD]'],
    [
      'The new password you gave me, Xk9#mP2q, does not work',
      'The new password you gave me, [REDACTED:PASSWORD], does not work',
    ],
    [
      'I used Hunter2x as my password and it says invalid',
      'I used [REDACTED:PASSWORD] as my password and it says invalid',
    ],
    ['the password I used was Summer2024', 'the password I used was [REDACTED:PASSWORD]'],
    [
      "I can't log in with bob@example.com / Hunter2x since the update",
      "I can't log in with bob@example.com / [REDACTED:PASSWORD] since the update",
    ],
    [
      'Running mysql -u root -pS3cretPass2024 -h db.example.com fails with error 1045',
      'Running mysql -u root -p[REDACTED:PASSWORD] -h db.example.com fails with error 1045',
    ],
    [
      'Das Passwort für mein Konto ist Sommer2024 und es geht nicht',
      'Das Passwort für mein Konto ist [REDACTED:PASSWORD] und es geht nicht',
    ],
    ['La contraseña de mi cuenta es Verano2024', 'La contraseña de mi cuenta es [REDACTED:PASSWORD]'],
    ['Le mot de passe de mon compte est Soleil2024', 'Le mot de passe de mon compte est [REDACTED:PASSWORD]'],
    ['Het wachtwoord van mijn account is Zomer2024', 'Het wachtwoord van mijn account is [REDACTED:PASSWORD]'],
    [
      'Die PIN für meine Karte ist 9876, der Automat lehnt sie ab',
      'Die PIN für meine Karte ist [REDACTED:PIN], der Automat lehnt sie ab',
    ],
    [
      'El PIN de mi tarjeta es 9876 y el cajero no lo acepta',
      'El PIN de mi tarjeta es [REDACTED:PIN] y el cajero no lo acepta',
    ],
    ['Il codice PIN della mia carta è 9876', 'Il codice PIN della mia carta è [REDACTED:PIN]'],
    ['The PIN I entered was 9876', 'The PIN I entered was [REDACTED:PIN]'],
    ['My PIN used to be 9876', 'My PIN used to be [REDACTED:PIN]'],
    ['I set the PIN as 9876', 'I set the PIN as [REDACTED:PIN]'],
  ])('%j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });

  test.each([
    'the password for my account is the same as before',
    'the password for my account is expired',
    'the password I used was wrong',
    'The password reset link you sent me, the one from today, does not work',
    'I can log in with my phone / tablet just fine',
    'psql -h db -p 5432 fails',
    'mysql -u root -p -h db.example.com prompts for it',
    'the pin count is 1234.',
    'the pin on the map is 4500 Oak Avenue',
    'The PIN reset was 2024 units ago',
    'The version I used was 2.4.1',
    "I'd pin it as 2024.",
    'Please pin this as 2024 and move on',
    'The password for the new hire is in the welcome email.',
    'My PIN for the app is 4 digits long',
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });
});

describe('a plain word after "password is" that the sentence goes on after is no password', () => {
  test.each([
    'The password is case sensitive right?',
    'my password is in my password manager',
    'My password is probably cached in the old browser; should I clear it?',
    'Password: same as before',
    'Set PASSWORD_MIN_LENGTH=12 in config',
    'PASSWORD_MAX_AGE=90 days',
    'my password is on a sticky note',
    'my password is from last year',
    'my password is with my husband',
    'the password is per user',
    'My password is 100% correct',
    'my password is definitely correct',
    'the password is randomly generated by 1Password',
    'password: none',
    'password: n/a',
    'mon mot de passe est bon',
    "Password: (I don't remember it)",
  ])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['my password is sunshine and it fails', 'my password is [REDACTED:PASSWORD] and it fails'],
    ['my password is sunshine.', 'my password is [REDACTED:PASSWORD].'],
    ['my password is sunshine', 'my password is [REDACTED:PASSWORD]'],
    ['my password is Hunter2x for the VPN', 'my password is [REDACTED:PASSWORD] for the VPN'],
    ['Password: same123 as before', 'Password: [REDACTED:PASSWORD] as before'],
    ['PASSWORD_PROD=Hunter2x', 'PASSWORD_[REDACTED:PASSWORD]'],
    ['password = correct horse battery staple', 'password = [REDACTED:PASSWORD]'],
  ])('redacts the password in %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});

describe('a code-like token in capitals after a word naming an error', () => {
  test.each(['Error PIN-4821 appears on the terminal', 'Warning: CVV-102 shown on the reader'])('keeps %j', (text) => {
    expect(stored(text)).toBe(text);
  });

  test.each([
    ['error pin-4821 appears', 'error pin-[REDACTED:PIN] appears'],
    ['my tag PIN-4821 is set', 'my tag PIN-[REDACTED:PIN] is set'],
  ])('redacts the PIN in %j', (input, expected) => {
    expect(stored(input)).toBe(expected);
  });
});
