// The SSH lab: the containers cluster with an SSH server in every node (docker/cassandra-ssh), so
// the ssh provider can be run for real on one machine. The lab's image is built FROM the node image
// of the version, its tag a hash of that image and of docker/cassandra-ssh; the login key is made
// fresh for each lab and kept under .cache/ (the ssh provider reads it from the config's key_file).
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { UserError } from '../../core/errors.ts';
import { lineFacts } from '../versions.ts';
import { pickMirror, readAptSources } from './apt-mirror.ts';
import { run, tailOf } from './command.ts';
import { baseSuite, contentHash, ensureImages, imageExists } from './images.ts';
import { cacheDir, dockerDir, repoRoot, say } from './paths.ts';

export const LAB_LABEL = 'lockstorm.lab';
/** Where the lab's nodes keep Cassandra's pid and how they start it (docker/cassandra-ssh/). */
export const LAB_PID_FILE = '/run/lockstorm-cassandra.pid';
export const LAB_START = '/opt/lockstorm/cassandra-start.sh';

const RECIPE = join(dockerDir, 'cassandra-ssh');

/** The private key of the lab that runs (or last ran), relative to the repository. */
export const LAB_KEY_FILE = '.cache/lockstorm/ssh-lab/id_ed25519';

export function sshLabImageName(cassandraImage: string): string {
  const files = readdirSync(RECIPE)
    .filter((f) => statSync(join(RECIPE, f)).isFile())
    .sort()
    .map((f) => [`cassandra-ssh/${f}`, readFileSync(join(RECIPE, f))] as const);
  return `lockstorm/cassandra-ssh:${contentHash([['cassandra', cassandraImage], ...files])}`;
}

/** Builds the lab's node image for `version` when absent (and the node image it is made from). */
export async function ensureSshLabImage(version: string): Promise<{ cassandra: string; toxiproxy: string }> {
  const images = await ensureImages(version);
  const name = sshLabImageName(images.cassandra);
  if (await imageExists(name)) return { cassandra: name, toxiproxy: images.toxiproxy };
  const suite = baseSuite(lineFacts(version).java);
  const mirror = process.env.LOCKSTORM_DEBIAN_MIRROR || pickMirror(readAptSources(), suite);
  if (!mirror) throw new UserError(`apt has no Debian ${suite} source with component main; set LOCKSTORM_DEBIAN_MIRROR to a Debian mirror URL`);
  const log = join(cacheDir(), 'cassandra-ssh-image.log');
  rmSync(log, { force: true });
  say(`building image ${name}: openssh-server from ${mirror} ${suite} (log ${log})`);
  const r = await run(
    'docker',
    ['build', '--build-arg', `CASSANDRA_IMAGE=${images.cassandra}`, '--build-arg', `MIRROR=${mirror}`, '--build-arg', `SUITE=${suite}`,
      '--label', 'lockstorm.image=cassandra-ssh', '-t', name, RECIPE],
    { logFile: log },
  );
  if (r.code !== 0) {
    process.stderr.write(await tailOf(log));
    throw new UserError(`docker build (cassandra-ssh) failed (exit ${r.code}); full log: ${log}`);
  }
  return { cassandra: name, toxiproxy: images.toxiproxy };
}

/** A new login key for a new lab: the private key under .cache/, the public line to install. */
export function newLabKey(): { privateKeyFile: string; authorizedKey: string } {
  const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'lockstorm-ssh-lab' });
  const file = join(repoRoot, LAB_KEY_FILE);
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  rmSync(file, { force: true });
  writeFileSync(file, keys.private, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { privateKeyFile: file, authorizedKey: `${keys.public}\n` };
}
