import { describe, expect, test } from '@jest/globals';
import {
  countWithinResponseBudget,
  LAMBDA_RESPONSE_LIMIT_BYTES,
  RESPONSE_ENTRIES_BUDGET_BYTES,
  responseBytes,
} from '../../../layers/shared/src/repository/response-size.js';

/** What Lambda counts: the proxy result serialized by the Node.js runtime, in UTF-8. */
const invocationBytes = (body: unknown) =>
  Buffer.byteLength(JSON.stringify({ statusCode: 200, headers: {}, body: JSON.stringify(body) }), 'utf8');
/** The same proxy result with an empty body string. */
const EMPTY_INVOCATION = Buffer.byteLength(JSON.stringify({ statusCode: 200, headers: {}, body: '' }), 'utf8');

describe('responseBytes', () => {
  test.each([
    ['plain ASCII', 'plain text', 10],
    // "\" is "\\" in the body and "\\\\" in the response.
    ['a backslash', '\\', 4],
    ['a quote', '"', 4],
    // A control character is \u0001 in the body, and its backslash is escaped again.
    ['a control character', '\u0001', 7],
    ['a newline', '\n', 3],
    // Non-ASCII stays UTF-8 in both encodings.
    ['an accented letter', 'é', 2],
    ['a CJK character', '漢', 3],
    ['an emoji', '😀', 4],
    // A lone surrogate is escaped as \udXXX by well-formed JSON.stringify, then escaped again.
    ['a lone surrogate', '\ud800', 7],
  ])('counts %s in a string twice encoded', (_name, character, bytesEach) => {
    const text = character.repeat(1000);
    // The string's own quotes: \"…\" in the response.
    expect(responseBytes(text)).toBe(1000 * bytesEach + 4);
  });

  test('is exactly what the value adds to the invocation response', () => {
    const ticket = {
      id: '01JDQ0Z7S1X7M3V9K2B4N60001',
      description: `${'\\'.repeat(100)}"quoted"\u0000\u001f\t😀 漢字 é \ud83d`,
      tags: ['a', 'b'],
      analysis: { sentiment: null, urgent: false, scores: [0.1, 1e-7] },
    };
    expect(EMPTY_INVOCATION + responseBytes(ticket)).toBe(invocationBytes(ticket));
    expect(EMPTY_INVOCATION + responseBytes([ticket, ticket])).toBe(invocationBytes([ticket, ticket]));
  });

  test('makes 20,000 backslashes weigh four times their number', () => {
    expect(responseBytes('\\'.repeat(20_000))).toBe(80_004);
  });

  test('counts nothing for a value JSON leaves out', () => {
    expect(responseBytes(undefined)).toBe(0);
  });
});

describe('countWithinResponseBudget', () => {
  test('leaves room inside 6 MB for the status, headers and cursor', () => {
    expect(LAMBDA_RESPONSE_LIMIT_BYTES).toBe(6_291_456);
    expect(RESPONSE_ENTRIES_BUDGET_BYTES).toBeLessThanOrEqual(LAMBDA_RESPONSE_LIMIT_BYTES - 32 * 1024);
  });

  test('stops where the twice-encoded entries pass the budget, not where their JSON does', () => {
    const backslashes = { description: '\\'.repeat(20_000) };
    // Once encoded, 100 of these are 4 MB and would all fit; twice encoded they are 8 MB.
    expect(Buffer.byteLength(JSON.stringify(Array(100).fill(backslashes)))).toBeLessThan(4.1 * 1024 * 1024);
    const entries = Array.from({ length: 100 }, () => backslashes);
    const kept = countWithinResponseBudget(entries);
    expect(kept).toBeLessThan(100);
    expect(responseBytes(entries.slice(0, kept))).toBeLessThanOrEqual(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(responseBytes(entries.slice(0, kept + 1))).toBeGreaterThan(RESPONSE_ENTRIES_BUDGET_BYTES);
  });

  test('weighs a character of three UTF-8 bytes as three bytes, though it is one unit of JSON', () => {
    const entries = Array.from({ length: 100 }, () => ({ description: '漢'.repeat(25_000) }));
    const kept = countWithinResponseBudget(entries);
    expect(kept).toBeLessThan(100);
    expect(responseBytes(entries.slice(0, kept))).toBeLessThanOrEqual(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(responseBytes(entries.slice(0, kept + 1))).toBeGreaterThan(RESPONSE_ENTRIES_BUDGET_BYTES);
  });

  test('counts exactly where a page is too large to be known to fit without measuring its entries', () => {
    // 2.4 MB of letters fit in the budget, though three bytes a character would not.
    const letters = 'x'.repeat(1_200_000);
    expect(3 * JSON.stringify([letters, letters]).length).toBeGreaterThan(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(countWithinResponseBudget([letters, letters])).toBe(2);
    // Of six, five fit (6.0 MB); the sixth would pass the budget.
    expect(countWithinResponseBudget(Array(6).fill(letters))).toBe(5);
  });

  test('keeps every entry of a small page', () => {
    expect(countWithinResponseBudget([{ a: 1 }, { b: 2 }])).toBe(2);
    expect(countWithinResponseBudget([])).toBe(0);
  });

  test('keeps one entry even if it alone were over the budget, so a page always moves on', () => {
    const huge = 'x'.repeat(RESPONSE_ENTRIES_BUDGET_BYTES);
    expect(countWithinResponseBudget([huge, huge])).toBe(1);
  });
});
