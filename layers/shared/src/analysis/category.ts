import type { TicketCategory } from '../domain/ticket.js';
import { wholeWords } from './text-patterns.js';

/**
 * Category from the words of the ticket. Multi-word phrases ("password
 * reset", "charged twice") say more than single keywords and weigh more. A
 * term that also occurs in one of Comprehend's key phrases is the topic of
 * the message rather than a passing mention, and counts twice. Each term
 * counts once however often it is repeated.
 */

export const PHRASE_WEIGHT = 3;
export const KEYWORD_WEIGHT = 1;
/** A term that also occurs in a key phrase counts this many times its weight. */
export const KEY_PHRASE_MULTIPLIER = 2;

type SpecificCategory = Exclude<TicketCategory, 'general'>;

/** Ties go to the earlier category: a possible breach must not hide behind a billing question. */
export const CATEGORY_PRECEDENCE: readonly SpecificCategory[] = [
  'security',
  'billing',
  'account',
  'bug',
  'technical',
  'feature_request',
];

/** Regular expression sources, matched as whole words, case-insensitively. */
interface Vocabulary {
  phrases: string[];
  keywords: string[];
}

const VOCABULARY: Readonly<Record<SpecificCategory, Vocabulary>> = {
  security: {
    phrases: [
      String.raw`(?:security|data)\s+breach`,
      String.raw`unauthori[sz]ed\s+(?:access|login|charges?|activity)`,
      String.raw`suspicious\s+(?:activity|login|e-?mail)`,
      String.raw`security\s+(?:issue|incident|vulnerability|hole)`,
      String.raw`someone\s+(?:else\s+)?(?:logged|accessed|is\s+using)`,
    ],
    keywords: [
      'breach(?:ed)?', 'vulnerabilit(?:y|ies)', 'hacked', 'hackers?', 'phishing', 'unauthori[sz]ed', 'compromised',
      'malware', 'exploit', 'cve', 'xss', 'fraud(?:ulent)?',
      'vulnerabilidad', 'hackead[oa]', 'piraté', 'hameçonnage', 'sicherheitslücke', 'gehackt',
    ],
  },
  billing: {
    phrases: [
      String.raw`charged\s+twice`,
      String.raw`double\s+charged?`,
      String.raw`credit\s+card`,
      String.raw`payment\s+(?:failed|declined|method)`,
      String.raw`billing\s+(?:cycle|address|issue)`,
      String.raw`wrong\s+amount`,
    ],
    keywords: [
      'invoices?', 'refund(?:s|ed)?', 'charge[sd]?', 'overcharged', 'payments?', 'subscriptions?', 'billing', 'billed',
      'receipts?', 'pricing', 'price',
      'facturas?', 'reembolso', 'cobro', 'pago', 'suscripción', 'factures?', 'remboursement', 'paiement',
      'abonnement', 'rechnung', 'erstattung', 'zahlung', 'abbuchung',
    ],
  },
  account: {
    phrases: [
      String.raw`password\s+reset`,
      String.raw`(?:reset|forgot|change)\s+(?:my\s+)?password`,
      String.raw`sign\s+in`,
      String.raw`log\s+in`,
      String.raw`two[\s-]factor`,
      String.raw`(?:change|update)\s+(?:my\s+)?e-?mail`,
      String.raw`e-?mail\s+change`,
      String.raw`(?:delete|close)\s+(?:my\s+)?account`,
      String.raw`locked\s+out`,
    ],
    keywords: [
      'login', 'logins', 'account', 'accounts', '2fa', 'mfa', 'password', 'username', 'profile', 'sso',
      'cuenta', 'contraseña', 'compte', 'konto', 'passwort', 'anmelden',
    ],
  },
  bug: {
    phrases: [
      String.raw`stack\s+trace`,
      String.raw`steps\s+to\s+reproduce`,
      String.raw`(?:does\s*n['’]?t|does\s+not)\s+work\s+as\s+expected`,
      String.raw`error\s+message`,
    ],
    keywords: [
      'bugs?', 'crash(?:es|ed|ing)?', 'exceptions?', 'broken', 'regression', 'unexpected(?:ly)?', 'glitch',
      'defect', 'freez(?:es|ing)', 'froze',
      'fallo', 'plantage', 'absturz', 'stürzt',
    ],
  },
  technical: {
    phrases: [
      String.raw`api\s+keys?`,
      String.raw`rate\s+limit(?:ed|ing)?`,
      String.raw`timed\s+out`,
      String.raw`set\s+up`,
      String.raw`how\s+(?:do|can)\s+i\s+(?:configure|connect|integrate|install)`,
    ],
    keywords: [
      'errors?', 'api', 'integrations?', 'timeouts?', 'configur(?:e|ation|ing)', 'install(?:ation|ing|ed)?', 'setup',
      'sdk', 'webhooks?', 'endpoints?', 'latency', 'dns', 'ssl', 'certificate', 'sync(?:ing)?', 'database',
      'servers?', 'outages?', 'downtime', 'deploy(?:ment|ed)?',
      'integración', 'configuración', 'intégration', 'konfiguration', 'schnittstelle',
    ],
  },
  feature_request: {
    phrases: [
      String.raw`feature\s+request`,
      String.raw`would\s+be\s+(?:nice|great|helpful|useful)`,
      String.raw`add\s+support\s+for`,
      String.raw`please\s+add`,
      String.raw`(?:it\s+)?would\s+love`,
      String.raw`wish\s+list`,
    ],
    keywords: [
      'features?', 'suggestions?', 'enhancement', 'roadmap', 'idea',
      'sugerencia', 'funcionalidad', 'fonctionnalité', 'wunsch', 'vorschlag',
    ],
  },
};

interface WeightedTerm {
  pattern: RegExp;
  weight: number;
}

const TERMS: ReadonlyMap<SpecificCategory, WeightedTerm[]> = new Map(
  CATEGORY_PRECEDENCE.map((category) => [category, weightedTerms(VOCABULARY[category])]),
);

function weightedTerms({ phrases, keywords }: Vocabulary): WeightedTerm[] {
  return [
    ...phrases.map((phrase) => ({ pattern: wholeWords(phrase), weight: PHRASE_WEIGHT })),
    ...keywords.map((keyword) => ({ pattern: wholeWords(keyword), weight: KEYWORD_WEIGHT })),
  ];
}

/** The best-scoring category for `text`; `general` when no term matches. */
export function categorize(text: string, keyPhrases: readonly string[] = []): TicketCategory {
  let best: TicketCategory = 'general';
  let bestScore = 0;
  for (const category of CATEGORY_PRECEDENCE) {
    const score = categoryScore(TERMS.get(category) ?? [], text, keyPhrases);
    // Strictly greater: on a tie the category earlier in precedence keeps its place.
    if (score > bestScore) {
      best = category;
      bestScore = score;
    }
  }
  return best;
}

function categoryScore(terms: readonly WeightedTerm[], text: string, keyPhrases: readonly string[]): number {
  let score = 0;
  for (const { pattern, weight } of terms) {
    if (!pattern.test(text)) continue;
    const isTopic = keyPhrases.some((phrase) => pattern.test(phrase));
    score += isTopic ? weight * KEY_PHRASE_MULTIPLIER : weight;
  }
  return score;
}
