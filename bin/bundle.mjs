// The CLI as a few bundled files (dist/bundle/), built by bin/build.mjs beside the file-per-source
// copy of dist/. Node's module loader pays per file (resolve, stat, read, compile, link): the
// command framework and zod alone are ~100 files, a `check` ~200, which cost more than the work
// of a small check. Bundled, `--help` reads a handful of files and `check` a few more. Every
// `await import()` of the sources stays lazy: it becomes a chunk loaded only when reached.
//
// Packages that are native, large or load files by computed paths (drivers, testcontainers, ssh,
// tsx) stay outside the bundle and load from node_modules as before; only the small pure-JS ones
// the CLI needs at start are inside, and their package.json files are returned so the build
// stamp covers them (a changed node_modules makes the bundle stale, not wrong).
//
// A source that reads `import.meta` (worker entry points, data files beside itself, the repo
// root) gets the URL of its own compiled copy in dist/ instead of the chunk's, so every path it
// builds lands where the file-per-source build put that file.
//
// zod is imported as `import { z } from 'zod'`, a namespace re-exported, which esbuild keeps
// whole (~750 kB with every locale). Imported as the namespace itself, only the parts the schemas
// use are kept (~200 kB): less to read and compile at every start.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Packages bundled into the CLI; every other bare import stays external. */
export const BUNDLED_PACKAGES = ['commander', 'zod', 'yaml', 'edn-data'];

const ENTRY = 'harness/cli/main.ts';

/** The package.json of each bundled package, for the build stamp (missing ones are skipped). */
export function bundledPackageFiles(root) {
  return BUNDLED_PACKAGES.map((p) => join(root, 'node_modules', p, 'package.json')).filter((f) => existsSync(f));
}

/**
 * Bundles the CLI into `<outDir>/bundle/` (outDir: the folder that will become dist/). Returns
 * the entry, relative to dist/. Throws on any build error (the caller keeps the file-per-source
 * CLI then).
 */
export async function bundleCli({ esbuild, root, outDir }) {
  const bundleDir = join(outDir, 'bundle');
  const rel = (p) => relative(root, p).split(sep).join('/');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: join(root, ENTRY) },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node the engines field allows, whatever Node builds it.
    target: 'node20',
    logLevel: 'silent',
    // CommonJS packages inside an ES module bundle call `require` for node builtins.
    banner: { js: "import { createRequire as __lockstormCreateRequire } from 'node:module'; const require = __lockstormCreateRequire(import.meta.url);" },
    plugins: [externalPackages(), sources(root, rel), englishZodOnly()],
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('; '));
  // The banner is text esbuild does not see: a source declaring its own top-level `require`
  // would make a chunk that fails only when loaded. Parsing each chunk now fails the bundle instead.
  for (const file of readdirSync(bundleDir)) {
    if (!file.endsWith('.js')) continue;
    try {
      esbuild.transformSync(readFileSync(join(bundleDir, file), 'utf8'), { format: 'esm', loader: 'js', logLevel: 'silent' });
    } catch (e) {
      throw new Error(`${file}: ${e?.errors?.[0]?.text ?? e}`);
    }
  }
  return 'bundle/main.js';
}

/** Bare imports outside BUNDLED_PACKAGES (and node builtins) load from node_modules at run time. */
function externalPackages() {
  return {
    name: 'lockstorm-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** The project's sources, rewritten where the bundle needs it (ownImportMeta, zodNamespace). */
function sources(root, rel) {
  return {
    name: 'lockstorm-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        let contents = zodNamespace(source, root);
        if (contents.includes('import.meta')) contents = ownImportMeta(contents, args.path, rel);
        return contents === source ? undefined : { contents, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** `import { z } from 'zod'` as an import of the namespace module that `z` is. */
function zodNamespace(source, root) {
  const external = join(root, 'node_modules', 'zod', 'v4', 'classic', 'external.js');
  if (!source.includes("import { z } from 'zod';") || !existsSync(external)) return source;
  return source.replaceAll("import { z } from 'zod';", `import * as z from ${JSON.stringify(external)};`);
}

/**
 * `import.meta.url`, `.dirname` and `.filename` in a source become those of its compiled copy:
 * dist/<source path>.js, found from the chunk (in dist/bundle/) by a fixed relative path.
 */
function ownImportMeta(source, path, rel) {
  const compiled = `../${rel(path).replace(/\.([cm]?)ts$/, '.$1js')}`;
  const rewritten = source
    .replaceAll('import.meta.url', '__lockstormMetaUrl')
    .replaceAll('import.meta.dirname', '__lockstormMetaDirname')
    .replaceAll('import.meta.filename', '__lockstormMetaFilename');
  if (rewritten.includes('import.meta')) {
    throw new Error(`${rel(path)}: uses import.meta beyond url, dirname and filename; the bundle cannot place it`);
  }
  const prelude =
    `import { fileURLToPath as __lockstormFileURLToPath } from 'node:url';\n` +
    `const __lockstormMetaUrl = new URL(${JSON.stringify(compiled)}, import.meta.url).href;\n` +
    `const __lockstormMetaFilename = __lockstormFileURLToPath(__lockstormMetaUrl);\n` +
    `const __lockstormMetaDirname = __lockstormFileURLToPath(new URL('.', __lockstormMetaUrl)).replace(/[\\\\/]$/, '');\n`;
  return prelude + rewritten;
}

/**
 * zod's namespace re-exports every locale (about half of its code); lockstorm's messages are
 * English, the locale zod applies by default, so the bundle keeps that one only.
 */
function englishZodOnly() {
  return {
    name: 'lockstorm-zod-english',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
        const en = join(dirname(args.importer), '..', 'locales', 'en.js');
        if (!existsSync(en)) return undefined;
        return { path: en, namespace: 'lockstorm-zod-en', pluginData: en };
      });
      build.onLoad({ filter: /.*/, namespace: 'lockstorm-zod-en' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.pluginData)};\n`,
        loader: 'js',
        resolveDir: dirname(args.pluginData),
      }));
    },
  };
}
