#!/usr/bin/env node
// The CLI. It runs the compiled JavaScript in dist/ (built by `npm ci`, see bin/build.mjs) when
// that was built from exactly the sources on disk (bin/dist-current.mjs), and otherwise the
// TypeScript sources through tsx: an edited source is never shadowed by an older build.
// LOCKSTORM_FROM_SOURCE=1 forces the sources.
import { distIsCurrent } from './dist-current.mjs';

if (distIsCurrent()) {
  await import('../dist/harness/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli/main.ts');
}
