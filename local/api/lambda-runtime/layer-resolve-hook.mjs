/**
 * A module resolve hook (node:module register) that makes a function's code
 * find its packages where Lambda finds them: in the layer's
 * `nodejs/node_modules` (Lambda's /opt/nodejs/node_modules), and nowhere else.
 *
 * Without it, the built bundle's `import '@aws-support-system/shared'` would
 * walk up from .aws-sam/build/ to the repository's node_modules, whose
 * workspace link points at the TypeScript sources: the local run would test
 * code that is never deployed, and hide a package missing from the layer.
 *
 * Plain JavaScript: hooks run on Node's loader thread, outside any TypeScript
 * loader (tsx, ts-jest).
 */
import { isBuiltin } from 'node:module';

/** @type {{ codeDirUrl: string, layerDirUrl: string, layerNodejsUrl: string }} */
let settings;

export async function initialize(data) {
  settings = data;
}

const isBareSpecifier = (specifier) =>
  !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  const fromFunction = parent.startsWith(settings.codeDirUrl);
  const fromLayer = parent.startsWith(settings.layerDirUrl);
  if (!(fromFunction || fromLayer) || !isBareSpecifier(specifier) || isBuiltin(specifier)) {
    return nextResolve(specifier, context);
  }
  // A function's bare import is looked up from the layer's nodejs/ folder, as
  // from /opt/nodejs; the layer's own imports resolve from where they are.
  const resolved = await nextResolve(
    specifier,
    fromFunction ? { ...context, parentURL: settings.layerNodejsUrl } : context,
  );
  if (!resolved.url.startsWith(settings.layerDirUrl)) {
    const error = new Error(
      `Cannot find package '${specifier}' imported from ${parent}: it is neither a Node.js built-in nor in the layer ` +
        `(${settings.layerDirUrl}), so Lambda would not find it either.`,
    );
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return resolved;
}
