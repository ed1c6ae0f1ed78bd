/**
 * A start-up failure the developer can act on (a busy port, a missing JDK, a
 * table made from an older template): `npm start` reports its message alone,
 * without a stack trace, and exits 1.
 *
 * Imported extensionless from CommonJS-loaded modules too (see dynamodb-local.ts): no imports here.
 */
export class LocalSystemError extends Error {
  override name = 'LocalSystemError';
}

/** Whether `error` (or the error it wraps) is a bind failing because the port is taken. */
export function isAddressInUse(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === 'EADDRINUSE') return true;
  }
  return false;
}

/** An error for a server that could not bind its port because something else holds it. */
export function addressInUseError(message: string, cause?: unknown): Error {
  const error: NodeJS.ErrnoException = new Error(message, cause === undefined ? undefined : { cause });
  error.code = 'EADDRINUSE';
  return error;
}
