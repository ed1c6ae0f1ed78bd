/*
 * Lambda's event filtering (FilterCriteria), as the event source mapping
 * applies it before batching: a pattern is a JSON object that mirrors the
 * record's shape; at each leaf, an array of conditions of which one must hold.
 * The conditions are the ones Lambda documents: an exact value (string,
 * number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`,
 * `anything-but` (values or a prefix), `numeric` ranges and `exists`. A
 * record field holding an array matches when any element does.
 */

export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly Condition[];
}

type Condition =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { 'anything-but': string | number | readonly (string | number)[] | { prefix: string } }
  | { numeric: readonly (string | number)[] }
  | { exists: boolean };

export class InvalidFilterPatternError extends Error {
  override name = 'InvalidFilterPatternError';
}

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

/** The template's `Pattern` (a JSON string), checked once so that matching never meets a malformed pattern. */
export function parseFilterPattern(pattern: unknown, where: string): FilterPattern {
  let parsed: unknown;
  try {
    parsed = typeof pattern === 'string' ? JSON.parse(pattern) : pattern;
  } catch (error) {
    throw new InvalidFilterPatternError(`${where}: Pattern is not JSON (${(error as Error).message}).`);
  }
  checkPattern(parsed, where);
  return parsed as FilterPattern;
}

function checkPattern(pattern: unknown, where: string): void {
  if (!isObject(pattern)) throw new InvalidFilterPatternError(`${where}: a pattern must be a JSON object.`);
  for (const [key, value] of Object.entries(pattern)) {
    if (Array.isArray(value)) {
      if (value.length === 0)
        throw new InvalidFilterPatternError(`${where}.${key}: a list of conditions may not be empty.`);
      value.forEach((condition) => {
        checkCondition(condition, `${where}.${key}`);
      });
    } else {
      checkPattern(value, `${where}.${key}`);
    }
  }
}

function checkCondition(condition: unknown, where: string): void {
  if (condition === null || ['string', 'number', 'boolean'].includes(typeof condition)) return;
  if (!isObject(condition) || Object.keys(condition).length !== 1) {
    throw new InvalidFilterPatternError(`${where}: ${JSON.stringify(condition)} is not a filter condition.`);
  }
  const [[operator, operand]] = Object.entries(condition) as [[string, unknown]];
  const valid =
    ((operator === 'prefix' || operator === 'suffix' || operator === 'equals-ignore-case') &&
      typeof operand === 'string') ||
    (operator === 'exists' && typeof operand === 'boolean') ||
    (operator === 'numeric' && isNumericRange(operand)) ||
    (operator === 'anything-but' &&
      (typeof operand === 'string' ||
        typeof operand === 'number' ||
        (Array.isArray(operand) && operand.every((item) => typeof item === 'string' || typeof item === 'number')) ||
        (isObject(operand) && typeof operand.prefix === 'string')));
  if (!valid) throw new InvalidFilterPatternError(`${where}: ${JSON.stringify(condition)} is not a filter condition.`);
}

function isNumericRange(operand: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) return false;
  for (let index = 0; index < operand.length; index += 2) {
    if (!NUMERIC_OPERATORS.has(String(operand[index])) || typeof operand[index + 1] !== 'number') return false;
  }
  return true;
}

/** Whether `record` passes any of `filters`; no filters at all let every record through. */
export function passesFilters(record: unknown, filters: readonly FilterPattern[]): boolean {
  return filters.length === 0 || filters.some((pattern) => matchesPattern(record, pattern));
}

export function matchesPattern(value: unknown, pattern: FilterPattern): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const field = isObject(value) ? value[key] : undefined;
    if (Array.isArray(expected)) return matchesConditions(field, expected as readonly Condition[]);
    // Conditions apply to leaves: where the record has no map, no leaf below exists (`exists: false` holds).
    return matchesPattern(isObject(field) ? field : {}, expected as FilterPattern);
  });
}

function matchesConditions(field: unknown, conditions: readonly Condition[]): boolean {
  return conditions.some((condition) => {
    if (isObject(condition) && 'exists' in condition) return (field !== undefined) === condition.exists;
    if (field === undefined) return false;
    const candidates = Array.isArray(field) ? field : [field];
    return candidates.some((candidate) => matchesCondition(candidate, condition));
  });
}

function matchesCondition(value: unknown, condition: Condition): boolean {
  if (!isObject(condition)) return value === condition;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('suffix' in condition) return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) {
    return typeof value === 'string' && value.toLowerCase() === condition['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    if (isObject(excluded)) return typeof value === 'string' && !value.startsWith(excluded.prefix);
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  }
  if ('numeric' in condition) return typeof value === 'number' && inNumericRange(value, condition.numeric);
  return false;
}

function inNumericRange(value: number, range: readonly (string | number)[]): boolean {
  for (let index = 0; index < range.length; index += 2) {
    const bound = range[index + 1] as number;
    const holds = {
      '<': value < bound,
      '<=': value <= bound,
      '=': value === bound,
      '>': value > bound,
      '>=': value >= bound,
    }[range[index] as '<' | '<=' | '=' | '>' | '>='];
    if (!holds) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
