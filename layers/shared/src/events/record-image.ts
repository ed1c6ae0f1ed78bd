import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/*
 * Reads a stream record's image attribute by attribute. A record that does
 * not hold what an event needs is a MalformedRecordError, whose message names
 * the attribute but never its value: images hold customers' text.
 */

export class MalformedRecordError extends Error {
  override name = 'MalformedRecordError';
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class RecordImage {
  readonly #fields: Fields;
  readonly #path: string;

  constructor(fields: Fields, path: string) {
    this.#fields = fields;
    this.#path = path;
  }

  /** A stream image (DynamoDB's attribute values) as plain values; a MalformedRecordError if it cannot be read. */
  static of(image: unknown, path: string): RecordImage {
    if (!isFields(image)) throw new MalformedRecordError(`${path} is missing.`);
    let fields: unknown;
    try {
      fields = unmarshall(image as Record<string, AttributeValue>);
    } catch {
      throw new MalformedRecordError(`${path} is not a DynamoDB image.`);
    }
    if (!isFields(fields)) throw new MalformedRecordError(`${path} is not a map.`);
    return new RecordImage(fields, path);
  }

  has(name: string): boolean {
    return this.#fields[name] !== undefined;
  }

  string(name: string): string {
    const value = this.#fields[name];
    if (typeof value !== 'string') throw this.#malformed(name, 'a string');
    return value;
  }

  nullableString(name: string): string | null {
    return this.#fields[name] === null || this.#fields[name] === undefined ? null : this.string(name);
  }

  integer(name: string): number {
    const value = this.#fields[name];
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.#malformed(name, 'an integer');
    return value;
  }

  boolean(name: string): boolean {
    const value = this.#fields[name];
    if (typeof value !== 'boolean') throw this.#malformed(name, 'a boolean');
    return value;
  }

  /** A value as stored, for a change's `from` and `to`. */
  value(name: string): unknown {
    return this.#fields[name];
  }

  map(name: string): RecordImage {
    const value = this.#fields[name];
    if (!isFields(value)) throw this.#malformed(name, 'a map');
    return new RecordImage(value, `${this.#path}.${name}`);
  }

  optionalMap(name: string): RecordImage | null {
    return this.#fields[name] === null || this.#fields[name] === undefined ? null : this.map(name);
  }

  maps(name: string): RecordImage[] {
    const value = this.#fields[name];
    if (!Array.isArray(value)) throw this.#malformed(name, 'a list');
    return value.map((element, index) => {
      if (!isFields(element)) throw this.#malformed(`${name}[${String(index)}]`, 'a map');
      return new RecordImage(element, `${this.#path}.${name}[${String(index)}]`);
    });
  }

  #malformed(name: string, expected: string): MalformedRecordError {
    return new MalformedRecordError(`${this.#path}.${name} is not ${expected}.`);
  }
}
