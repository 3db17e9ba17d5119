// Builds lockstorm's three images from docker/ when their content-hashed tag is absent:
//   base      Debian bookworm rootfs made by debootstrap from apt's own mirror, `docker import`ed
//             (or LOCKSTORM_BASE_IMAGE, for users with a registry: see docker/README.md);
//   cassandra cassandra-all jars resolved by Maven on the host + entrypoint, FROM base;
//   toxiproxy the real server compiled by `go install` on the host, FROM base.
// A tag is a hash of every input of its recipe, so a changed input means a new image and an
// unchanged one is never rebuilt.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { UserError } from '../../cli/errors.ts';
import { pickMirror, readAptSources } from './apt-mirror.ts';
import { hasProgram, run, tailOf } from './command.ts';
import { cacheDir, dockerDir, say } from './paths.ts';

export interface Images {
  cassandra: string;
  toxiproxy: string;
}

const SUITE = 'bookworm';
/** Bump when the way the base image is made changes (not only its package list). */
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

function packageList(): string[] {
  return readFileSync(recipeFile('base', 'packages.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export function baseImageName(): string {
  const override = process.env.LOCKSTORM_BASE_IMAGE;
  if (override) return override;
  const tag = contentHash([fileInput('base', 'packages.txt'), ['suite', SUITE], ['recipe', BASE_RECIPE_VERSION]]);
  return `lockstorm/base:${tag}`;
}

export function cassandraImageName(base: string): string {
  // Every file of docker/cassandra goes into the build context (or, pom.xml, decides its jars).
  const files = readdirSync(recipeFile('cassandra')).sort().map((f) => fileInput('cassandra', f));
  return `lockstorm/cassandra:${contentHash([['base', base], ...files])}`;
}

export function toxiproxyImageName(base: string): string {
  const tag = contentHash([['base', base], fileInput('toxiproxy', 'Dockerfile'), fileInput('toxiproxy', 'module.txt')]);
  return `lockstorm/toxiproxy:${tag}`;
}

export async function imageExists(name: string): Promise<boolean> {
  return (await run('docker', ['image', 'inspect', '--format', '{{.Id}}', name])).code === 0;
}

/** Engine must be reachable (see ensureEngine). Builds only what is missing. */
export async function ensureImages(): Promise<Images> {
  const base = baseImageName();
  const cassandra = cassandraImageName(base);
  const toxiproxy = toxiproxyImageName(base);
  const [haveBase, haveCassandra, haveToxiproxy] = await Promise.all([base, cassandra, toxiproxy].map(imageExists));
  if (haveCassandra && haveToxiproxy) return { cassandra, toxiproxy };

  if (!haveBase) {
    if (process.env.LOCKSTORM_BASE_IMAGE) {
      throw new UserError(`LOCKSTORM_BASE_IMAGE=${base} is not present in the Docker engine: build or pull it first`);
    }
    await buildBaseImage(base);
  }
  // One at a time: two builds at once only fight over this machine's two cores.
  if (!haveToxiproxy) await buildToxiproxyImage(base, toxiproxy);
  if (!haveCassandra) await buildCassandraImage(base, cassandra);
  return { cassandra, toxiproxy };
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

async function buildBaseImage(name: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new UserError(`the base image ${name} is missing and debootstrap needs root: run \`lockstorm setup\` as root once, or set LOCKSTORM_BASE_IMAGE (see docker/README.md)`);
  }
  if (!(await hasProgram('debootstrap'))) {
    if (!(await hasProgram('apt-get'))) throw new UserError('debootstrap is not installed and there is no apt-get to install it');
    const log = freshLog('apt-debootstrap.log');
    say(`installing debootstrap from Debian packages (log ${log})`);
    await step('installing debootstrap', log, 'apt-get', ['install', '-y', '--no-install-recommends', 'debootstrap'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const mirror = process.env.LOCKSTORM_DEBIAN_MIRROR || pickMirror(readAptSources(), SUITE);
  if (!mirror) {
    throw new UserError(`apt has no Debian ${SUITE} source with component main; set LOCKSTORM_DEBIAN_MIRROR to a Debian mirror URL`);
  }
  const log = freshLog('base-image.log');
  const root = mkdtempSync(join(tmpdir(), 'lockstorm-rootfs-'));
  try {
    say(`building base image ${name}: debootstrap ${SUITE} from ${mirror} (a few minutes; log ${log})`);
    await step('debootstrap', log, 'debootstrap', ['--variant=minbase', `--include=${packageList().join(',')}`, SUITE, root, mirror]);
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

async function buildCassandraImage(base: string, name: string): Promise<void> {
  await requireProgram('mvn', 'to resolve the Cassandra jars from Maven Central (install maven and a JDK)');
  const ctx = mkdtempSync(join(cacheDir(), 'ctx-cassandra-'));
  const log = freshLog('cassandra-image.log');
  try {
    say(`building image ${name}: Maven resolves cassandra-all (cached in ~/.m2; log ${log})`);
    await step('resolving Cassandra jars with Maven', log, 'mvn', [
      '-B', '-q', '-f', recipeFile('cassandra', 'pom.xml'),
      'dependency:copy-dependencies', `-DoutputDirectory=${join(ctx, 'lib')}`, '-DincludeScope=runtime',
    ]);
    for (const f of readdirSync(recipeFile('cassandra'))) {
      if (f !== 'pom.xml') copyFileSync(recipeFile('cassandra', f), join(ctx, f));
    }
    say(`building image ${name}: docker build`);
    await step('docker build (cassandra)', log, 'docker', ['build', '--build-arg', `BASE=${base}`, '--label', 'lockstorm.image=cassandra', '-t', name, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
