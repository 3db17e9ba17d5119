#!/usr/bin/env node
// The CLI. It runs the compiled JavaScript in dist/ (built by `npm ci`, see bin/build.mjs: the
// bundle in dist/bundle/, or the file-per-source copy when the build could not bundle) when that
// was built from exactly the sources on disk (bin/dist-current.mjs), and otherwise the TypeScript
// sources through tsx: an edited source is never shadowed by an older build.
// LOCKSTORM_FROM_SOURCE=1 forces the sources.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { currentDistEntry } from './dist-current.mjs';

try {
  const entry = currentDistEntry();
  if (entry !== null) {
    await import(pathToFileURL(entry).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../harness/cli/main.ts');
  }
} catch (err) {
  // A clone before `npm ci` has no packages: say so in one line rather than with a loader trace.
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && !existsSync(new URL('../node_modules', import.meta.url))) {
    process.stderr.write('lockstorm: node_modules is missing: run `npm ci` in the lockstorm folder first\n');
    process.exit(2);
  }
  throw err;
}
