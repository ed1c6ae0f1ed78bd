import type { BenchPart } from './figures.js';

export const handlerOverheadPart: BenchPart = {
  name: 'handler-overhead',
  measure: () => Promise.reject(new Error('The handler-overhead part is not measured yet.')),
};
