import { describe, expect, test } from '@jest/globals';
import type { SentimentResult } from '../../../layers/shared/src/domain/ticket.js';
import { triage } from '../../../layers/shared/src/analysis/triage.js';

const ticket = (subject: string, description: string) => `${subject}\n\n${description}`;
const furious: SentimentResult = {
  label: 'NEGATIVE',
  scores: { positive: 0.01, negative: 0.97, neutral: 0.01, mixed: 0.01 },
};

describe('priority follows impact and scope, not tone', () => {
  test('an angry message with no impact described is not high', () => {
    const text = ticket(
      'Really disappointed',
      'This is the worst support I have ever dealt with. Absolutely unacceptable!!!',
    );
    expect(triage(text, furious).priority).not.toMatch(/urgent|high/);
  });

  test('"URGENT" with no impact described is normal', () => {
    const text = ticket('URGENT!!!', 'URGENT: there is a problem with the reporting module, please look at it ASAP.');
    expect(triage(text, null).priority).toBe('normal');
  });

  test('a confirmed breach is urgent, a suspected one high', () => {
    const confirmed = ticket('Breach', 'Our admin account was hacked last night and customer records were exposed.');
    const suspected = ticket(
      'Odd logins',
      'We see login attempts from abroad; this could be a possible breach, nothing confirmed yet.',
    );
    expect(triage(confirmed, null).priority).toBe('urgent');
    expect(triage(suspected, null).priority).toBe('high');
  });

  test('a production outage affecting every user is urgent', () => {
    const text = ticket('Checkout down', 'The web shop has been down since 9am and all of our customers are affected.');
    const result = triage(text, null);
    expect(result.priority).toBe('urgent');
    expect(result.urgent).toBe(true);
  });

  test('data lost now is urgent even for one user', () => {
    expect(
      triage(ticket('Notes gone', 'All my project files were deleted after the sync this morning.'), null).priority,
    ).toBe('urgent');
  });

  test('a double charge is billing and high', () => {
    const result = triage(ticket('Charged twice', 'My card was charged twice for the March invoice.'), null);
    expect(result).toMatchObject({ priority: 'high', category: 'billing' });
  });

  test('a login failure is account and high', () => {
    const result = triage(
      ticket('Cannot log in', 'I cannot log in since yesterday, the password reset email never arrives.'),
      null,
    );
    expect(result).toMatchObject({ priority: 'high', category: 'account' });
  });

  test('a pre-sales question is low', () => {
    const result = triage(
      ticket(
        'Plans for 40 seats',
        'We are evaluating your product. Could you send pricing for 40 seats and the available discounts?',
      ),
      null,
    );
    expect(result).toMatchObject({ priority: 'low', category: 'billing' });
  });

  test('an intermittent slowdown is normal, a crash that blocks work high', () => {
    const slow = ticket('Dashboard slow', 'The dashboard is occasionally slow to load in the afternoon.');
    const crash = ticket(
      'Editor crashes',
      'The desktop editor crashes every time I open a file, so I cannot work at all.',
    );
    expect(triage(slow, null).priority).toBe('normal');
    expect(triage(crash, null).priority).toBe('high');
  });

  test('a problem a restart already fixed is normal', () => {
    const text = ticket(
      'Sync stopped',
      'Syncing stopped this morning. A restart fixed the issue, but we want to know why.',
    );
    expect(triage(text, null).priority).toBe('normal');
  });

  test('a question about an outage is not an outage', () => {
    expect(triage(ticket('Maintenance', 'Do you announce planned downtime in advance?'), null).priority).toBe('low');
  });

  test('strong negative tone raises a described impact by one level, never a message without one', () => {
    const withImpact = ticket('Reports', 'Exports show a problem and it is affecting our month-end operations.');
    expect(triage(withImpact, null).priority).toBe('normal');
    expect(triage(withImpact, furious).priority).toBe('high');
    expect(triage(withImpact, furious).signals.priority).toContainEqual({
      kind: 'sentiment',
      phrase: 'negative',
      start: 0,
      end: 0,
    });
  });
});

describe('category follows the rubric', () => {
  test('printer jams are technical', () => {
    expect(triage(ticket('Printer', 'The office printer jams on every second page.'), null).category).toBe('technical');
  });

  test('a login failure after a breach is security', () => {
    const text = ticket('Locked out', 'Someone accessed our account and changed the password; now I cannot log in.');
    expect(triage(text, null).category).toBe('security');
  });

  test('a feature request', () => {
    const text = ticket('Idea', 'It would be great if you could add support for dark mode in the mobile app.');
    expect(triage(text, null)).toMatchObject({ category: 'feature_request', priority: 'low' });
  });

  test('a faulty device the customer wants to return: the request decides', () => {
    const text = ticket(
      'Return',
      'The headset I bought keeps cutting out. I would like to return it; what is the return process?',
    );
    expect(triage(text, null).category).toBe('general');
  });

  test('a crash with an error message is a bug', () => {
    const text = ticket('App crash', 'The mobile app crashes with an error message whenever I upload a photo.');
    expect(triage(text, null).category).toBe('bug');
  });
});

describe('languages', () => {
  test.each([
    [
      'es',
      'Servicio caído',
      'La plataforma está caída desde esta mañana y todos los usuarios están afectados.',
      'urgent',
      'technical',
    ],
    [
      'fr',
      'Facturé deux fois',
      'Bonjour, j’ai été facturé deux fois pour mon abonnement ce mois-ci.',
      'high',
      'billing',
    ],
    ['de', 'Anmeldung', 'Ich kann mich nicht anmelden, das Passwort wird abgelehnt.', 'high', 'account'],
    ['pt', 'Dúvida sobre preços', 'Gostaria de saber os preços dos planos anuais e se há descontos.', 'low', 'billing'],
    ['es', 'Impresora', 'La impresora a veces imprime lento, pero funciona.', 'normal', 'technical'],
  ])('%s: %s', (_language, subject, description, priority, category) => {
    expect(triage(ticket(subject, description), null)).toMatchObject({ priority, category });
  });
});

describe('signals point at the text', () => {
  const expectExact = (text: string) => {
    const { signals } = triage(text, null);
    for (const signal of [...signals.priority, ...signals.category].filter((s) => s.end > s.start)) {
      expect(text.slice(signal.start, signal.end)).toBe(signal.phrase);
    }
    return signals;
  };

  test('offsets are UTF-16 indices, also after emoji and accented letters', () => {
    const text = ticket('🔥🔥 Ärger', '😡 Our store is down and all customers are affected 💸 we are losing money.');
    const signals = expectExact(text);
    const outage = signals.priority.find((s) => s.kind === 'outage');
    expect(outage).toMatchObject({ phrase: 'is down', start: text.indexOf('is down') });
    expect(signals.priority.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['outage', 'widespread', 'payments_stopped']),
    );
  });

  test.each([
    ['breach_confirmed', 'Our database was breached and records were exposed.'],
    ['breach_suspected', 'We noticed suspicious activity and login attempts on the admin panel.'],
    ['data_loss', 'After the update all our files were deleted.'],
    ['money_wrong', 'You charged me twice for one order.'],
    ['cannot_log_in', 'I am unable to log in to my account.'],
    ['crash', 'The app crashes on start.'],
    ['blocked', 'The failing import is blocking our work.'],
    ['request', 'How do I export my invoices?'],
  ])('%s', (kind, description) => {
    const text = ticket('Ticket ✨', description);
    const signals = expectExact(text);
    expect(signals.priority.map((s) => s.kind)).toContain(kind);
  });

  test('category evidence is reported with its kind', () => {
    const text = ticket('Invoice 🧾', 'The invoice for May shows a wrong amount.');
    const { category, signals } = triage(text, null);
    expect(category).toBe('billing');
    expect(signals.category).toContainEqual({ kind: 'topic', phrase: 'Invoice', start: 0, end: 7 });
    expectExact(text);
  });
});

describe('what the model cannot be talked into', () => {
  const question = ticket(
    'Question about profile picture',
    'Hi, how do I change my profile picture in the settings page? Thanks!',
  );

  test('repeating an alarming word, or thanks, moves nothing', () => {
    const asked = triage(question, null).priority;
    expect(triage(`${question} ${'outage URGENT '.repeat(50)}`, null).priority).toBe(
      triage(`${question} outage URGENT`, null).priority,
    );
    const outage = ticket(
      'Shop down',
      'Our production web shop is down for all customers since 09:00 and we cannot take any orders.',
    );
    expect(triage(`${outage} ${'Thank you so much, great product! '.repeat(200)}`, null).priority).toBe(
      triage(`${outage} Thank you so much, great product!`, null).priority,
    );
    expect(asked).toBe('low');
  });

  test('a ticket in a language triage does not read is at least normal, and says why', () => {
    const russian = ticket(
      'Сайт не работает',
      'Наш интернет-магазин не работает с утра, клиенты не могут оформить заказ.',
    );
    expect(triage(russian, null)).toMatchObject({ priority: 'normal', signals: { priority: [{ kind: 'unread' }] } });
    const dutch = ticket(
      'Website ligt plat',
      'Onze webshop ligt sinds vanochtend plat, klanten kunnen niet bestellen.',
    );
    expect(triage(dutch, null, 'nl').priority).not.toBe('low');
    expect(triage(question, null, 'en').priority).toBe('low');
  });

  test("when tone raises the priority, the rules explain it, not the model's reasons for normal", () => {
    const text = ticket('Reports', 'Exports show a problem and it is affecting our month-end operations.');
    const raised = triage(text, furious);
    expect(raised.priority).toBe('high');
    expect(raised.signals.priority.map((signal) => signal.kind)).not.toContain('learned');
  });
});
