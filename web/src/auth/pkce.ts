/** Proof Key for Code Exchange (RFC 7636) with S256, and the random `state` of an authorization request. */

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const randomText = (byteLength: number): string => base64url(crypto.getRandomValues(new Uint8Array(byteLength)));

/** 64 random bytes: an 86-character verifier, inside RFC 7636's 43–128. */
export const createCodeVerifier = (): string => randomText(64);

export const createState = (): string => randomText(32);

/** BASE64URL(SHA-256(ASCII(code_verifier))), the `S256` challenge. */
export async function codeChallengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}
