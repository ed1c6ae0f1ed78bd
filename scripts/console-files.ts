/**
 * How the built console's files (scripts/build-console.ts) are served, the
 * same by CloudFront from the bucket (deploy:console writes these headers on
 * each object) and by the local console server of `npm start`.
 */
import { extname } from 'node:path';

/** Named by their content (esbuild's `[name]-[hash]`), so never replaced under the same name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Fetched again (or revalidated) on every load, so a deploy shows at once: index.html, config.json, 404.html. */
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The Content-Type of a file by its extension: browsers get nosniff, so it must be right. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
