/** Parses a JSON body (UTF-8), mapping a syntax error to `undefined` so callers choose their own error. */
export function parseJsonOrUndefined(body: Buffer): { value: unknown } | undefined {
  const text = body.toString('utf8');
  try {
    return { value: text.trim() === '' ? {} : JSON.parse(text) };
  } catch {
    return undefined;
  }
}
