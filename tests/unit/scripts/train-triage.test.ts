import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseLabelledTickets } from '../../../scripts/labelled-tickets.js';
import { shippedModelFile, trainedModelFile, trainingFiles, trainingTickets } from '../../../scripts/train-triage.js';

describe('the shipped triage model', () => {
  test("is exactly what training on the project's labelled tickets and rules gives", () => {
    // Fails after an edit of triage-rules.json, triage-features.ts or the labelled tickets
    // without `npm run train:triage`, or after a hand edit of the model file.
    const trained = trainedModelFile();
    // Compared as text, reported briefly: the file is large.
    expect({ sameAsShipped: trained === shippedModelFile(), bytes: trained.length }).toEqual({
      sameAsShipped: true,
      bytes: shippedModelFile().length,
    });
  }, 180_000);

  test('is trained on the training tickets only, never on the sets that measure it', () => {
    const shipped = JSON.parse(shippedModelFile()) as { trainedOn: { files: string[] } };
    for (const files of [trainingFiles(), shipped.trainedOn.files]) {
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(file).toMatch(/tests\/triage\/training\/[^/]+\.jsonl$/);
    }
  });

  test('shares no ticket with the sets that measure it', () => {
    const measuring = ['corpus.jsonl', 'holdout.jsonl', 'unseen.jsonl'].flatMap((name) => {
      const url = new URL(`../../triage/${name}`, import.meta.url);
      try {
        return parseLabelledTickets(readFileSync(url, 'utf8'));
      } catch {
        return [];
      }
    });
    expect(measuring.length).toBeGreaterThan(300);
    const texts = new Set(measuring.map((ticket) => `${ticket.subject}\n${ticket.body}`));
    const ids = new Set(measuring.map((ticket) => ticket.id));
    const shared = trainingTickets().filter(
      (ticket) => texts.has(`${ticket.subject}\n${ticket.body}`) || ids.has(ticket.id),
    );
    expect(shared.map((ticket) => ticket.id)).toEqual([]);
  });
});
