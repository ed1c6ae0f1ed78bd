import { describe, expect, test } from '@jest/globals';
import { categorize } from '../../../layers/shared/src/analysis/category.js';

const ticket = (subject: string, description: string) => `${subject}\n\n${description}`;

describe('categorize', () => {
  test.each([
    ['security', 'Phishing', 'Several staff received a phishing e-mail pretending to be your login page.'],
    ['billing', 'Invoice', 'Please send a copy of last month’s invoice with our VAT number.'],
    ['account', 'MFA', 'How do I reset two-factor authentication for a colleague who lost her phone?'],
    ['bug', 'Wrong totals', 'The report shows incorrect totals when a filter is applied.'],
    ['technical', 'VPN', 'The VPN client drops the connection when the laptop wakes from sleep.'],
    ['feature_request', 'Suggestion', 'Please add an option to export dashboards as PDF.'],
    ['general', 'Thanks', 'Just wanted to say the onboarding session was very helpful.'],
  ])('%s', (category, subject, description) => {
    expect(categorize(ticket(subject, description)).category).toBe(category);
  });

  test('precedence: a double charge shown with an error page is billing', () => {
    expect(
      categorize(ticket('Error at checkout', 'The checkout showed an error page and I was charged twice.')).category,
    ).toBe('billing');
  });

  test('a cause the customer only guesses at does not decide', () => {
    const text = ticket(
      'Printer offline',
      'The network printer keeps going offline; maybe a security setting? The router was restarted.',
    );
    expect(categorize(text).category).toBe('technical');
  });

  test('pre-sales about prices is billing, about specifications technical, about services general', () => {
    expect(
      categorize(ticket('Quote', 'What is the price of the enterprise plan and is there a discount?')).category,
    ).toBe('billing');
    expect(
      categorize(ticket('Specs', 'Is the device compatible with USB-C docks? Please send the specifications.'))
        .category,
    ).toBe('technical');
    expect(
      categorize(ticket('Agency', 'We would like to learn about your marketing services for a product launch.'))
        .category,
    ).toBe('general');
  });

  test('no evidence at all is general, with no signals', () => {
    expect(categorize(ticket('Hello', 'Hello there.'))).toMatchObject({ category: 'general', signals: [] });
  });

  test('a term in the subject weighs more', () => {
    expect(categorize(ticket('Invoice', 'The router and the invoice.')).scores.billing).toBeGreaterThan(
      categorize('x\n\nThe router and the invoice.').scores.billing,
    );
  });

  test('the request decides: a feature asked for, a faulty item sent back, thanks for a fix', () => {
    expect(
      categorize(
        ticket('Webhooks', 'Could you add webhooks to the API for new invoices? We poll the server every minute.'),
      ).category,
    ).toBe('feature_request');
    expect(
      categorize(
        ticket(
          'Scanner',
          'The barcode scanner shows an error on start. I want to send it back, where is the return label?',
        ),
      ).category,
    ).toBe('general');
    expect(
      categorize(ticket('Thank you', 'Just wanted to say thanks to the engineer who set up our router and VPN.'))
        .category,
    ).toBe('general');
    expect(categorize(ticket('Idee', 'Wäre es möglich, die Berichte als Excel-Datei zu exportieren?')).category).toBe(
      'feature_request',
    );
  });

  test('a feature misbehaving in everyday words is a bug', () => {
    for (const [subject, description] of [
      ['Save button', 'Clicking the save button does nothing on the profile form.'],
      ['Wrong week', 'The booking calendar shows the wrong month after midnight.'],
      ['Reports empty', 'Since the update our saved reports have disappeared from the list.'],
      ['Agenda', 'L’agenda affiche des heures incorrectes depuis la mise à jour.'],
    ]) {
      expect(categorize(ticket(subject!, description!)).category).toBe('bug');
    }
  });

  test('compliance requests and exposed data are security', () => {
    expect(
      categorize(ticket('DPA', 'Do you sign a DPA and which sub-processors store our data on your servers?')).category,
    ).toBe('security');
    expect(
      categorize(ticket('Links', 'Our invoice PDFs can be opened without logging in by anyone with the link.'))
        .category,
    ).toBe('security');
    expect(
      categorize(ticket('Texts', 'Our customers received scam texts quoting their account numbers.')).category,
    ).toBe('security');
  });

  test('roles, ownership and staying signed in are account', () => {
    expect(categorize(ticket('Roles', 'After renaming the role, members lost the approve button.')).category).toBe(
      'account',
    );
    expect(
      categorize(ticket('Signed out', 'I am logged out every hour even though I tick keep me signed in.')).category,
    ).toBe('account');
  });

  test('a request for enhancements or new capabilities is a feature request, however technical its words', () => {
    expect(
      categorize(
        ticket(
          'Reporting',
          'I am writing to request enhancements to the dashboard software so that the server metrics refresh live.',
        ),
      ).category,
    ).toBe('feature_request');
  });

  test('asking whether an integration is planned is a feature request', () => {
    expect(categorize(ticket('Integration', 'Are you planning a Salesforce integration for the API?')).category).toBe(
      'feature_request',
    );
  });
  test('"system" or "software" only hints at technical: a defect or a services question in them is not technical', () => {
    expect(
      categorize('Software system problem\n\nThe software in our system shows the previous month on the sales report.')
        .category,
    ).toBe('bug');
    expect(categorize('Problema en el sistema y el software\n\nEl sistema muestra cifras incorrectas.').category).toBe(
      'bug',
    );
    expect(
      categorize(
        'Software question\n\nWhich of your services include the software, and who do we talk to about a partnership?',
      ).category,
    ).toBe('general');
  });
  test('someone unknown, unrecognized activity or exposed credentials make a login problem security', () => {
    expect(
      categorize(
        ticket(
          'Login',
          'There is an unrecognised sign-in on my account from another country and now my password fails.',
        ),
      ).category,
    ).toBe('security');
    expect(
      categorize(ticket('Account', 'Somebody else is using my account and changed the profile e-mail.')).category,
    ).toBe('security');
    expect(
      categorize(
        ticket('Password', 'Our admin credentials were exposed in a public repository; please reset the account.'),
      ).category,
    ).toBe('security');
    expect(
      categorize(ticket('Cuenta', 'Hay un inicio de sesión desconocido en mi cuenta y no puedo cambiar la contraseña.'))
        .category,
    ).toBe('security');
    expect(categorize(ticket('Password', 'I forgot my password and the reset link has expired.')).category).toBe(
      'account',
    );
  });

  test('an account taken over is security, decisive over account', () => {
    expect(categorize(ticket('Login', 'Someone took over my account and the password no longer works.')).category).toBe(
      'security',
    );
    expect(categorize(ticket('MFA', 'I got two MFA prompts this morning that I never requested.')).category).toBe(
      'security',
    );
    expect(categorize(ticket('Password', 'My password was changed without my knowledge.')).category).toBe('security');
    expect(categorize(ticket('Konto', 'Jemand hat mein Passwort geändert, ich komme nicht mehr rein.')).category).toBe(
      'security',
    );
    expect(categorize(ticket('Login', 'There was a sign-in from another country on my profile.')).category).toBe(
      'security',
    );
  });

  test('the grammar of a request for a capability is a feature request; a request for an explanation is not', () => {
    expect(categorize(ticket('Calendar', 'We would love to be able to colour-code shifts.')).category).toBe(
      'feature_request',
    );
    expect(categorize(ticket('Idea', 'It would be great if you added dark mode to the tablet app.')).category).toBe(
      'feature_request',
    );
    expect(categorize(ticket('Rapports', 'Nous aimerions pouvoir planifier l’envoi des rapports.')).category).toBe(
      'feature_request',
    );
    expect(
      categorize(ticket('Invoice', 'It would help a lot if you could explain the storage line on my invoice.'))
        .category,
    ).toBe('billing');
  });

  test('the product misbehaving is a bug: a feature not working as designed, wrong figures, data overwritten, schedules misfiring', () => {
    for (const [subject, description] of [
      ['Planner', 'The route optimisation option in the planner is not functioning since Tuesday.'],
      ['Reminders', 'Appointment reminders do not work as intended for recurring visits.'],
      ['Stock', 'The valuation page shows erroneous balances for consignment items.'],
      ['Timesheets', 'Overtime hours are counted twice on the weekly summary.'],
      ['Receipts', 'The receipt displays the order date instead of the pickup date.'],
      ['Schedule', 'Our nightly job wiped the supplier codes it was meant to update.'],
      ['Newsletter', 'Our scheduled newsletters go out two hours late.'],
      ['Export', 'The payroll export comes out empty for part-time staff.'],
    ]) {
      expect({ description, category: categorize(ticket(subject!, description!)).category }).toEqual({
        description,
        category: 'bug',
      });
    }
  });

  test('phishing for credentials, purchases the customer did not make, spam sent from the account and unknown devices added are security', () => {
    for (const [subject, description] of [
      ['Account', 'Our members got texts asking for their login code, signed with your name.'],
      ['Account', 'There are purchases on my profile that I did not make.'],
      ['Account', 'My mailbox has been sending spam links to all my contacts.'],
      ['Account', 'An unfamiliar phone was added to my sign-in methods overnight.'],
      ['Account', 'My login details turned up in a data dump online.'],
    ]) {
      expect({ description, category: categorize(ticket(subject!, description!)).category }).toEqual({
        description,
        category: 'security',
      });
    }
  });

  test('call quality, webhooks, calendar sync and load times are technical; a memory leak is no data leak', () => {
    for (const [subject, description] of [
      ['Meetings', 'Our video meetings stutter on the 50 Mbps office line.'],
      ['Callbacks', 'The webhook signature we compute never matches yours.'],
      ['Diary', 'Outlook calendar sync skips events created on mobile.'],
      ['Dashboard', 'The overview page takes about twenty seconds to load.'],
      ['Agent', 'The collector pod seems to have a memory leak and restarts daily.'],
    ]) {
      expect({ description, category: categorize(ticket(subject!, description!)).category }).toEqual({
        description,
        category: 'technical',
      });
    }
  });

  test('a product defect wins over a topic named twice in the subject', () => {
    expect(
      categorize(
        ticket('Campaign tools for our campaign', 'Since last week the campaign report is not updating anymore.'),
      ).category,
    ).toBe('bug');
  });
});
