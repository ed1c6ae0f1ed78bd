/** The word for "password" in the languages covered, and the spellings it has. */

export const PASSWORD_KEYWORDS = [
  'password',
  'passwort',
  'passcode',
  'passwd',
  'passphrase',
  'pwd',
  'pw',
  'p/w',
  'pass',
  'pswd',
  'contraseña',
  'contrasena',
  'clave',
  'mot de passe',
  'mdp',
  'kennwort',
  'senha',
  'palavra-passe',
  "parola d['’]ordine",
  'wachtwoord',
  'lösenord',
  'adgangskode',
  'passord',
  'salasana',
  'hasło',
  'heslo',
  'jelszó',
  'şifre',
  'parola',
  'parolă',
  'mật khẩu',
  'kata sandi',
  'pass-word',
  'mot-de-passe',
  'пароль',
  'κωδικός',
  'كلمة المرور',
  'كلمة السر',
  'סיסמה',
  'पासवर्ड',
  'รหัสผ่าน',
  'パスワード',
  '密码',
  '密碼',
  '비밀번호',
].join('|');

/**
 * The keywords where "pass" would mostly be something else: a verb ("pass it
 * on to …: …") or a column of test results ("Test<TAB>Pass").
 */
export const PASSWORD_WORDS = PASSWORD_KEYWORDS.split('|')
  .filter((keyword) => keyword !== 'pass')
  .join('|');
export const GLUED_PASSWORD_KEYWORDS = 'password|passwd|passwort';
