import { describe, expect, test } from '@jest/globals';
import { assessUrgency } from '../../../layers/shared/src/analysis/urgency.js';
import type { SentimentResult } from '../../../layers/shared/src/domain/ticket.js';

const sentiment = (label: SentimentResult['label'], negative = 0.9): SentimentResult => ({
  label,
  scores: { positive: label === 'POSITIVE' ? 0.9 : 0.03, negative, neutral: 0.05, mixed: 0.02 },
});
const kinds = (text: string, tone: SentimentResult | null = null) =>
  assessUrgency(text, tone).signals.map((s) => s.kind);

describe('assessUrgency', () => {
  test('no problem described is low, whatever the tone', () => {
    expect(assessUrgency('Thanks for the quick fix last week, great job!', sentiment('POSITIVE')).priority).toBe('low');
    expect(assessUrgency('Which plans include single sign-on?', sentiment('NEGATIVE')).priority).toBe('low');
  });

  test('a vague problem is normal; tone alone does not raise it', () => {
    expect(assessUrgency('There is an issue with the export page.', null).priority).toBe('normal');
    expect(
      assessUrgency('There is an issue with the export page. Terrible!', sentiment('NEGATIVE', 0.99)).priority,
    ).toBe('normal');
  });

  test('a failure troubleshooting did not fix is high; intermittent stays normal', () => {
    expect(assessUrgency('The scanner is not working. We restarted it but the problem persists.', null).priority).toBe(
      'high',
    );
    expect(
      assessUrgency('The scanner intermittently fails to connect. We restarted it but the problem persists.', null)
        .priority,
    ).toBe('normal');
  });

  test('an outage is high, urgent when many are affected, high again when intermittent', () => {
    expect(assessUrgency('The API is down.', null).priority).toBe('high');
    expect(assessUrgency('The API is down for all of our customers.', null).priority).toBe('urgent');
    expect(assessUrgency('The API has sporadic outages for all of our customers.', null).priority).toBe('high');
  });

  test('a hedge in the same sentence lowers a breach one level, not in another sentence', () => {
    expect(assessUrgency('Our server may have been compromised.', null).priority).toBe('high');
    expect(kinds('Our server may have been compromised.')).toContain('breach_suspected');
    expect(assessUrgency('Our server was compromised. We may need help with forensics.', null).priority).toBe('urgent');
  });

  test('"urgent" raises a normal problem with described impact to high, never to urgent, never without impact', () => {
    expect(assessUrgency('URGENT: problem with the scheduler.', null).priority).toBe('normal');
    expect(
      assessUrgency('URGENT: problem with the scheduler, it is affecting our daily operations.', null).priority,
    ).toBe('high');
    expect(kinds('URGENT: problem with the scheduler, it is affecting our daily operations.')).toEqual(
      expect.arrayContaining(['asap', 'impact', 'problem']),
    );
  });

  test('a problem mentioned only in a question does not count', () => {
    expect(assessUrgency('How can we avoid downtime during upgrades?', null).priority).toBe('low');
  });

  test('repeating a phrase reports it once, at its first occurrence', () => {
    const text = 'Outage. Outage again. Outage!';
    expect(assessUrgency(text, null).signals.filter((s) => s.kind === 'outage')).toEqual([
      { kind: 'outage', phrase: 'Outage', start: 0, end: 6 },
    ]);
  });

  test('a failure blocking a deadline is high; with a whole site affected too, urgent', () => {
    expect(assessUrgency('The report export does nothing when I click it.', null).priority).toBe('normal');
    expect(
      assessUrgency(
        'The report export does nothing when I click it. The figures are due to our auditor by Friday.',
        null,
      ).priority,
    ).toBe('high');
    expect(
      assessUrgency(
        'Since nine, every invoice we submit is rejected. All 120 of our staff cannot send invoices and the deadline is today.',
        null,
      ).priority,
    ).toBe('urgent');
  });

  test('everyday failure wording: nothing saved, will not generate, stopped importing, gone', () => {
    for (const text of [
      'I press Save and nothing is saved.',
      "The packing slips won't generate for the new carrier.",
      'Our web shop stopped importing new orders yesterday.',
      'The folder of scanned contracts has disappeared from the sidebar.',
      'Die Bestätigungsmail kommt einfach nicht an.',
      'La stampante non stampa più da stamattina.',
    ]) {
      expect(assessUrgency(text, null).priority).not.toBe('low');
    }
  });

  test('a crash or a login failure for a whole team is urgent; for one person high', () => {
    expect(assessUrgency('I cannot sign in since this morning.', null).priority).toBe('high');
    expect(assessUrgency('Nobody in the office can sign in since this morning.', null).priority).toBe('urgent');
    expect(assessUrgency('The app crashes on start for every nurse on the ward.', null).priority).toBe('urgent');
    expect(assessUrgency('Several devices in the lab show an error now and then.', null).priority).toBe('normal');
  });

  test('a stopped production line or payments no longer going through is urgent', () => {
    expect(assessUrgency('Packing line 3 has stopped, the controller shows a fault.', null).priority).toBe('urgent');
    expect(assessUrgency('Zero successful payments since noon on our shop.', null).priority).toBe('urgent');
  });

  test('money taken wrongly in everyday words is high', () => {
    for (const text of [
      'My refund is still not here three weeks after the return.',
      'You charged me again after I cancelled the plan.',
      'There are two charges of 30 EUR on my statement for one order, please refund the duplicate.',
      'Ho visto due addebiti per lo stesso mese.',
      'Der Betrag wurde zweimal von meinem Konto abgebucht.',
    ]) {
      expect(assessUrgency(text, null).priority).toBe('high');
    }
  });

  test('data exposed or an account used by someone else is urgent; a scam or stolen device is high', () => {
    expect(assessUrgency('Anyone with the link can open our contracts without logging in.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('Someone changed the payout bank details on our account last night.', null).priority).toBe(
      'urgent',
    );
    expect(
      assessUrgency("Our patients' letters were emailed to the wrong recipients this morning.", null).priority,
    ).toBe('urgent');
    expect(assessUrgency('A colleague had her work phone stolen on the train.', null).priority).toBe('high');
    expect(assessUrgency('Customers got scam texts quoting their order numbers.', null).priority).toBe('high');
  });

  test('an outage with severe disruption is urgent; "due to" names a cause, not a deadline', () => {
    expect(
      assessUrgency('The booking service is down, and the resulting major disruptions hit every clinic we run.', null)
        .priority,
    ).toBe('urgent');
    expect(
      assessUrgency('The sync fails now and then. The failures are due to a proxy, we think.', null).priority,
    ).toBe('normal');
    expect(assessUrgency('The sync fails. The quarterly figures are due to the board on Friday.', null).priority).toBe(
      'high',
    );
  });

  test('data gone now is urgent, even for one person; data only hidden stays lower', () => {
    expect(assessUrgency('All my saved recipes are gone after the app update.', null).priority).toBe('urgent');
    expect(assessUrgency('Mes factures ont toutes disparu de mon espace client.', null).priority).toBe('urgent');
    expect(assessUrgency('The import overwrote the prices of every product in the shop.', null).priority).not.toBe(
      'low',
    );
  });

  test('every request failing, or everyone getting an error, is an outage', () => {
    expect(assessUrgency('Every upload to the portal fails with a timeout since noon.', null).priority).toBe('high');
    expect(
      assessUrgency('Every upload to the portal fails with a timeout since noon, for all our 40 agents.', null)
        .priority,
    ).toBe('urgent');
    expect(
      assessUrgency('Every agent on the floor gets "Session invalid" when opening a case.', null).priority,
    ).not.toBe('low');
  });

  test('a printer showing offline on every PC is a failure, not an outage; customers leaving is impact', () => {
    expect(assessUrgency('The label printer shows offline on every PC.', null)).toMatchObject({
      priority: 'normal',
      urgent: false,
    });
    expect(kinds('The label printer shows offline on every PC.')).toEqual(['failure']);
    expect(
      assessUrgency('The card readers will not connect in every shop and customers are walking out.', null).priority,
    ).toBe('urgent');
  });

  test('"cannot find a way to" is a how-to question, not a failure', () => {
    expect(assessUrgency('I cannot find a way to export the report for every user.', null).priority).toBe('low');
  });

  test('an outage hurting the website or operations we depend on is urgent; charges not matching the agreed rate are high', () => {
    expect(
      assessUrgency('The hosting service is unavailable, affecting the availability of our online store.', null)
        .priority,
    ).toBe('urgent');
    expect(assessUrgency('O serviço está fora do ar e está impactando nossas operações.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('We were incorrectly charged for the premium tier this month.', null).priority).toBe('high');
    expect(assessUrgency('These fees on the March bill did not match what our contract says.', null).priority).toBe(
      'high',
    );
  });

  test('a statement that something is not as it should be is at least normal, in any wording', () => {
    for (const text of [
      "The parcel hasn't arrived and the tracking page hasn't moved since Monday.",
      'The mobile app won’t open on my tablet.',
      'My saved filters are not showing after the update.',
      'The portal keeps logging me out.',
      'The label printer no longer feeds paper.',
      'The monthly statement still does not list the March payment.',
      'I never received the confirmation e-mail.',
      "The totals on the summary page don't match the detail view.",
      'The lamp arrived damaged and one shade is missing.',
      'Every time I attach a photo the message is discarded.',
      'The report shows UTC instead of our local time.',
      'El pedido todavía no ha llegado y la aplicación no abre.',
      'Le formulaire ne s’affiche plus depuis hier.',
      'Die Rechnung ist falsch und der Export enthält keine Spalten mehr.',
      'O aplicativo não abre desde ontem.',
      'La stampante non stampa più da stamattina.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'normal' });
    }
  });

  test('a question, a how-to or a statement of what the customer does not need describes no malfunction', () => {
    expect(assessUrgency("How do I change the language? I don't know where the setting is.", null).priority).toBe(
      'low',
    );
    expect(assessUrgency('We no longer need the second seat, please remove it.', null).priority).toBe('low');
    expect(
      assessUrgency('Our customers keep asking for a dark theme, would it be possible to add one?', null).priority,
    ).toBe('low');
    expect(assessUrgency('Why does the report not include archived projects?', null).priority).toBe('low');
  });

  test('an intermittent problem with no failure word is normal', () => {
    expect(assessUrgency('The sync drops out three times a day.', null).priority).toBe('normal');
    expect(assessUrgency('Roughly one in five exports comes out empty.', null).priority).toBe('normal');
    expect(assessUrgency('A veces el calendario muestra la semana anterior.', null).priority).toBe('normal');
  });

  test('a malfunction raised by scope and impact: many people or sites, work stopped', () => {
    expect(assessUrgency("The booking page isn't loading for everyone in the company.", null).priority).toBe('high');
    expect(assessUrgency('Card readers in 12 of our stores no longer connect.', null).priority).toBe('high');
    expect(
      assessUrgency('Card readers in 12 of our stores no longer connect and it is disrupting sales.', null).priority,
    ).toBe('urgent');
    expect(assessUrgency('The search box is not returning anything for the whole month view.', null).priority).toBe(
      'normal',
    );
  });

  test('an optional space in a rule phrase is optional: "doesn\'t" and "login" are found', () => {
    expect(kinds("The calendar doesn't sync.")).toContain('failure');
    expect(assessUrgency('I cannot login since this morning.', null).priority).toBe('high');
  });

  test('a service "down" in few words, and nobody able to order or pay, are outages for many', () => {
    expect(assessUrgency('Web shop down since 8am.', null).priority).toBe('high');
    expect(assessUrgency('Phone lines down in the whole office.', null).priority).toBe('urgent');
    expect(assessUrgency('La boutique en ligne est en panne, aucun client ne peut payer.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('None of our registers can take card payments.', null).priority).toBe('urgent');
    expect(assessUrgency('Will the portal be down for maintenance on Sunday?', null).priority).toBe('low');
  });

  test('a plan stopped or a number grown "by" is no failure and no deadline', () => {
    expect(assessUrgency('We stopped using the old reports, the new dashboard is great.', null).priority).toBe('low');
    expect(kinds('The upload fails. Our usage grew by 20 percent.')).toEqual(['failure']);
  });

  test('the same concepts in French, Spanish, Portuguese, German and Italian', () => {
    expect(assessUrgency("Je n'arrive plus à me connecter depuis hier.", null).priority).toBe('high');
    expect(assessUrgency("On m'a prélevé après la résiliation du contrat.", null).priority).toBe('high');
    expect(assessUrgency('No podemos cobrar con tarjeta en la tienda.', null).priority).toBe('urgent');
    expect(assessUrgency('El escáner no conecta y tenemos que enviar los pedidos hoy.', null).priority).toBe('high');
    expect(assessUrgency('Alguém entrou no painel da loja durante a noite.', null).priority).toBe('urgent');
    expect(assessUrgency('Der Etikettendrucker druckt seit gestern nicht mehr.', null).priority).toBe('normal');
    expect(assessUrgency('Nessun cliente riesce a pagare, tutti i negozi sono bloccati.', null).priority).not.toBe(
      'low',
    );
  });

  test('more failure verbs: cannot synchronise, renew or view; disrupted orders or payroll are impact', () => {
    expect(assessUrgency('I am unable to synchronise the tablet with the base station.', null).priority).toBe('normal');
    expect(
      assessUrgency('We cannot view the shared calendar; it is delaying our appointments for next week.', null)
        .priority,
    ).toBe('high');
  });
  test('a problem named as something to avoid or that might come is not one that happened', () => {
    expect(
      assessUrgency('We would like advice on how we can minimise downtime when we roll out new versions.', null)
        .priority,
    ).toBe('low');
    expect(
      assessUrgency('Please let us know about any additional charges that could apply to the larger plan.', null)
        .priority,
    ).toBe('low');
    expect(
      assessUrgency('Our tablets do not show any error, but the orders are missing in the kitchen.', null).priority,
    ).toBe('normal');
    expect(
      assessUrgency('Queremos evitar cualquier interrupción del servicio durante la migración.', null).priority,
    ).toBe('low');
    // A failure the customer cannot prevent still counts.
    expect(assessUrgency('The sync error prevents us from sending invoices.', null).priority).toBe('normal');
  });

  test('an impact only feared ("this might affect") does not raise a failure; one described does', () => {
    expect(
      assessUrgency("The mail merge fails. We worry this might affect next week's newsletter.", null).priority,
    ).toBe('normal');
    expect(assessUrgency('The mail merge fails, which is delaying our newsletter campaign.', null).priority).toBe(
      'high',
    );
  });

  test('"all our users" is scope in every language, with or without a possessive', () => {
    expect(assessUrgency('La plataforma está caída para todos nuestros usuarios.', null).priority).toBe('urgent');
    expect(assessUrgency('A plataforma está fora do ar para todos os nossos usuários.', null).priority).not.toBe(
      'normal',
    );
    expect(assessUrgency('Die Plattform ist für alle unsere Nutzer nicht erreichbar.', null).priority).toBe('urgent');
  });
  test('an incident already over (restored, lasted two hours, now monitoring) is lowered', () => {
    expect(
      assessUrgency(
        'Yesterday the portal had an outage. It lasted about two hours and service has been restored.',
        null,
      ).priority,
    ).toBe('normal');
    expect(
      assessUrgency(
        'The booking site went down overnight; the servers were restarted and we are now monitoring it.',
        null,
      ).priority,
    ).toBe('normal');
  });

  test('"compromise" in English is no French "compromis": only a compromised account is a breach', () => {
    expect(assessUrgency('We reached a compromise on the layout, but the export still fails.', null).priority).toBe(
      'normal',
    );
    expect(assessUrgency('Notre compte a été compromis cette nuit.', null).priority).toBe('urgent');
  });

  test('systems that stopped working, or a service whose availability is disrupted, are outages', () => {
    expect(assessUrgency('The systems that run our booking desk have stopped working.', null).priority).toBe('high');
    expect(
      assessUrgency('A fault is disrupting the availability of our online shop and hurting our sales.', null).priority,
    ).toBe('urgent');
  });

  test('essential or critical functions affected are scope', () => {
    expect(
      assessUrgency('Repeated faults are significantly impairing essential clinical functions.', null).priority,
    ).toBe('urgent');
  });

  test('a failure for everyone is urgent, for a critical operation at least high, for a few people high', () => {
    expect(assessUrgency('Every register in the bakery has frozen on the sign-in screen.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('The booking page is returning errors for all of our customers.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('Since 7am the practice cannot open patient records.', null).priority).toBe('high');
    expect(assessUrgency('Since 7am every nurse gets an error opening patient records.', null).priority).toBe('urgent');
    expect(assessUrgency('Die Seite zeigt Fehler, niemand im Lager kann Aufträge buchen.', null).priority).toBe(
      'urgent',
    );
    expect(assessUrgency('Tous les clients de la boutique voient une erreur.', null).priority).toBe('urgent');
    expect(assessUrgency('The booking page is returning errors for several customers.', null).priority).toBe('high');
    expect(kinds('The booking page is returning errors for all of our customers.')).toContain('critical');
  });

  test('everyone merely mentioned is no scope of a problem', () => {
    expect(assessUrgency('Two sign-ins failed last night; MFA is on for everyone.', null).priority).not.toBe('urgent');
  });

  test('no workaround is an impact; a workaround still limits', () => {
    expect(assessUrgency('The label printer fails on every batch and there is no workaround.', null).priority).toBe(
      'high',
    );
    expect(assessUrgency('Der Export schlägt fehl, es gibt keine Alternative.', null).priority).toBe('high');
    expect(assessUrgency('The export fails, but we have a workaround for now.', null).priority).toBe('normal');
  });

  test('an account taken over or drained is a breach; codes nobody asked for a suspected one', () => {
    expect(assessUrgency('My password was changed by someone else and I am locked out.', null).priority).toBe('urgent');
    expect(assessUrgency('Our business wallet was drained overnight.', null).priority).toBe('urgent');
    expect(assessUrgency('I keep getting verification codes that I did not request.', null).priority).toBe('high');
    expect(kinds('Je reçois des codes que je n’ai pas demandé.')).toContain('breach_suspected');
  });

  test('a state that should not be is normal: gone, unreadable, null, signed out unasked, sent twice, old data still shown', () => {
    for (const text of [
      'Since we merged the two teams the Approve button has gone from the request page.',
      'Labels printed from the tablet come out garbled.',
      'The API returns nulls for every field of the invoice line.',
      'I get signed out of the portal each evening even with remember me ticked.',
      'Each reminder text arrives twice on my phone.',
      'The dashboard still greets me with my old surname.',
      'Die Quittung zeigt noch die alte Steuernummer.',
      'Las facturas siguen saliendo con el domicilio antiguo.',
      'My clinic visit was cancelled without any notice.',
      'We got no confirmation after the transfer.',
      'The shipment has not moved since Thursday.',
      'The crate was supposed to arrive on the 3rd.',
      'I noticed inconsistencies between the two statements.',
      'Our webinar audio is choppy for the last ten minutes.',
      'La web va lentísima desde el lunes.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'normal' });
    }
    expect(assessUrgency('Prices have gone up, will the Pro plan change too?', null).priority).toBe('low');
  });

  test('a request to strengthen security with no incident is normal', () => {
    expect(
      assessUrgency('Please enforce two-factor for all our members; nothing happened, we are tightening up.', null)
        .priority,
    ).toBe('normal');
    expect(
      assessUrgency('Could you rotate the webhook secrets on our tenant? Our auditor flagged their age.', null)
        .priority,
    ).toBe('normal');
  });

  test('urgent wording with nothing described and nothing asked for is normal; with a request it stays low', () => {
    expect(assessUrgency('URGENT. Ring me on my office line today please.', null).priority).toBe('normal');
    expect(assessUrgency('Urgente, llámenme cuanto antes.', null).priority).toBe('normal');
    expect(assessUrgency('We need the updated price list ASAP.', null).priority).toBe('low');
    expect(assessUrgency('Is this urgent for you as well?', null).priority).toBe('low');
  });

  test('a failure with no other means to work, needed daily or for a business process, or awaited before work resumes, is high', () => {
    for (const text of [
      'The label printer in dispatch is not working and we have no other printer.',
      'The time clock will not sync; we run payroll from it every week.',
      'The booking form does not submit and we need it for our clinic appointments.',
      'The build server is not responding and the developers are stuck until it is back.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'high' });
    }
  });

  test('a sign-in stopped at its code or password, money taken twice or kept after a cancellation, is high', () => {
    for (const text of [
      'I cannot get past the two-factor screen on the new phone.',
      'My passcode is no longer accepted by the app.',
      'I never receive the verification code by text.',
      'The reset link never arrives in my inbox.',
      'The membership fee was taken twice from my card this month.',
      'Still waiting for my refund from the returned jacket.',
      'We were billed for a cancelled subscription.',
      'I cancelled the order on the 2nd but was still charged.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'high' });
    }
    expect(
      assessUrgency('The confirmation for my new e-mail never arrived, but I can still sign in fine.', null).priority,
    ).toBe('normal');
  });

  test('customers unable to pay, a checkout that is down, or records wiped, are urgent', () => {
    expect(assessUrgency('Since noon shoppers cannot check out on our web shop.', null).priority).toBe('urgent');
    expect(assessUrgency('Our card terminals are down at the front desk.', null).priority).toBe('urgent');
    expect(assessUrgency('The sync wiped all of our appointments for next week.', null).priority).toBe('urgent');
  });

  test('an error code pasted, or a step that did not succeed, is a failure', () => {
    expect(kinds('The installer stops with error 0x80070643.')).toContain('failure');
    expect(kinds('The import did not succeed for the March file.')).toContain('failure');
  });

  test('a failure whose consequence stops work, or that hits a share of everything, is high', () => {
    for (const text of [
      'The scanner app shows an error on launch, which means our drivers cannot log deliveries.',
      'The sync error is stopping our nurses from updating charts.',
      'Saving a draft does nothing for roughly half of our listings.',
      'The till restarts by itself several times an hour.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'high' });
    }
    expect(assessUrgency("The sync error is annoying but it isn't stopping us from working.", null).priority).toBe(
      'normal',
    );
  });

  test('a site defaced or machines infected with malware is a breach', () => {
    expect(assessUrgency('Our storefront was defaced overnight.', null).priority).toBe('urgent');
    expect(assessUrgency('Two office PCs were infected with ransomware this morning.', null).priority).toBe('urgent');
  });

  test('mail landing in spam, text hard to read, signed out unasked, drops counted per hour are normal problems', () => {
    for (const text of [
      'Our order confirmations end up in the junk folder at most providers.',
      'The footer text on the invoice PDF is illegible.',
      "I'm signed out of the tablet app at every shift change.",
      'The VPN dropped the session twice in one morning.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'normal' });
    }
  });

  test('fees that do not match what was used, a weakness found or intrusion efforts are high', () => {
    for (const text of [
      'The fees on the April invoice do not match the seats we actually used.',
      'Die Servicegebühren stimmen nicht mit dem Vertrag überein.',
      'A pen tester reported a security flaw found in the upload form.',
      'Our firewall logged repeated intrusion efforts against the VPN gateway.',
    ]) {
      expect({ text, priority: assessUrgency(text, null).priority }).toEqual({ text, priority: 'high' });
    }
  });
});

describe('a phrase stays within a paragraph', () => {
  const kinds = (text: string) => assessUrgency(text, null).signals.map((signal) => signal.kind);

  test('a line break inside a phrase is a wrapped line', () => {
    expect(kinds('Checkout\n\nOur whole shop is\ndown since 9:00.')).toContain('outage');
  });

  test('a blank line, or a page of padding, ends it', () => {
    expect(kinds('We have data\n\nloss of context in the report wording')).not.toContain('data_loss');
    expect(kinds('Status\n\nProduction is\n \n down')).not.toContain('outage');
    expect(kinds(`Status\n\nProduction is${'\u3000'.repeat(200)}down`)).not.toContain('outage');
  });
});
