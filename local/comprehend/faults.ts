/**
 * Fault injection, so callers' timeout, retry and "analysis pending" paths can be tested
 * against a real HTTP peer. A fault comes from (first match wins):
 *   1. the request header `x-stand-in-fault: throttle | error | timeout | delay=<ms>`;
 *   2. the rule set in-process (`faults.set`) or over HTTP (`POST /__admin/faults`);
 *   3. the rule given at start, by default from env COMPREHEND_STAND_IN_FAULT (same syntax as 1).
 * Rules 2 and 3 are the same slot: setting a rule replaces the start-up one.
 */
import { isOperationName, OPERATION_NAMES, type OperationName } from './limits.js';

export type FaultMode = 'none' | 'throttle' | 'error' | 'delay' | 'timeout';

export interface FaultRule {
  mode: FaultMode;
  /** Required for `delay`: how long to wait before answering normally. */
  delayMs?: number;
  /** Only requests to these operations are faulted; all operations when absent. */
  operations?: OperationName[];
  /** Fault only this many more matching requests, then recover (mode returns to `none`). */
  remaining?: number;
}

export type Fault = { kind: 'throttle' } | { kind: 'error' } | { kind: 'timeout' } | { kind: 'delay'; delayMs: number };

export interface FaultControl {
  set(rule: FaultRule): void;
  clear(): void;
  current(): FaultRule;
}

export class InvalidFaultError extends Error {
  override name = 'InvalidFaultError';
}

const MODES: readonly FaultMode[] = ['none', 'throttle', 'error', 'delay', 'timeout'];
/** Longer delays are almost certainly a typo (seconds given as milliseconds the other way round). */
const MAX_DELAY_MS = 600_000;

export class FaultSwitch implements FaultControl {
  #rule: FaultRule = { mode: 'none' };

  constructor(initial?: FaultRule) {
    if (initial) this.set(initial);
  }

  set(rule: FaultRule): void {
    this.#rule = validateFaultRule(rule);
  }

  clear(): void {
    this.#rule = { mode: 'none' };
  }

  current(): FaultRule {
    return structuredClone(this.#rule);
  }

  /** The fault for one request to `operation`, if any; counts `remaining` down. */
  take(operation: OperationName): Fault | undefined {
    const rule = this.#rule;
    if (rule.mode === 'none') return undefined;
    if (rule.operations && !rule.operations.includes(operation)) return undefined;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.clear();
    }
    return toFault(rule);
  }
}

/** Parses the header / env syntax: `throttle`, `error`, `timeout`, `delay=<ms>` or `none`. */
export function parseFaultSpec(spec: string): FaultRule {
  const trimmed = spec.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'none') return { mode: 'none' };
  const delay = /^delay=(\d+)$/.exec(trimmed);
  if (delay) return validateFaultRule({ mode: 'delay', delayMs: Number(delay[1]) });
  if (trimmed === 'throttle' || trimmed === 'error' || trimmed === 'timeout') return { mode: trimmed };
  throw new InvalidFaultError(`Unknown fault '${spec}': expected throttle, error, timeout, delay=<ms> or none`);
}

export function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidFaultError('A fault rule must be a JSON object');
  }
  const { mode, delayMs, operations, remaining } = input as Record<string, unknown>;
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    throw new InvalidFaultError(`mode must be one of ${MODES.join(', ')}`);
  }
  const rule: FaultRule = { mode: mode as FaultMode };
  if (mode === 'none') return rule;

  if (mode === 'delay' || delayMs !== undefined) {
    if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > MAX_DELAY_MS) {
      throw new InvalidFaultError(`delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
    }
    rule.delayMs = delayMs as number;
  }
  if (operations !== undefined) {
    const names = Array.isArray(operations) ? operations : [];
    const unknown = names.filter((name) => typeof name !== 'string' || !isOperationName(name));
    if (!Array.isArray(operations) || names.length === 0 || unknown.length > 0) {
      throw new InvalidFaultError(`operations must be a non-empty list of: ${OPERATION_NAMES.join(', ')}`);
    }
    rule.operations = [...(names as OperationName[])];
  }
  if (remaining !== undefined) {
    if (!Number.isInteger(remaining) || (remaining as number) < 1) {
      throw new InvalidFaultError('remaining must be a positive integer');
    }
    rule.remaining = remaining as number;
  }
  return rule;
}

export function toFault(rule: FaultRule): Fault | undefined {
  switch (rule.mode) {
    case 'none':
      return undefined;
    case 'delay':
      return { kind: 'delay', delayMs: rule.delayMs ?? 0 };
    default:
      return { kind: rule.mode };
  }
}
