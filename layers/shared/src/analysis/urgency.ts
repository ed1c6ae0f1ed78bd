import type { SentimentResult, TicketPriority } from '../domain/ticket.js';
import { wholeWords } from './text-patterns.js';

/**
 * Priority from what the customer says, nudged by how they say it.
 *
 * Each urgency signal present in the text adds its weight once (repeating
 * "urgent" five times does not jump the queue). Sentiment then adds or
 * removes a little. Sentiment alone can lift a ticket to `high` at most:
 * on-box sentiment models even rate "production is down, losing money, ASAP"
 * as positive, and an angry message is not necessarily an outage, so
 * `urgent` also needs URGENT_MIN_SIGNAL_SCORE from the signals themselves.
 */

export const SIGNAL_WEIGHT = {
  /** The service or its data is gone or exposed. */
  critical: 4,
  /** Money or many people are affected, or nobody can get in. */
  severe: 3,
  /** The customer asks for speed, or names production. */
  pressing: 2,
  /** Thanks and praise: the ticket is likely feedback. */
  appreciative: -1,
  /** The customer says it can wait. */
  relaxed: -3,
} as const;

export const SENTIMENT_WEIGHT = {
  negative: 2,
  /** NEGATIVE with a negative score at least STRONGLY_NEGATIVE_SCORE. */
  stronglyNegative: 3,
  positive: -1,
  neutral: 0,
  mixed: 0,
} as const;

export const STRONGLY_NEGATIVE_SCORE = 0.8;

export const PRIORITY_THRESHOLD = {
  /** Total score from which a ticket is urgent (with URGENT_MIN_SIGNAL_SCORE from signals). */
  urgent: 6,
  high: 3,
  /** Total score at or below which a ticket is low. */
  low: -2,
} as const;

export const URGENT_MIN_SIGNAL_SCORE = 3;

export interface UrgencySignal {
  id: string;
  weight: number;
  pattern: RegExp;
}

const CANNOT = String.raw`(?:cannot|can ?not|can['’]?t|unable to|not able to|could ?n['’]?t|could not)`;
const LOG_IN = String.raw`(?:log ?in(?:to)?|login|sign ?in(?:to)?|access|connect|get in(?:to)?)`;

/** English first, then Spanish, French and German basics. */
export const URGENCY_SIGNALS: readonly UrgencySignal[] = [
  {
    id: 'outage',
    weight: SIGNAL_WEIGHT.critical,
    pattern: wholeWords('outages?', 'caída del servicio', 'interrupción del servicio', 'panne', 'ausfall', 'störung'),
  },
  {
    id: 'service_down',
    weight: SIGNAL_WEIGHT.critical,
    pattern: wholeWords(
      String.raw`(?:is|are|was|were|went|goes|going|been|being|still|completely|totally)\s+down`,
      String.raw`down\s+(?:for|since|again)`,
      String.raw`(?:está|están|se ha)\s+caíd[oa]s?`,
      String.raw`est\s+(?:en\s+panne|hors\s+service)`,
      String.raw`(?:ist|sind)\s+(?:down|ausgefallen)`,
    ),
  },
  {
    id: 'data_loss',
    weight: SIGNAL_WEIGHT.critical,
    pattern: wholeWords(
      'data loss',
      String.raw`lost\s+(?:all\s+)?(?:of\s+)?(?:my\s+|our\s+|the\s+)?data`,
      String.raw`data\s+(?:is\s+|was\s+|has\s+been\s+)?(?:lost|gone|deleted|wiped)`,
      'pérdida de datos',
      'perte de données',
      'datenverlust',
    ),
  },
  {
    id: 'security_breach',
    weight: SIGNAL_WEIGHT.critical,
    pattern: wholeWords(
      String.raw`(?:security|data)\s+breach`,
      'breached',
      'hacked',
      'compromised',
      'hackead[oa]',
      'piraté',
      'gehackt',
      'brecha de seguridad',
      'faille de sécurité',
    ),
  },
  {
    id: 'emergency',
    weight: SIGNAL_WEIGHT.critical,
    pattern: wholeWords('emergency', 'emergencia', 'urgence', 'notfall'),
  },
  {
    id: 'losing_money',
    weight: SIGNAL_WEIGHT.severe,
    pattern: wholeWords(
      String.raw`losing\s+(?:money|revenue|sales|orders|customers)`,
      String.raw`lost\s+(?:revenue|sales)`,
      String.raw`perdiendo\s+(?:dinero|ventas|clientes)`,
      String.raw`perdons\s+(?:de\s+l['’]argent|des\s+ventes)`,
      String.raw`verlieren\s+(?:geld|umsatz|kunden)`,
    ),
  },
  {
    id: 'cannot_log_in',
    weight: SIGNAL_WEIGHT.severe,
    pattern: wholeWords(
      String.raw`${CANNOT}\s+${LOG_IN}`,
      String.raw`no\s+puedo\s+(?:acceder|entrar|iniciar\s+sesión)`,
      String.raw`impossible\s+de\s+(?:me\s+|se\s+)?(?:connecter|accéder)`,
      String.raw`kann\s+mich\s+nicht\s+anmelden`,
      String.raw`kein\s+zugriff`,
    ),
  },
  {
    id: 'everyone_affected',
    weight: SIGNAL_WEIGHT.severe,
    pattern: wholeWords(
      String.raw`all\s+(?:of\s+)?(?:our\s+|my\s+|the\s+)?(?:users|customers|employees|staff)`,
      String.raw`everyone\s+(?:is\s+)?affected`,
      String.raw`(?:nobody|no\s+one)\s+can`,
      String.raw`tod[oa]s\s+l[oa]s\s+(?:usuarios|clientes)`,
      String.raw`tous\s+les\s+(?:utilisateurs|clients)`,
      String.raw`alle\s+(?:benutzer|nutzer|kunden)`,
    ),
  },
  {
    id: 'critical',
    weight: SIGNAL_WEIGHT.severe,
    pattern: wholeWords('critical', 'crític[oa]', 'critique', 'kritisch'),
  },
  {
    id: 'urgent',
    weight: SIGNAL_WEIGHT.pressing,
    pattern: wholeWords('urgent(?:ly)?', 'urgente', 'dringend'),
  },
  {
    id: 'asap',
    weight: SIGNAL_WEIGHT.pressing,
    pattern: wholeWords(
      'asap',
      String.raw`as\s+soon\s+as\s+possible`,
      String.raw`lo\s+antes\s+posible`,
      String.raw`dès\s+que\s+possible`,
      String.raw`so\s+schnell\s+wie\s+möglich`,
    ),
  },
  {
    id: 'immediately',
    weight: SIGNAL_WEIGHT.pressing,
    pattern: wholeWords('immediately', String.raw`right\s+away`, 'inmediatamente', 'immédiatement', 'sofort'),
  },
  {
    id: 'production',
    weight: SIGNAL_WEIGHT.pressing,
    pattern: wholeWords('production', 'prod', 'producción', 'produktion'),
  },
  {
    id: 'not_working',
    weight: SIGNAL_WEIGHT.pressing,
    pattern: wholeWords(
      String.raw`not\s+working`,
      String.raw`(?:does\s*n['’]?t|does\s+not|do\s*n['’]?t|stopped)\s+work(?:ing)?`,
      String.raw`no\s+funciona`,
      String.raw`ne\s+fonctionne\s+(?:pas|plus)`,
      String.raw`funktioniert\s+nicht`,
    ),
  },
  {
    id: 'gratitude',
    weight: SIGNAL_WEIGHT.appreciative,
    pattern: wholeWords('thanks', String.raw`thank\s+you`, 'gracias', 'merci', 'danke'),
  },
  {
    id: 'praise',
    weight: SIGNAL_WEIGHT.appreciative,
    pattern: wholeWords('great', 'love', 'awesome', 'excellent', 'genial', 'génial', 'super'),
  },
  {
    id: 'can_wait',
    weight: SIGNAL_WEIGHT.relaxed,
    pattern: wholeWords(
      String.raw`not\s+urgent`,
      String.raw`no\s+(?:rush|hurry)`,
      String.raw`low\s+priority`,
      String.raw`whenever\s+you\s+(?:can|get\s+a\s+chance)`,
      String.raw`no\s+es\s+urgente`,
      String.raw`pas\s+urgent`,
      String.raw`nicht\s+dringend`,
    ),
  },
];

export interface UrgencyAssessment {
  priority: TicketPriority;
  urgent: boolean;
  /** Ids of the signals found, in URGENCY_SIGNALS order. */
  signals: string[];
  score: number;
}

/** `sentiment` is null when Comprehend was unavailable or the language unsupported. */
export function assessUrgency(text: string, sentiment: SentimentResult | null): UrgencyAssessment {
  const found = URGENCY_SIGNALS.filter((signal) => signal.pattern.test(text));
  const signalScore = found.reduce((total, signal) => total + signal.weight, 0);
  const score = signalScore + sentimentWeight(sentiment);
  const priority = priorityFor(score, signalScore);
  return { priority, urgent: priority === 'urgent', signals: found.map((signal) => signal.id), score };
}

function sentimentWeight(sentiment: SentimentResult | null): number {
  switch (sentiment?.label) {
    case 'NEGATIVE':
      return sentiment.scores.negative >= STRONGLY_NEGATIVE_SCORE
        ? SENTIMENT_WEIGHT.stronglyNegative
        : SENTIMENT_WEIGHT.negative;
    case 'POSITIVE':
      return SENTIMENT_WEIGHT.positive;
    case 'MIXED':
      return SENTIMENT_WEIGHT.mixed;
    default:
      return SENTIMENT_WEIGHT.neutral;
  }
}

function priorityFor(score: number, signalScore: number): TicketPriority {
  if (score >= PRIORITY_THRESHOLD.urgent && signalScore >= URGENT_MIN_SIGNAL_SCORE) return 'urgent';
  if (score >= PRIORITY_THRESHOLD.high) return 'high';
  if (score <= PRIORITY_THRESHOLD.low) return 'low';
  return 'normal';
}
