/**
 * A loader whose first call's promise is kept: modules loaded on first use
 * are asked of the module loader once, since every `import()` goes through
 * it again even for a loaded module.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
