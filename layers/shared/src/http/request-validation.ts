import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { FieldError } from '../domain/errors.js';

/** One failure as ajv reports it. */
export interface ValidatorError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * A validator compiled ahead of time from a function's request schema
 * (scripts/compile-validators.ts). It fills in defaults and, where the schema
 * asks for it, coerces query values, so an event it accepts is `T`, the
 * schema's type (`FromSchema<typeof requestSchema>`, declared beside it).
 */
export interface CompiledValidator<T> {
  (data: unknown): data is T;
  errors?: ValidatorError[] | null;
}

/** The compiled validator of request schema `S` (as a function's request-validator.d.ts declares it). */
export type SchemaValidator<S extends JSONSchema> = CompiledValidator<FromSchema<S>>;

/** A response body well under Lambda's 6 MB limit, however many fields a hostile body gets wrong. */
const MAX_FIELD_ERRORS = 20;

/** The validator's failures as field errors located in the event (`/body/subject`). */
export function fieldErrorsOf(errors: readonly ValidatorError[] | null | undefined): FieldError[] {
  if (!errors) return [];
  return errors.slice(0, MAX_FIELD_ERRORS).map((error) => {
    const missing = error.params?.missingProperty;
    const extra = error.params?.additionalProperty;
    const base = error.instancePath ?? '';
    if (typeof missing === 'string') return { path: `${base}/${missing}`, message: 'is required' };
    if (typeof extra === 'string') return { path: `${base}/${extra}`, message: 'is not allowed' };
    return { path: base, message: error.message ?? 'is not valid' };
  });
}

/** A number as a query value must be written: plain decimal digits, no sign, exponent, fraction, radix prefix or padding. */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * The query parameters the validator turned into numbers that were not sent
 * as plain decimals. ajv's coercion reads a value as JavaScript's `Number`
 * does, so `0x10`, `1e2`, `+5`, ` 5` and `5.0` would pass as 16, 100 and 5;
 * only digits as they are written in the contract are numbers here.
 */
export function nonDecimalQueryNumbers(sent: Record<string, unknown>, validated: object): FieldError[] {
  return Object.entries(validated)
    .filter(([name, value]) => typeof value === 'number' && name in sent)
    .filter(([name]) => {
      const raw = sent[name];
      return typeof raw !== 'string' || !PLAIN_DECIMAL.test(raw);
    })
    .map(([name]) => ({
      path: `/queryStringParameters/${name}`,
      message: 'must be a whole number in plain decimal digits',
    }));
}
