// The example external clients (examples/clients/, docs/clients.md), made ready to run by
// `lockstorm setup`: the Python client's virtualenv with its driver, and the Java client's jar.
// Idempotent: each is rebuilt only when what it is built from changed, so a second setup costs
// a few stat calls.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../core/repo-root.ts';

const PYTHON_DIR = join(repoRoot, 'examples', 'clients', 'python');
const JAVA_DIR = join(repoRoot, 'examples', 'clients', 'java');
/** Where configs find the Python client's interpreter: `.cache/clients/python/bin/python`. */
export const PYTHON_VENV = join(repoRoot, '.cache', 'clients', 'python');
export const JAVA_JAR = join(JAVA_DIR, 'target', 'lock-client.jar');
const LOG_DIR = join(repoRoot, '.cache', 'lockstorm');

function run(what: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  mkdirSync(LOG_DIR, { recursive: true });
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const log = join(LOG_DIR, `${what.replace(/\W+/g, '-')}.log`);
  writeFileSync(log, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`);
  if (r.status !== 0) throw new Error(`${what} failed (${r.error ? r.error.message : `exit ${r.status}`}); its output: ${log}`);
}

/** The Python client's virtualenv with its requirements; rebuilt when requirements.txt changes. */
function pythonClient(): string {
  const requirements = readFileSync(join(PYTHON_DIR, 'requirements.txt'), 'utf8');
  const marker = join(PYTHON_VENV, '.lockstorm-requirements');
  const python = join(PYTHON_VENV, 'bin', 'python');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return 'python client: ready';
  run('python client venv', 'python3', ['-m', 'venv', '--clear', PYTHON_VENV], repoRoot);
  // No Cython build of the driver's extensions: the pure-Python driver is all a lock client needs.
  run('python client pip install', python, ['-m', 'pip', 'install', '-q', '-r', join(PYTHON_DIR, 'requirements.txt')], repoRoot, {
    ...process.env,
    CASS_DRIVER_NO_CYTHON: '1',
  });
  writeFileSync(marker, requirements);
  return `python client: virtualenv ${PYTHON_VENV}`;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newestMtime(join(path, n))));
}

/** The Java client's jar; rebuilt when pom.xml or a source is newer than it. */
function javaClient(): string {
  const built = existsSync(JAVA_JAR) ? statSync(JAVA_JAR).mtimeMs : -1;
  const sources = Math.max(newestMtime(join(JAVA_DIR, 'pom.xml')), newestMtime(join(JAVA_DIR, 'src')));
  if (built >= sources) return 'java client: ready';
  run('java client maven build', 'mvn', ['-q', '-B', 'package'], JAVA_DIR);
  return `java client: built ${JAVA_JAR}`;
}

/** Builds what is missing; one line per client saying what it did. */
export function prepareExampleClients(): string[] {
  return [pythonClient(), javaClient()];
}
