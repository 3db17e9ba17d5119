#!/usr/bin/env node
// The CLI. It runs the compiled JavaScript in dist/ (built by `npm ci`, see bin/build.mjs: the
// bundle in dist/bundle/, or the file-per-source copy when the build could not bundle) when that
// was built from exactly the sources on disk (bin/dist-current.mjs), and otherwise the TypeScript
// sources through tsx: an edited source is never shadowed by an older build.
// LOCKSTORM_FROM_SOURCE=1 forces the sources.
import { pathToFileURL } from 'node:url';
import { currentDistEntry } from './dist-current.mjs';

const entry = currentDistEntry();
if (entry !== null) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli/main.ts');
}
