import { describe, expect, test } from '@jest/globals';
import { categorize } from '../../../layers/shared/src/analysis/category.js';

describe('categorize', () => {
  test.each([
    ['I was charged twice for my subscription, please refund', 'billing'],
    ['Where can I download last month\'s invoice?', 'billing'],
    ['I need a password reset, I am locked out of my account', 'account'],
    ['How do I enable 2FA on my login?', 'account'],
    ['The API returns a timeout error when I configure the webhook', 'technical'],
    ['The app crashes with an unexpected exception since the last update', 'bug'],
    ['It would be nice to have dark mode, please add support for it', 'feature_request'],
    ['We received a phishing e-mail and see unauthorized access to our data', 'security'],
    ['Necesito el reembolso de mi factura', 'billing'],
    ['Mein Konto ist gesperrt, Passwort vergessen', 'account'],
  ])('"%s" → %s', (text, category) => {
    expect(categorize(text)).toBe(category);
  });

  test('nothing recognisable is general', () => {
    expect(categorize('Hello, I have a question')).toBe('general');
  });

  test('a tie goes to security first', () => {
    // One security keyword against one account keyword.
    expect(categorize('My account was hacked')).toBe('security');
  });

  test('a multi-word phrase outweighs a single keyword', () => {
    // "password reset" (phrase) for account against "payment" (keyword) for billing.
    expect(categorize('Password reset needed before my next payment')).toBe('account');
  });

  test('a term that is also one of the key phrases outweighs passing mentions', () => {
    const text = 'There is an error in my invoice';
    expect(categorize(text)).toBe('billing'); // tie on one keyword each: billing precedes technical
    expect(categorize(text, ['an error'])).toBe('technical');
  });

  test('matches whole words only', () => {
    expect(categorize('The debugger shows a terror message in the bugle app')).toBe('general');
  });
});
