import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisView } from '../../../layers/shared/src/analysis/analysis-view.js';
import { LANGUAGE_SAMPLE_BYTES, languageOnBox } from '../../../layers/shared/src/analysis/comprehend-analyzer.js';
import { identifyLanguage } from '../../../layers/shared/src/analysis/language-identifier.js';
import { IDENTIFIED_LATIN_LANGUAGES } from '../../../layers/shared/src/analysis/language-words.js';
import { truncateUtf8 } from '../../../layers/shared/src/analysis/utf8.js';
import { sanitizeText } from '../../../layers/shared/src/domain/ticket-text.js';
import { parseLabelledTickets } from '../../../scripts/labelled-tickets.js';
import { PROJECT_ROOT } from '../../../scripts/sam-template.js';

const SUPPORTED: Record<string, string> = {
  en: 'Cannot export invoices\n\nSince the update yesterday the export button does nothing when we click it. Could you please have a look?',
  es: 'No puedo iniciar sesión\n\nDesde ayer no puedo entrar en mi cuenta. Me dice que la contraseña es incorrecta pero estoy seguro de que es la buena.',
  fr: 'Facture en double\n\nBonjour, nous avons reçu deux factures pour le même mois et le montant a été débité deux fois sur notre compte. Merci de vérifier.',
  de: 'Synchronisierung fehlgeschlagen\n\nSeit dem letzten Update funktioniert die Synchronisierung nicht mehr. Wir haben das Gerät schon neu gestartet, aber es hilft nicht.',
  it: 'Problema con la fattura\n\nBuongiorno, nella fattura di questo mese ci sono due addebiti per lo stesso servizio. Potete controllare per favore?',
  pt: 'Não consigo acessar\n\nDesde ontem não consigo entrar na minha conta. Já tentei redefinir a senha mas o e-mail não chega. Vocês podem ajudar?',
};

/** Languages Comprehend may detect but does not analyze for sentiment, written in Latin letters: never named on the box. */
const UNSUPPORTED_LATIN: Record<string, string> = {
  nl: 'Kan niet inloggen\n\nSinds gisteren kan ik niet meer inloggen op mijn account. Het wachtwoord is correct maar de app geeft een foutmelding. Kunnen jullie helpen?',
  af: 'Kan nie aanmeld nie\n\nEk kan sedert gister nie by my rekening aanmeld nie. Die wagwoord is reg maar die toep wys net n fout. Kan julle asseblief help?',
  pl: 'Nie mogę się zalogować\n\nOd wczoraj nie mogę się zalogować do konta. Hasło jest poprawne, ale aplikacja pokazuje błąd. Czy możecie pomóc?',
  'pl without diacritics':
    'Nie moge sie zalogowac\n\nOd wczoraj nie moge sie zalogowac do konta. Haslo jest poprawne, ale aplikacja pokazuje blad. Czy mozecie pomoc?',
  cs: 'Nemohu se přihlásit\n\nOd včerejška se nemohu přihlásit ke svému účtu. Heslo je správné, ale aplikace ukazuje chybu. Můžete mi prosím pomoci?',
  sv: 'Kan inte logga in\n\nSedan igår kan jag inte logga in på mitt konto. Lösenordet är rätt men appen visar ett fel. Kan ni hjälpa mig?',
  da: 'Kan ikke logge ind\n\nSiden i går kan jeg ikke logge ind på min konto. Adgangskoden er rigtig, men appen viser en fejl. Kan I hjælpe mig?',
  nb: 'Kan ikke logge inn\n\nSiden i går kan jeg ikke logge inn på kontoen min. Passordet er riktig, men appen viser en feil. Kan dere hjelpe meg?',
  ca: "No puc accedir\n\nDes d'ahir no puc accedir al meu compte. La contrasenya és correcta però l'aplicació mostra un error. Em podeu ajudar, si us plau?",
  gl: 'Non podo acceder\n\nDende onte non podo acceder á miña conta. O contrasinal é correcto pero a aplicación amosa un erro. Podedes axudarme?',
  ro: 'Nu mă pot conecta\n\nDe ieri nu mă pot conecta la contul meu. Parola este corectă, dar aplicația arată o eroare. Mă puteți ajuta vă rog?',
  id: 'Tidak bisa masuk\n\nSejak kemarin saya tidak bisa masuk ke akun saya. Kata sandi sudah benar tetapi aplikasi menampilkan kesalahan. Tolong bantu.',
  tr: 'Giriş yapamıyorum\n\nDünden beri hesabıma giriş yapamıyorum. Şifre doğru ama uygulama bir hata gösteriyor. Yardım eder misiniz lütfen?',
  hu: 'Nem tudok bejelentkezni\n\nTegnap óta nem tudok bejelentkezni a fiókomba. A jelszó helyes, de az alkalmazás hibát mutat. Tudnának segíteni?',
  fi: 'En pääse kirjautumaan\n\nEilisestä asti en ole päässyt kirjautumaan tililleni. Salasana on oikein mutta sovellus näyttää virheen. Voitteko auttaa?',
  hr: 'Ne mogu se prijaviti\n\nOd jučer se ne mogu prijaviti na svoj račun. Lozinka je ispravna, ali aplikacija pokazuje grešku. Možete li mi pomoći?',
  sw: 'Siwezi kuingia\n\nTangu jana siwezi kuingia kwenye akaunti yangu. Nenosiri ni sahihi lakini programu inaonyesha hitilafu. Tafadhali nisaidie.',
  tl: 'Hindi ako makapag-login\n\nMula kahapon hindi ako makapag-login sa aking account. Tama ang password pero may error ang app. Pakitulungan po ako.',
  lb: 'Ech kann mech net aloggen\n\nZanter gëschter kann ech mech net op mengem Kont aloggen. D Passwuert ass richteg, mee d App weist e Feeler.',
  eu: 'Ezin naiz sartu\n\nAtzotik ezin naiz nire kontuan sartu. Pasahitza zuzena da baina aplikazioak errore bat erakusten du. Lagundu mesedez.',
  vi: 'Không thể đăng nhập\n\nTừ hôm qua tôi không thể đăng nhập vào tài khoản của tôi. Mật khẩu đúng nhưng ứng dụng báo lỗi. Xin hãy giúp tôi.',
};

const OTHER_SCRIPTS: Record<string, string> = {
  ar: 'لا أستطيع تسجيل الدخول\n\nمنذ الأمس لا أستطيع الدخول إلى حسابي. كلمة المرور صحيحة لكن التطبيق يعرض خطأ.',
  fa: 'نمی‌توانم وارد شوم\n\nاز دیروز نمی‌توانم وارد حساب کاربری خود شوم. رمز عبور درست است اما برنامه خطا نشان می‌دهد.',
  hi: 'लॉग इन नहीं हो रहा\n\nकल से मैं अपने खाते में लॉग इन नहीं कर पा रहा हूँ। पासवर्ड सही है लेकिन ऐप त्रुटि दिखाता है।',
  ru: 'Не могу войти\n\nСо вчерашнего дня я не могу войти в свой аккаунт. Пароль правильный, но приложение показывает ошибку.',
  el: 'Δεν μπορώ να συνδεθώ\n\nΑπό χθες δεν μπορώ να συνδεθώ στον λογαριασμό μου. Ο κωδικός είναι σωστός.',
  zh: '无法登录\n\n从昨天开始我无法登录我的账户。密码是正确的，但是应用程序显示错误。',
  th: 'เข้าสู่ระบบไม่ได้\n\nตั้งแต่เมื่อวานฉันเข้าสู่ระบบบัญชีไม่ได้ รหัสผ่านถูกต้องแต่แอปแสดงข้อผิดพลาด',
};

describe('identifyLanguage', () => {
  test.each(Object.entries(SUPPORTED))('names %s from its function words', (language, text) => {
    expect(identifyLanguage(text)).toBe(language);
  });

  test('names Korean from Hangul and Japanese from kana, English words among them or not', () => {
    expect(
      identifyLanguage(
        '로그인할 수 없습니다\n\n어제부터 계정에 로그인할 수 없습니다. 비밀번호는 맞는데 앱에서 오류가 표시됩니다.',
      ),
    ).toBe('ko');
    expect(
      identifyLanguage(
        'ログインできません\n\n昨日からアカウントにログインできません。パスワードは正しいのですが、アプリでエラーが表示されます。',
      ),
    ).toBe('ja');
    expect(identifyLanguage('iPhone 앱에서 Export 버튼이 작동하지 않습니다')).toBe('ko');
  });

  test.each(Object.entries(UNSUPPORTED_LATIN))(
    'never names a language for %s: Comprehend is asked',
    (_language, text) => {
      expect(identifyLanguage(text)).toBeNull();
    },
  );

  test.each(Object.entries(OTHER_SCRIPTS))(
    'leaves %s (a script shared by several languages, or other than Latin) to Comprehend',
    (_language, text) => {
      expect(identifyLanguage(text)).toBeNull();
    },
  );

  test('too little to tell: no letters, a few words, or mostly names and codes', () => {
    expect(identifyLanguage('')).toBeNull();
    expect(identifyLanguage('12345 / 678')).toBeNull();
    expect(identifyLanguage('Login broken')).toBeNull();
    expect(identifyLanguage('ERR_CONNECTION_RESET on api.example.com (v2.3.1)')).toBeNull();
  });

  test('two languages near even: left to Comprehend', () => {
    expect(
      identifyLanguage(
        'Export fails\n\nThe export stops with an error and we cannot work. Der Export bricht mit einem Fehler ab und wir können nicht arbeiten.',
      ),
    ).toBeNull();
  });

  test('a letter no named language uses (Polish, Czech, Turkish, Nordic) leaves the text to Comprehend', () => {
    const english = 'The invoice for this month is wrong and we were charged twice for the same seat';
    expect(identifyLanguage(english)).toBe('en');
    expect(identifyLanguage(`${english} by Łukasz`)).toBeNull();
    expect(identifyLanguage(`${english} in Århus`)).toBeNull();
  });
});

describe("identifyLanguage on the project's labelled tickets", () => {
  const folder = join(PROJECT_ROOT, 'tests', 'triage');
  const files = [
    ...readdirSync(join(folder, 'training')).map((file) => join(folder, 'training', file)),
    ...['corpus.jsonl', 'unseen.jsonl', 'holdout.jsonl'].map((file) => join(folder, file)),
  ];
  const tickets = files.flatMap((file) => parseLabelledTickets(readFileSync(file, 'utf8')));
  // What the analyzer reads: the view's opening, as Comprehend would be sent it.
  const named = tickets.map((ticket) => ({
    ticket,
    named: identifyLanguage(
      truncateUtf8(
        analysisView({ subject: sanitizeText(ticket.subject), description: sanitizeText(ticket.body) }).analyzedText,
        LANGUAGE_SAMPLE_BYTES,
      ),
    ),
  }));

  test('every language named is the labelled one', () => {
    expect(tickets.length).toBeGreaterThan(4_000);
    const wrong = named.filter(({ ticket, named }) => named !== null && named !== ticket.language);
    expect(wrong.map(({ ticket, named }) => `${ticket.id}: ${ticket.language} named ${String(named)}`)).toEqual([]);
  });

  test('most tickets of each language are named without asking Comprehend', () => {
    for (const language of IDENTIFIED_LATIN_LANGUAGES) {
      const ofLanguage = named.filter(({ ticket }) => ticket.language === language);
      const share = ofLanguage.filter(({ named }) => named !== null).length / ofLanguage.length;
      expect({ language, share: share >= 0.75 }).toEqual({ language, share: true });
    }
  });
});

describe('identifyLanguage and terse English', () => {
  test('English words that other languages also write ("car", "pour", "plus", "come", "war") do not name those languages', () => {
    for (const text of [
      'Car wont start, dont know. AI says pour plus oil.',
      'Come on, the war room needs the dove release notes.',
    ]) {
      expect({ text, language: identifyLanguage(text) }).not.toMatchObject({
        language: expect.stringMatching(/^(fr|it|de)$/),
      });
    }
  });
});

describe('languageOnBox: the language that decides whether PII is looked for', () => {
  const french = 'Bonjour, nous avons un problème avec la facture du mois dernier, merci de nous aider.';
  test('a language Comprehend reads PII in (en, es) is taken from the box', () => {
    expect(languageOnBox('Hello, my card 4111 1111 1111 1111 was charged twice for the same order, please help.')).toBe(
      'en',
    );
  });
  test('another language is taken from the box only where the text cannot hold a secret', () => {
    expect(languageOnBox(french)).toBe('fr');
    expect(languageOnBox(`${french} Le code au dos est 123.`)).toBeNull();
  });
});
