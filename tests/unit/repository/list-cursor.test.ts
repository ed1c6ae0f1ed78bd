import { createHmac } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { InvalidInputError } from '../../../layers/shared/src/domain/errors.js';
import { ListCursorCodec, type CursorQueryShape } from '../../../layers/shared/src/repository/list-cursor.js';

const SECRET = 'unit-test-cursor-secret-0123456789abcdef';
const codec = new ListCursorCodec(SECRET);

const START_KEY = {
  pk: 'TICKET#01HZX',
  sk: 'TICKET',
  gsi1pk: 'REQUESTER#alice',
  gsi1sk: '2026-01-01T00:00:00.000Z#01HZX',
};
const ALICE_OWN: CursorQueryShape = { callerId: 'alice', scope: { kind: 'requester', requesterId: 'alice' } };
const AGENT_OPEN: CursorQueryShape = { callerId: 'agent-ada', scope: { kind: 'all' }, status: 'open' };

function expectRejected(cursor: string, shape: CursorQueryShape = ALICE_OWN): void {
  let caught: unknown;
  try {
    codec.decode(cursor, shape);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  expect((caught as InvalidInputError).errors).toEqual([
    { path: '/cursor', message: expect.stringContaining('cursor') },
  ]);
}

/** A cursor whose payload is whatever we like, correctly signed with the service's secret. */
function signedWithServiceSecret(payload: string): string {
  const body = Buffer.from(payload).toString('base64url');
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

describe('list cursors', () => {
  test('decode gives back the start key that was encoded, for the same caller and query', () => {
    const cursor = codec.encode(START_KEY, ALICE_OWN);
    expect(codec.decode(cursor, ALICE_OWN)).toEqual(START_KEY);
  });

  test('are URL-safe', () => {
    expect(codec.encode(START_KEY, ALICE_OWN)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  test('only work for the caller they were issued to', () => {
    const cursor = codec.encode(START_KEY, ALICE_OWN);
    expectRejected(cursor, { ...ALICE_OWN, callerId: 'mallory' });
  });

  test('only work for the query they were issued for', () => {
    const cursor = codec.encode(START_KEY, AGENT_OPEN);
    expect(codec.decode(cursor, AGENT_OPEN)).toEqual(START_KEY);
    expectRejected(cursor, { ...AGENT_OPEN, status: 'closed' });
    expectRejected(cursor, { ...AGENT_OPEN, priority: 'urgent' });
    expectRejected(cursor, { ...AGENT_OPEN, status: undefined });
    expectRejected(cursor, { ...AGENT_OPEN, scope: { kind: 'requester', requesterId: 'agent-ada' } });
    const bobsPartition: CursorQueryShape = { ...ALICE_OWN, scope: { kind: 'requester', requesterId: 'bob' } };
    expectRejected(codec.encode(START_KEY, ALICE_OWN), bobsPartition);
  });

  test('reject a payload altered after signing', () => {
    const [body, signature] = codec.encode(START_KEY, ALICE_OWN).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { k: Record<string, string> };
    payload.k.gsi1pk = 'REQUESTER#bob';
    expectRejected(`${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`);
  });

  test('reject an altered or missing signature', () => {
    const cursor = codec.encode(START_KEY, ALICE_OWN);
    const [body, signature] = cursor.split('.');
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    expectRejected(`${body}.${flipped}`);
    expectRejected(`${body}.${signature!.slice(0, -2)}`);
    expectRejected(`${body}.`);
    expectRejected(body!);
  });

  test('reject cursors signed with another secret', () => {
    const forged = new ListCursorCodec('the-attackers-own-secret-0123456789').encode(START_KEY, ALICE_OWN);
    expectRejected(forged);
  });

  test('reject malformed input without trying to decode it at length', () => {
    for (const garbage of ['', '.', '..', 'a.b.c', '%%%.%%%', 'x'.repeat(2_049), `${'x'.repeat(3_000)}.sig`]) {
      expectRejected(garbage);
    }
  });

  test('reject a correctly signed payload of an unknown shape (a future or past format)', () => {
    expectRejected(signedWithServiceSecret('not json'));
    expectRejected(signedWithServiceSecret(JSON.stringify({ v: 2, k: START_KEY, q: 'x' })));
    expectRejected(signedWithServiceSecret(JSON.stringify({ v: 1, k: { pk: 42 }, q: 'x' })));
    expectRejected(signedWithServiceSecret(JSON.stringify({ v: 1, k: ['pk'], q: 'x' })));
  });

  test('a secret is required', () => {
    expect(() => new ListCursorCodec('')).toThrow();
  });
});
