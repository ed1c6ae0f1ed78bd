/**
 * A loader whose first call's promise is kept: what a function loads on first
 * use (a module, a client, a repository) is loaded once per execution
 * environment, and a loaded module is not asked of the module loader again,
 * which every `import()` would do. A failed load is not kept: the next call
 * tries again instead of failing every request of a live environment.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}
