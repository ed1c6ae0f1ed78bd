import { describe, expect, test } from '@jest/globals';
import { shippedModelFile, trainedModelFile, trainingFiles } from '../../../scripts/train-triage.js';

describe('the shipped triage model', () => {
  test('is exactly what training on the project\'s labelled tickets and rules gives', () => {
    // Fails after an edit of triage-rules.json, triage-features.ts or the labelled tickets
    // without `npm run train:triage`, or after a hand edit of the model file.
    expect(trainedModelFile() === shippedModelFile()).toBe(true);
  }, 180_000);

  test('is never trained on the held-out tickets', () => {
    expect(trainingFiles().some((file) => file.includes('holdout'))).toBe(false);
    expect(JSON.parse(shippedModelFile()).trainedOn.files).not.toContainEqual(expect.stringContaining('holdout'));
  });
});
