import type { BenchPart } from './figures.js';

export const listScalingPart: BenchPart = {
  name: 'list-scaling',
  measure: () => Promise.reject(new Error('The list-scaling part is not measured yet.')),
};
