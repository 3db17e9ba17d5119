#!/usr/bin/env node
// Builds dist/: the CLI as plain JavaScript, so `lockstorm` starts without compiling TypeScript on
// every run. `npm ci` runs it (the `prepare` script); `npm run build` runs it by hand.
//
// Each file is transpiled on its own (as tsx does: types are erased, never checked; `npm run
// typecheck` checks them), with relative `.ts` imports rewritten to `.js`. Other files the code
// reads beside itself (the `.txt` key lists, worker entry points) are copied or transpiled too.
//
// Then the CLI itself is bundled into dist/bundle/ (bin/bundle.mjs) with esbuild, which tsx
// brings: a handful of files load at start instead of hundreds. Without esbuild, or if bundling
// fails, the CLI runs the file-per-source copy (slower to start, same behaviour). Last, the
// compiled CLI runs once with --help, and its output is stored for harness/cli/stored-help.ts.
//
// dist/build-stamp.json, written last, lists every source file and folder with the times and size
// it had when the build read it, and the entry bin/lockstorm.mjs should load; bin/lockstorm.mjs
// runs dist/ only while all of them still match (bin/dist-current.mjs), so an edited, added or
// deleted source means the sources run (through tsx) until the next build.
// The build never fails an install: without TypeScript (a production install) it only says so.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { bundleCli, bundledPackageFiles } from './bundle.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const CONFIG = 'tsconfig.build.json';

let ts;
try {
  ts = createRequire(import.meta.url)('typescript');
} catch {
  console.log('lockstorm build: typescript is not installed; the CLI will run its TypeScript sources through tsx');
  process.exit(0);
}

const started = performance.now();
const parsed = ts.getParsedCommandLineOfConfigFile(join(root, CONFIG), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
if (!parsed) fail(`cannot read ${CONFIG}`);
if (parsed.errors.length) fail(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; '));
const outDir = parsed.options.outDir;
const rel = (p) => relative(root, p).split(sep).join('/');

// Each included folder, walked: folders (their times change when an entry is added or removed),
// sources to transpile, and other files to copy. Test files are not shipped.
const folders = [];
const files = [];
const included = (parsed.raw.include ?? []).map((d) => join(root, d));
for (const top of included) walk(top);
function walk(dir) {
  folders.push(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile() && !/\.test\.[cm]?ts$/.test(entry.name)) files.push(path);
  }
}

// Times and sizes are taken before anything is read: a file edited while the build runs no longer
// matches its stamp, so it is never mistaken for built.
const esbuild = loadEsbuild();
const inputs = [...folders, ...files, join(root, CONFIG), join(root, 'tsconfig.json'), fileURLToPath(import.meta.url), join(root, 'bin', 'dist-current.mjs')];
if (esbuild) inputs.push(join(root, 'bin', 'bundle.mjs'), ...bundledPackageFiles(root));
const stamp = inputs.map((p) => {
  const s = statSync(p);
  return [rel(p), s.mtimeMs, s.ctimeMs, s.isDirectory() ? 0 : s.size];
});

// Transpile into a fresh folder beside dist/ and swap it in, so a CLI started meanwhile never
// sees half a build.
const next = `${outDir}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
const options = { ...parsed.options, module: ts.ModuleKind.ESNext, noEmit: false, sourceMap: false, inlineSourceMap: false, declaration: false };
let transpiled = 0;
for (const file of files) {
  const to = join(next, relative(root, file));
  mkdirSync(dirname(to), { recursive: true });
  if (/\.([cm]?ts)$/.test(file) && !file.endsWith('.d.ts')) {
    const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: false });
    writeFileSync(to.replace(/\.([cm]?)ts$/, '.$1js'), out.outputText);
    transpiled++;
  } else if (file.endsWith('.mjs')) {
    // A worker entry point: it imports `.ts` sources, which in dist/ are `.js`.
    const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { ...options, allowJs: true }, fileName: file, reportDiagnostics: false });
    writeFileSync(to, out.outputText);
  } else {
    cpSync(file, to);
  }
}
// The entry is relative to dist/; the file-per-source one when there is no bundle.
let entry = 'harness/cli/main.js';
let bundled = 'not bundled (esbuild is not installed)';
if (esbuild) {
  try {
    entry = await bundleCli({ esbuild, root, outDir: next });
    bundled = 'bundled';
  } catch (e) {
    rmSync(join(next, 'bundle'), { recursive: true, force: true });
    bundled = `not bundled (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}
storeHelp(join(next, entry), join(next, 'harness', 'cli', 'help.txt'));
writeFileSync(join(next, 'build-stamp.json'), `${JSON.stringify({ built: new Date().toISOString(), entry, files: stamp })}\n`);
const old = `${outDir}.old-${process.pid}`;
if (existsSync(outDir)) renameSync(outDir, old);
renameSync(next, outDir);
rmSync(old, { recursive: true, force: true });
console.log(`lockstorm build: ${transpiled} files into ${rel(outDir)}/, ${bundled}, in ${((performance.now() - started) / 1000).toFixed(1)} s`);

/**
 * The top-level help, as the compiled CLI prints it into a pipe, stored for
 * harness/cli/stored-help.ts to print without loading commander. Without it the CLI builds the
 * help as usual, so a failure here only costs time.
 */
function storeHelp(entryFile, to) {
  const r = spawnSync(process.execPath, [entryFile, '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0 && r.stdout) writeFileSync(to, r.stdout);
  else console.log(`lockstorm build: help not stored (--help exited ${r.status ?? r.signal}: ${(r.stderr ?? '').split('\n')[0]})`);
}

/** esbuild, if installed (tsx depends on it); null otherwise. */
function loadEsbuild() {
  try {
    return createRequire(import.meta.url)('esbuild');
  } catch {
    return null;
  }
}

function fail(message) {
  console.error(`lockstorm build: ${message}`);
  process.exit(1);
}
