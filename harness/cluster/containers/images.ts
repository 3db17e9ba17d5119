// Builds lockstorm's images from docker/ when their content-hashed tag is absent:
//   base      a Debian rootfs made by debootstrap from apt's own mirror, `docker import`ed (or
//             LOCKSTORM_BASE_IMAGE*, for users with a registry: see docker/README.md); one per
//             Java: bookworm with OpenJDK 17 (Cassandra 5.0), bullseye with OpenJDK 11 (4.0, 4.1);
//   cassandra one per Cassandra version: cassandra-all jars resolved by Maven on the host +
//             entrypoint, FROM the base of the version's Java;
//   toxiproxy the real server compiled by `go install` on the host, FROM the bookworm base.
// A tag is a hash of every input of its recipe, so a changed input means a new image and an
// unchanged one is never rebuilt.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '../../core/errors.ts';
import { DEFAULT_VERSION, exactVersion, lineFacts } from '../versions.ts';
import { pickMirror, readAptSources } from './apt-mirror.ts';
import { hasProgram, run, tailOf } from './command.ts';
import { cacheDir, dockerDir, say } from './paths.ts';

export interface Images {
  cassandra: string;
  toxiproxy: string;
}

/** A base image recipe: the Debian suite, its package list, and who may replace it. */
interface BaseRecipe {
  suite: string;
  packages: string;
  /** Environment variable naming a ready-made replacement (see docker/README.md). */
  override: string;
}

const BASES: Readonly<Record<11 | 17, BaseRecipe>> = {
  17: { suite: 'bookworm', packages: 'packages.txt', override: 'LOCKSTORM_BASE_IMAGE' },
  // bookworm carries no Java 11 and 4.x does not run on 17; bullseye is the newest suite with 11.
  11: { suite: 'bullseye', packages: 'packages-bullseye.txt', override: 'LOCKSTORM_BASE_IMAGE_JAVA11' },
};
/** Bump when the way a base image is made changes (not only its package list). */
const BASE_RECIPE_VERSION = '1';

/** Short stable hash over named inputs (file contents and plain strings). */
export function contentHash(parts: ReadonlyArray<readonly [string, string | Buffer]>): string {
  const h = createHash('sha256');
  for (const [name, content] of [...parts].sort((a, b) => a[0].localeCompare(b[0]))) {
    h.update(name).update('\0').update(content).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const recipeFile = (...p: string[]) => join(dockerDir, ...p);
const fileInput = (...p: string[]) => [p.join('/'), readFileSync(recipeFile(...p))] as const;

function packageList(recipe: BaseRecipe): string[] {
  return readFileSync(recipeFile('base', recipe.packages), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export function baseImageName(java: 11 | 17 = 17): string {
  const recipe = BASES[java];
  const override = process.env[recipe.override];
  if (override) return override;
  // The bookworm base keeps the inputs (and so the tag) it had before there was a second base.
  const suiteInputs: Array<readonly [string, string]> = java === 17 ? [['suite', recipe.suite]] : [['suite', recipe.suite], ['java', String(java)]];
  const tag = contentHash([fileInput('base', recipe.packages), ...suiteInputs, ['recipe', BASE_RECIPE_VERSION]]);
  return `lockstorm/base:${tag}`;
}

/** Files of docker/cassandra that go into the build context (all but pom.xml, which decides the jars). */
function cassandraRecipeFiles(): string[] {
  return readdirSync(recipeFile('cassandra'))
    .filter((f) => statSync(recipeFile('cassandra', f)).isFile())
    .sort();
}

export function cassandraImageName(base: string, version: string = DEFAULT_VERSION): string {
  const files = cassandraRecipeFiles().map((f) => fileInput('cassandra', f));
  return `lockstorm/cassandra:${contentHash([['base', base], ['version', exactVersion(version)], ...files])}`;
}

export function toxiproxyImageName(base: string): string {
  const tag = contentHash([['base', base], fileInput('toxiproxy', 'Dockerfile'), fileInput('toxiproxy', 'module.txt')]);
  return `lockstorm/toxiproxy:${tag}`;
}

/** The images a cluster of `version` runs on. */
export function imagesFor(version: string = DEFAULT_VERSION): Images & { cassandraBase: string; toxiproxyBase: string } {
  const cassandraBase = baseImageName(lineFacts(version).java);
  const toxiproxyBase = baseImageName(17);
  return { cassandraBase, toxiproxyBase, cassandra: cassandraImageName(cassandraBase, version), toxiproxy: toxiproxyImageName(toxiproxyBase) };
}

export async function imageExists(name: string): Promise<boolean> {
  return (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', name])).code === 0;
}

/** Engine must be reachable (see ensureEngine). Builds only what is missing for `version`. */
export async function ensureImages(version: string = DEFAULT_VERSION): Promise<Images> {
  const want = imagesFor(version);
  const java = lineFacts(version).java;
  const [haveCassandra, haveToxiproxy] = await Promise.all([want.cassandra, want.toxiproxy].map(imageExists));
  if (haveCassandra && haveToxiproxy) return { cassandra: want.cassandra, toxiproxy: want.toxiproxy };

  // One at a time: two builds at once only fight over this machine's two cores.
  if (!haveToxiproxy) {
    await ensureBase(17);
    await buildToxiproxyImage(want.toxiproxyBase, want.toxiproxy);
  }
  if (!haveCassandra) {
    await ensureBase(java);
    await buildCassandraImage(want.cassandraBase, want.cassandra, version);
  }
  return { cassandra: want.cassandra, toxiproxy: want.toxiproxy };
}

/** Only the Toxiproxy image (a local proxy in front of a cluster lockstorm did not start). */
export async function ensureToxiproxyImage(): Promise<string> {
  const base = baseImageName(17);
  const name = toxiproxyImageName(base);
  if (await imageExists(name)) return name;
  await ensureBase(17);
  await buildToxiproxyImage(base, name);
  return name;
}

/** The Debian suite a Java's base image is made from (images FROM it install packages from that suite). */
export function baseSuite(java: 11 | 17): string {
  return BASES[java].suite;
}

export async function ensureBase(java: 11 | 17): Promise<void> {
  const name = baseImageName(java);
  if (await imageExists(name)) return;
  const recipe = BASES[java];
  if (process.env[recipe.override]) {
    throw new UserError(`${recipe.override}=${name} is not present in the Docker engine: build or pull it first`);
  }
  await buildBaseImage(name, recipe);
}

async function requireProgram(program: string, why: string): Promise<void> {
  if (!(await hasProgram(program))) throw new UserError(`${program} is not installed; it is needed ${why}`);
}

async function step(what: string, log: string, program: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<void> {
  const r = await run(program, args, { ...opts, logFile: log });
  if (r.code !== 0) {
    process.stderr.write(await tailOf(log));
    throw new UserError(`${what} failed (${program} exited ${r.code}); full log: ${log}`);
  }
}

function freshLog(name: string): string {
  const log = join(cacheDir(), name);
  rmSync(log, { force: true });
  return log;
}

async function buildBaseImage(name: string, recipe: BaseRecipe): Promise<void> {
  const suite = recipe.suite;
  if (process.getuid?.() !== 0) {
    throw new UserError(`the base image ${name} is missing and debootstrap needs root: run \`lockstorm setup\` as root once, or set ${recipe.override} (see docker/README.md)`);
  }
  if (!(await hasProgram('debootstrap'))) {
    if (!(await hasProgram('apt-get'))) throw new UserError('debootstrap is not installed and there is no apt-get to install it');
    const log = freshLog('apt-debootstrap.log');
    say(`installing debootstrap from Debian packages (log ${log})`);
    await step('installing debootstrap', log, 'apt-get', ['install', '-y', '--no-install-recommends', 'debootstrap'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const mirror = process.env.LOCKSTORM_DEBIAN_MIRROR || pickMirror(readAptSources(), suite);
  if (!mirror) {
    throw new UserError(`apt has no Debian ${suite} source with component main; set LOCKSTORM_DEBIAN_MIRROR to a Debian mirror URL`);
  }
  const log = freshLog(`base-image-${suite}.log`);
  const root = mkdtempSync(join(tmpdir(), 'lockstorm-rootfs-'));
  try {
    say(`building base image ${name}: debootstrap ${suite} from ${mirror} (a few minutes; log ${log})`);
    await step('debootstrap', log, 'debootstrap', ['--variant=minbase', `--include=${packageList(recipe).join(',')}`, suite, root, mirror]);
    // Package archives and lists only make the image bigger.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      await run('find', [join(root, dir), '-type', 'f', '-delete']);
    }
    say(`importing ${name}`);
    await step('docker import', log, 'sh', ['-c', 'tar -C "$1" -c . | docker import --change "ENV LANG=C.UTF-8" - "$2"', 'sh', root, name]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function buildToxiproxyImage(base: string, name: string): Promise<void> {
  await requireProgram('go', 'to compile the Toxiproxy server (Go >= 1.23)');
  const mod = readFileSync(recipeFile('toxiproxy', 'module.txt'), 'utf8').trim();
  const ctx = mkdtempSync(join(cacheDir(), 'ctx-toxiproxy-'));
  const log = freshLog('toxiproxy-image.log');
  try {
    say(`building image ${name}: go install ${mod} (log ${log})`);
    // Run outside any Go module so the pinned version is what gets built.
    await step('go install', log, 'go', ['install', mod], {
      cwd: ctx,
      env: { ...process.env, GOBIN: ctx, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    });
    renameSync(join(ctx, 'server'), join(ctx, 'toxiproxy-server'));
    copyFileSync(recipeFile('toxiproxy', 'Dockerfile'), join(ctx, 'Dockerfile'));
    await step('docker build (toxiproxy)', log, 'docker', ['build', '--build-arg', `BASE=${base}`, '--label', 'lockstorm.image=toxiproxy', '-t', name, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

async function buildCassandraImage(base: string, name: string, version: string): Promise<void> {
  const exact = exactVersion(version);
  const facts = lineFacts(version);
  await requireProgram('mvn', 'to resolve the Cassandra jars from Maven Central (install maven and a JDK)');
  const ctx = mkdtempSync(join(cacheDir(), 'ctx-cassandra-'));
  const log = freshLog(`cassandra-image-${exact}.log`);
  try {
    say(`building image ${name}: Maven resolves cassandra-all ${exact} (cached in ~/.m2; log ${log})`);
    await step('resolving Cassandra jars with Maven', log, 'mvn', [
      '-B', '-q', '-f', recipeFile('cassandra', 'pom.xml'),
      'dependency:copy-dependencies', `-Dcassandra.version=${exact}`, `-DoutputDirectory=${join(ctx, 'lib')}`, '-DincludeScope=runtime',
    ]);
    for (const f of cassandraRecipeFiles()) {
      if (f !== 'pom.xml') copyFileSync(recipeFile('cassandra', f), join(ctx, f));
    }
    say(`building image ${name}: docker build (records class-data sharing: a node starts once)`);
    await step('docker build (cassandra)', log, 'docker', [
      'build', '--build-arg', `BASE=${base}`, '--build-arg', `CASSANDRA_VERSION=${exact}`,
      '--build-arg', `JAVA_MAJOR=${facts.java}`, '--build-arg', `YAML_DIALECT=${facts.yaml}`,
      '--label', 'lockstorm.image=cassandra', '--label', `lockstorm.cassandra-version=${exact}`, '-t', name, ctx,
    ]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
