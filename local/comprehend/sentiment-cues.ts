/**
 * Sentiment cue phrases per language: the small, deliberate list that makes the stand-in call
 * support messages the way a person (and Amazon Comprehend) would. Lexicon libraries rate
 * "Our production database is down and we are losing money, please help ASAP!" neutral or even
 * positive ("please", "help"); "down" and "losing" are what make it negative.
 *
 * Weights: 1 = strong cue (enough on its own, and what makes a message MIXED when both
 * polarities have one); 0.5 = mild cue (needs company, and never outweighs a question).
 * Phrases are written lower-case; matching ignores case and Latin accents.
 */

export interface SentimentCues {
  negative: Record<string, number>;
  positive: Record<string, number>;
  /** Words that, just before a positive cue, turn it negative ("not great"). */
  negators: string[];
  /** False for scripts written without spaces (Chinese, Japanese, Korean particles). */
  wordBoundaries: boolean;
}

const STRONG = 1;
const MILD = 0.5;

const cues = (strong: string[], mild: string[] = []): Record<string, number> =>
  Object.fromEntries([...strong.map((cue) => [cue, STRONG]), ...mild.map((cue) => [cue, MILD])]);

export const SENTIMENT_CUES: Readonly<Record<string, SentimentCues>> = {
  en: {
    negative: cues(
      // Bare "down" would also match "scroll down" and "drop-down": only the outage senses count.
      ['outage', 'is down', 'are down', 'was down', 'went down', 'been down', 'goes down', 'going down',
        'down again', 'still down', 'losing', 'broken', 'not working', "isn't working", "doesn't work", 'does not work',
        'stopped working', 'crashed', 'crashes', 'crashing', 'unacceptable', 'terrible', 'awful', 'horrible', 'worst', 'frustrated', 'frustrating', 'angry',
        'furious', 'disappointed', 'useless', 'data loss', 'breach', 'hacked', 'compromised', 'ridiculous',
        'nightmare', 'hate'],
      ['error', 'errors', 'crash', 'failed', 'failing', 'failure', 'bug', 'bugs', 'slow', 'issue', 'issues', 'problem', 'problems', 'stuck', 'wrong',
        'urgent', 'urgently', 'asap', 'lost', "can't", 'cannot', 'unable', "won't", 'missing', 'confusing',
        'annoying', 'still'],
    ),
    positive: cues(
      ['great', 'love', 'loved', 'awesome', 'excellent', 'amazing', 'fantastic', 'wonderful', 'perfect',
        'brilliant', 'outstanding', 'superb', 'appreciate', 'appreciated', 'delighted', 'happy', 'pleased',
        'glad', 'impressed', 'well done', 'good job', 'great job', 'lifesaver', 'life saver',
        'thank you so much', 'thanks so much', 'thanks a lot', 'many thanks'],
      ['thanks', 'thank you', 'thx', 'good', 'nice', 'helpful', 'works now', 'working now', 'resolved',
        'fixed', 'cool'],
    ),
    negators: ['not', 'never', 'no', "isn't", "wasn't", "aren't", "don't", "doesn't", "didn't", 'hardly'],
    wordBoundaries: true,
  },
  es: {
    negative: cues(
      ['no funciona', 'caido', 'caida', 'roto', 'perdiendo', 'inaceptable', 'terrible', 'horrible', 'pesimo',
        'fatal', 'frustrado', 'frustrante', 'falla', 'fallo', 'averia', 'enfadado'],
      ['error', 'problema', 'urgente', 'lento', 'no puedo', 'bloqueado'],
    ),
    positive: cues(
      ['muchas gracias', 'excelente', 'genial', 'perfecto', 'encanta', 'increible', 'maravilloso', 'fantastico',
        'buen trabajo', 'agradezco', 'contento', 'feliz'],
      ['gracias', 'bien', 'resuelto', 'util'],
    ),
    negators: ['no', 'nunca', 'nada'],
    wordBoundaries: true,
  },
  fr: {
    negative: cues(
      ['en panne', 'ne fonctionne pas', 'ne marche pas', 'fonctionne pas', 'marche pas', 'plante', 'perdons',
        'inacceptable', 'terrible', 'horrible', 'nul', 'casse', 'frustrant', 'furieux', 'decu'],
      ['erreur', 'probleme', 'impossible', 'urgent', 'lent', 'bloque', 'perte'],
    ),
    positive: cues(
      ['merci beaucoup', 'excellent', 'genial', 'parfait', 'super', 'adore', 'formidable', 'bravo', 'ravi',
        'impeccable'],
      ['merci', 'content', 'bien', 'resolu', 'utile'],
    ),
    negators: ['pas', 'jamais', 'ne', 'plus'],
    wordBoundaries: true,
  },
  de: {
    negative: cues(
      ['ausgefallen', 'ausfall', 'funktioniert nicht', 'geht nicht', 'kaputt', 'absturz', 'abgesturzt',
        'sturzt ab', 'verlieren', 'inakzeptabel', 'schrecklich', 'furchtbar', 'katastrophe', 'frustrierend',
        'verargert', 'enttauscht', 'nicht erreichbar'],
      ['fehler', 'problem', 'dringend', 'langsam', 'verloren'],
    ),
    positive: cues(
      ['vielen dank', 'super', 'toll', 'grossartig', 'perfekt', 'ausgezeichnet', 'hervorragend', 'liebe',
        'begeistert', 'klasse', 'prima'],
      ['danke', 'zufrieden', 'gut', 'hilfreich', 'gelost'],
    ),
    negators: ['nicht', 'kein', 'keine', 'nie'],
    wordBoundaries: true,
  },
  it: {
    negative: cues(
      ['non funziona', 'guasto', 'rotto', 'perdendo', 'inaccettabile', 'terribile', 'orribile', 'pessimo'],
      ['errore', 'problema', 'urgente', 'bloccato', 'lento'],
    ),
    positive: cues(
      ['grazie mille', 'ottimo', 'eccellente', 'perfetto', 'fantastico', 'adoro', 'bravissimi'],
      ['grazie', 'contento', 'bene', 'risolto', 'utile'],
    ),
    negators: ['non', 'mai'],
    wordBoundaries: true,
  },
  pt: {
    negative: cues(
      ['nao funciona', 'fora do ar', 'caiu', 'quebrado', 'perdendo', 'inaceitavel', 'terrivel', 'horrivel',
        'pessimo'],
      ['erro', 'problema', 'urgente', 'lento', 'travado'],
    ),
    positive: cues(
      ['muito obrigado', 'muito obrigada', 'excelente', 'otimo', 'perfeito', 'adorei', 'incrivel',
        'maravilhoso', 'parabens'],
      ['obrigado', 'obrigada', 'bom', 'resolvido', 'util'],
    ),
    negators: ['nao', 'nunca'],
    wordBoundaries: true,
  },
  ja: {
    negative: cues(['障害', 'ダウン', '故障', '動かない', '使えない', '最悪'], ['エラー', '不具合', '困って', '急ぎ', 'できません']),
    positive: cues(['素晴らしい', '最高', '助かりました'], ['ありがとう', '感謝', '便利']),
    negators: [],
    wordBoundaries: false,
  },
  zh: {
    negative: cues(['故障', '宕机', '崩溃', '糟糕', '失望'], ['无法', '错误', '紧急', '问题']),
    positive: cues(['太好了', '满意', '喜欢', '优秀', '很好'], ['谢谢', '感谢']),
    negators: ['不'],
    wordBoundaries: false,
  },
  'zh-TW': {
    negative: cues(['故障', '當機', '崩潰', '糟糕', '失望'], ['無法', '錯誤', '緊急', '問題']),
    positive: cues(['太好了', '滿意', '喜歡', '優秀', '很好'], ['謝謝', '感謝']),
    negators: ['不'],
    wordBoundaries: false,
  },
  ko: {
    negative: cues(['장애', '고장', '작동하지 않', '최악'], ['오류', '긴급', '문제']),
    positive: cues(['최고', '훌륭'], ['감사합니다', '고맙습니다', '좋아요']),
    negators: [],
    wordBoundaries: false,
  },
  ar: {
    negative: cues(['عطل', 'لا يعمل', 'سيء'], ['خطأ', 'مشكلة', 'عاجل']),
    positive: cues(['شكرا جزيلا', 'ممتاز', 'رائع'], ['شكرا']),
    negators: ['لا', 'ليس'],
    wordBoundaries: true,
  },
  hi: {
    negative: cues(['काम नहीं कर रहा', 'खराब', 'बंद है'], ['समस्या', 'त्रुटि', 'जल्दी']),
    positive: cues(['बहुत अच्छा', 'बढ़िया', 'शानदार'], ['धन्यवाद', 'शुक्रिया']),
    negators: ['नहीं'],
    wordBoundaries: true,
  },
};
