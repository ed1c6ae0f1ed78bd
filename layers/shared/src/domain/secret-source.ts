/**
 * A deployment secret (the key that signs list cursors and request
 * fingerprints), read when an operation first needs it rather than at start-up:
 * it is fetched from a secret store, may be re-read once a cached copy ages,
 * and only a few operations use it. A store that cannot answer fails the
 * operation with UnavailableError.
 */
export type SecretSource = () => Promise<string>;
