import type { BenchPart } from './figures.js';

export const comprehendUnitsPart: BenchPart = {
  name: 'comprehend-units',
  measure: () => Promise.reject(new Error('The comprehend-units part is not measured yet.')),
};
