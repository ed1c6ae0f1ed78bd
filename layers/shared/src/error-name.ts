/**
 * An error's class name: what logs and retry decisions go by, since a message
 * may quote the customer's text. Read by shape, not `instanceof`: an error
 * raised by Node's network stack may come from another realm.
 */
export function errorNameOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'UnknownError';
}
