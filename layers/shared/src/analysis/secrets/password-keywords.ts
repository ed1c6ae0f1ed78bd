/**
 * The word for "password" in the languages covered, the spellings it has, and
 * the words each language introduces a password with.
 */

/** A language's words for "password" and what may stand between one and its value. */
export interface PasswordLanguage {
  /** Its words for "password" (regular expression sources), with the possessive forms that fuse with them. */
  readonly keywords: readonly string[];
  /**
   * Its words for "is" (and "was") before a value, beyond the separators every
   * keyword takes (see SEPARATOR): "hasło to …", "lösenord är …".
   */
  readonly copulas: readonly string[];
  /** Words for "my", "your" that follow the keyword before its copula: "parola mea este …". */
  readonly possessives?: readonly string[];
}

/**
 * By language. "is" in the six languages triage reads (and Comprehend's
 * sentiment) is in every keyword's SEPARATOR, since words describing a
 * password after it are known in those languages (NOT_A_PASSWORD); the
 * copulas here are read after their own language's keywords only, and the
 * value after one must read as a password; a card's codes read them after
 * the same language's code keywords only (card-codes.ts). Chinese,
 * Japanese, Korean and Thai write theirs without a space (WORD_SEPARATORS_WITHOUT_SPACES). A language
 * whose "is" is no separate word (Hungarian, Turkish) gives its value
 * after ":" or a space; Turkish and Hungarian fuse "my" with the keyword.
 */
export const PASSWORD_LANGUAGES: Readonly<Record<string, PasswordLanguage>> = {
  en: {
    // With the spellings that dodge a filter: "pass word", "p@ssword", "passw0rd".
    keywords: [
      'password',
      'passcode',
      'passwd',
      'passphrase',
      'pwd',
      'pw',
      'p/w',
      'pass',
      'pswd',
      'pass-word',
      'pass word',
      'p@ssword',
      'passw0rd',
      'p@ssw0rd',
      'p@sswd',
    ],
    copulas: [],
  },
  es: { keywords: ['contraseña', 'contrasena', 'clave'], copulas: [] },
  fr: { keywords: ['mot de passe', 'mdp', 'mot-de-passe'], copulas: ['était'] },
  de: { keywords: ['passwort', 'kennwort'], copulas: [] },
  pt: { keywords: ['senha', 'palavra-passe'], copulas: [] },
  it: { keywords: ["parola d['’]ordine"], copulas: [] },
  nl: { keywords: ['wachtwoord'], copulas: [] },
  sv: { keywords: ['lösenord', 'lösenordet'], copulas: ['är', 'var'], possessives: ['mitt', 'ditt', 'vårt'] },
  da: { keywords: ['adgangskode', 'adgangskoden'], copulas: ['er', 'var'], possessives: ['min', 'din', 'vores'] },
  no: { keywords: ['passord', 'passordet'], copulas: ['er', 'var'], possessives: ['mitt', 'ditt', 'vårt'] },
  fi: { keywords: ['salasana', 'salasanani', 'salasanasi', 'salasanamme'], copulas: ['on', 'oli'] },
  pl: { keywords: ['hasło', 'haslo'], copulas: ['to', 'jest', 'brzmi', 'było'] },
  // Czech and Slovak.
  cs: { keywords: ['heslo'], copulas: ['je', 'bylo', 'zní', 'bolo'] },
  hu: { keywords: ['jelszó', 'jelszavam', 'jelszavad', 'jelszava'], copulas: ['volt'] },
  tr: {
    keywords: ['şifre', 'şifrem', 'şifreniz', 'şifresi', 'parola', 'parolam', 'parolanız', 'parolası'],
    copulas: [],
  },
  ro: {
    keywords: ['parolă', 'parola'],
    copulas: ['este', 'e', 'era'],
    possessives: ['mea', 'ta', 'noastră', 'dvs\\.?', 'dumneavoastră'],
  },
  // Indonesian and Malay.
  id: {
    keywords: ['kata sandi', 'katasandi', 'kata laluan'],
    copulas: ['adalah', 'ialah', 'yaitu', 'yakni'],
    possessives: ['saya', 'aku', 'anda', 'kamu'],
  },
  vi: { keywords: ['mật khẩu'], copulas: ['là'], possessives: ['của tôi', 'của bạn', 'của mình', 'của em', 'của anh'] },
  ru: { keywords: ['пароль'], copulas: ['это', 'был'] },
  el: { keywords: ['κωδικός'], copulas: ['είναι', 'ήταν'], possessives: ['μου', 'σου'] },
  ar: { keywords: ['كلمة المرور', 'كلمة السر'], copulas: ['هي', 'هى'] },
  he: { keywords: ['סיסמה', 'סיסמא'], copulas: ['היא', 'הוא', 'זה'], possessives: ['שלי', 'שלך'] },
  hi: { keywords: ['पासवर्ड'], copulas: ['है', 'था'] },
  th: { keywords: ['รหัสผ่าน'], copulas: [] },
  ja: { keywords: ['パスワード'], copulas: [] },
  zh: { keywords: ['密码', '密碼'], copulas: [] },
  ko: { keywords: ['비밀번호', '패스워드', '암호'], copulas: [] },
};

export const PASSWORD_KEYWORDS = [
  ...new Set(Object.values(PASSWORD_LANGUAGES).flatMap((language) => language.keywords)),
].join('|');

/**
 * The keywords where "pass" would mostly be something else: a verb ("pass it
 * on to …: …") or a column of test results ("Test<TAB>Pass").
 */
export const PASSWORD_WORDS = PASSWORD_KEYWORDS.split('|')
  .filter((keyword) => keyword !== 'pass')
  .join('|');
export const GLUED_PASSWORD_KEYWORDS = 'password|passwd|passwort';
