/** Requests received per operation, so tests can assert which Comprehend calls were made. */
import type { OperationName } from './limits.js';

export interface RequestStatsSnapshot {
  total: number;
  /** Every request that named a known operation, whether answered, faulted or rejected. */
  operations: Partial<Record<OperationName, number>>;
  /** The subset an injected fault was applied to (throttle, error, timeout or delay). */
  faulted: Partial<Record<OperationName, number>>;
}

export interface RequestStatsView {
  snapshot(): RequestStatsSnapshot;
  reset(): void;
}

export class RequestStats implements RequestStatsView {
  #operations = new Map<OperationName, number>();
  #faulted = new Map<OperationName, number>();

  recordRequest(operation: OperationName): void {
    this.#operations.set(operation, (this.#operations.get(operation) ?? 0) + 1);
  }

  recordFault(operation: OperationName): void {
    this.#faulted.set(operation, (this.#faulted.get(operation) ?? 0) + 1);
  }

  snapshot(): RequestStatsSnapshot {
    const total = [...this.#operations.values()].reduce((sum, count) => sum + count, 0);
    return {
      total,
      operations: Object.fromEntries(this.#operations),
      faulted: Object.fromEntries(this.#faulted),
    };
  }

  reset(): void {
    this.#operations.clear();
    this.#faulted.clear();
  }
}
