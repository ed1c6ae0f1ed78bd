import { readFileSync } from 'node:fs';
import { parseTriageModel, type TriageModel } from './triage-classifier.js';

/**
 * The triage model file, beside this module in the sources and beside the
 * layer's bundle once built (the layer's Makefile copies it there). It is
 * read on the first triage, not when the layer loads: functions that never
 * triage a ticket do not pay for parsing it.
 */
export const TRIAGE_MODEL_FILE = 'triage-model.json';

let loaded: TriageModel | undefined;

/** The model shipped in the layer, read and checked once, on first use. */
export function triageModel(): TriageModel {
  loaded ??= parseTriageModel(JSON.parse(readFileSync(new URL(TRIAGE_MODEL_FILE, import.meta.url), 'utf8')));
  return loaded;
}
