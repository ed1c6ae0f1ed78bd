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
    expect(categorize(ticket('Error at checkout', 'The checkout showed an error page and I was charged twice.')).category).toBe(
      'billing',
    );
  });

  test('a cause the customer only guesses at does not decide', () => {
    const text = ticket('Printer offline', 'The network printer keeps going offline; maybe a security setting? The router was restarted.');
    expect(categorize(text).category).toBe('technical');
  });

  test('pre-sales about prices is billing, about specifications technical, about services general', () => {
    expect(categorize(ticket('Quote', 'What is the price of the enterprise plan and is there a discount?')).category).toBe('billing');
    expect(categorize(ticket('Specs', 'Is the device compatible with USB-C docks? Please send the specifications.')).category).toBe(
      'technical',
    );
    expect(categorize(ticket('Agency', 'We would like to learn about your marketing services for a product launch.')).category).toBe(
      'general',
    );
  });

  test('no evidence at all is general, with no signals', () => {
    expect(categorize(ticket('Hello', 'Hello there.'))).toMatchObject({ category: 'general', signals: [] });
  });

  test('a term in the subject or in a key phrase weighs more', () => {
    const text = ticket('Invoice', 'The router and the invoice.');
    const plain = categorize(text, []).scores.billing;
    expect(plain).toBeGreaterThan(categorize('x\n\nThe router and the invoice.', []).scores.billing);
    expect(categorize(text, ['the invoice']).scores.billing).toBeGreaterThan(plain);
  });
});
