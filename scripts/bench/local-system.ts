import type { BenchPart } from './figures.js';

export const localSystemPart: BenchPart = {
  name: 'local-system',
  measure: () => Promise.reject(new Error('The local-system part is not measured yet.')),
};
