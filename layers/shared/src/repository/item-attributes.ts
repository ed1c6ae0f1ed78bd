/**
 * Reads the attributes of an item from the table, checking each one's type.
 * What the table holds was written by this repository, so an attribute of the
 * wrong type is a fault in the data or the code: it fails loudly (a plain
 * Error, answered as a 500), naming the attribute but never its value, which
 * may be a customer's text.
 */
export class ItemAttributes {
  readonly #attributes: Record<string, unknown>;
  readonly #path: string;

  constructor(value: unknown, path = 'item') {
    if (!isRecord(value)) throw malformed(path, 'is not a map');
    this.#attributes = value;
    this.#path = path;
  }

  /** Any value, as stored (a history entry's `from` and `to`). */
  value(name: string): unknown {
    return this.#attributes[name];
  }

  string(name: string): string {
    return this.#expect(name, 'a string', isString);
  }

  nullableString(name: string): string | null {
    return this.#attributes[name] === null ? null : this.string(name);
  }

  integer(name: string): number {
    return this.#expect(name, 'an integer', isInteger);
  }

  number(name: string): number {
    return this.#expect(name, 'a number', isNumber);
  }

  boolean(name: string): boolean {
    return this.#expect(name, 'a boolean', isBoolean);
  }

  oneOf<Member extends string>(name: string, members: readonly Member[]): Member {
    return this.#expect(name, `one of ${members.join(', ')}`, (value): value is Member =>
      members.some((member) => member === value),
    );
  }

  strings(name: string): string[] {
    return this.#expect(name, 'a list of strings', isStringList);
  }

  map(name: string): ItemAttributes {
    return new ItemAttributes(this.#attributes[name], this.#pathOf(name));
  }

  nullableMap(name: string): ItemAttributes | null {
    return this.#attributes[name] === null ? null : this.map(name);
  }

  /** A map that items written before it existed lack: absent reads as null, present must be a map. */
  optionalMap(name: string): ItemAttributes | null {
    return this.#attributes[name] === undefined ? null : this.map(name);
  }

  /** A count that items written before it existed lack: absent reads as 0. */
  optionalCount(name: string): number {
    return this.#attributes[name] === undefined ? 0 : this.integer(name);
  }

  /** A string that items written before it existed, or not yet set, lack: absent or null reads as null. */
  optionalString(name: string): string | null {
    return this.#attributes[name] === undefined ? null : this.nullableString(name);
  }

  /** A list of maps, each read in turn. */
  maps(name: string): ItemAttributes[] {
    const list = this.#attributes[name];
    if (!Array.isArray(list)) throw malformed(this.#pathOf(name), 'is not a list');
    return list.map((element: unknown, index) => new ItemAttributes(element, `${this.#pathOf(name)}[${index}]`));
  }

  #expect<Value>(name: string, expected: string, isValid: (value: unknown) => value is Value): Value {
    const value = this.#attributes[name];
    if (!isValid(value)) throw malformed(this.#pathOf(name), `is not ${expected}`);
    return value;
  }

  #pathOf(name: string): string {
    return `${this.#path}.${name}`;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const malformed = (path: string, problem: string) =>
  new Error(`Malformed item in the ticket table: ${path} ${problem}.`);
