import { describe, expect, test } from '@jest/globals';
import {
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectDominantLanguageCommand,
} from '@aws-sdk/client-comprehend';
import { Readable } from 'node:stream';
import {
  billingUnits,
  naiveUnits,
  recordRequests,
  requestUnits,
  type SentRequest,
} from '../../../scripts/bench/comprehend-units.js';

describe("Comprehend's billing", () => {
  test('1 unit per 100 characters, rounded up, at least 3 a document', () => {
    expect(billingUnits('')).toBe(3);
    expect(billingUnits('a'.repeat(300))).toBe(3);
    expect(billingUnits('a'.repeat(301))).toBe(4);
    expect(billingUnits('a'.repeat(1_000))).toBe(10);
  });

  test('characters are code points: an emoji is one character, not two UTF-16 units', () => {
    expect(billingUnits('😀'.repeat(400))).toBe(4);
    expect(billingUnits('é'.repeat(400))).toBe(4);
  });

  test('a batch call is billed per document, each with its own minimum', () => {
    expect(requestUnits({ operation: 'BatchDetectSentiment', texts: ['short', 'a'.repeat(450)] })).toBe(3 + 5);
  });

  test('the naive analysis asks all four operations about subject, a blank line and description', () => {
    // 298 + 2 characters: 3 units a call; one more character makes it 4.
    expect(naiveUnits('s'.repeat(98), 'd'.repeat(200))).toBe(4 * 3);
    expect(naiveUnits('s'.repeat(99), 'd'.repeat(200))).toBe(4 * 4);
  });
});

describe('recordRequests', () => {
  const answering = (body: unknown) => ({
    handle: () =>
      Promise.resolve({
        // What the SDK's HTTP handler hands over: status, headers and a body stream.
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      }),
  });

  test('records each request as sent, its operation and every document, while a recording is current', async () => {
    const client = new ComprehendClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: answering({ Languages: [], ResultList: [], ErrorList: [] }),
    });
    const current: { recording?: SentRequest[] } = {};
    recordRequests(client, () => current.recording);

    await client.send(new DetectDominantLanguageCommand({ Text: 'not recorded' }));
    const recording: SentRequest[] = [];
    current.recording = recording;
    await client.send(new DetectDominantLanguageCommand({ Text: 'Hello there' }));
    await client.send(new BatchDetectSentimentCommand({ LanguageCode: 'en', TextList: ['one', 'two'] }));

    expect(recording).toEqual([
      { operation: 'DetectDominantLanguage', texts: ['Hello there'] },
      { operation: 'BatchDetectSentiment', texts: ['one', 'two'] },
    ]);
  });
});
