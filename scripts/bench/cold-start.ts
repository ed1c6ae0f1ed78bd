import type { BenchPart } from './figures.js';

export const coldStartPart: BenchPart = {
  name: 'cold-start',
  measure: () => Promise.reject(new Error('The cold-start part is not measured yet.')),
};
