/**
 * A case-insensitive pattern matching any of `alternatives` (regular
 * expression sources) as whole words. JavaScript's `\b` only knows ASCII
 * letters, so "caído" or "Störung" need Unicode-aware edges.
 */
export function wholeWords(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}
