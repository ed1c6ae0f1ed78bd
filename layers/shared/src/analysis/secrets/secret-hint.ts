/** Whether a text could hold a must-never-store secret at all: if not, Comprehend's PII call is skipped. */

import { GROUP_SEPARATOR } from './digit-groups.js';

/**
 * Every kind in NEVER_STORED_PII_TYPES is either a run of at least three digits
 * (card, CVV, bank account, routing number, IBAN, SSN, PIN; separators may
 * stand between them), a long key-like token (an AWS access key id is 20
 * characters, a secret key 40), or a password, which Comprehend recognizes
 * only by a word such as "password" next to it. Text with none of these
 * cannot hold a must-never-store entity, so asking Comprehend's paid
 * DetectPiiEntities could not change what is stored: the call is skipped.
 */
const SECRET_HINT = new RegExp(
  String.raw`[0-9](?:${GROUP_SEPARATOR}?[0-9]){2,}|(?<!\p{L})(?:pass|pw|p/w|contrase|clave|senha|mdp|kennwort|wachtwoord|lösenord|salasana|hasło|heslo|jelszó|şifre|parola|secret|credential|credencial|identifiant)|пароль|パスワード|密码|密碼|비밀번호|[A-Za-z0-9/+=_-]{20,}`,
  'iu',
);

export function mayContainSecrets(text: string): boolean {
  return SECRET_HINT.test(text);
}
