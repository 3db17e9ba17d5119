// Whether a cluster left running (`lockstorm cluster up`) is the cluster a run would start: the
// same server settings (release, Paxos variant, request timeouts, every cassandra.yaml override),
// the same image (an image of the same release built from other recipe files runs other
// entrypoint or JVM settings), and a plain cluster rather than a lab for another provider.
import type { ServerSettings, YamlScalar } from './cluster.ts';

/** What can be read off a running cluster about how it was started. */
export interface RunningFacts {
  settings: ServerSettings;
  /** The image its nodes run; undefined when not known (then it is not compared). */
  image?: string;
  /** Set when it was started as a lab for another provider (e.g. "ssh"). */
  lab?: string;
}

export interface WantedFacts {
  settings: ServerSettings;
  /** The image a fresh start would use. */
  image?: string;
}

function yamlText(yaml: Readonly<Record<string, YamlScalar>>): string {
  return JSON.stringify(Object.keys(yaml).sort().map((k) => [k, yaml[k]]));
}

/** Each difference between the running cluster and the wanted one, one phrase each; empty: reusable. */
export function reuseMismatch(running: RunningFacts, wanted: WantedFacts): string[] {
  const out: string[] = [];
  const a = running.settings;
  const b = wanted.settings;
  if (running.lab !== undefined) out.push(`it was started as a ${running.lab} lab`);
  if (a.cassandraVersion !== b.cassandraVersion) out.push(`Cassandra ${a.cassandraVersion}, not ${b.cassandraVersion}`);
  else if (running.image !== undefined && wanted.image !== undefined && running.image !== wanted.image) {
    out.push(`image ${running.image}, not ${wanted.image} (built from other recipe files)`);
  }
  if (a.paxosVariant !== b.paxosVariant) out.push(`paxos ${a.paxosVariant}, not ${b.paxosVariant}`);
  const timeouts = ['writeRequestTimeoutMs', 'readRequestTimeoutMs', 'casContentionTimeoutMs'] as const;
  for (const key of timeouts) {
    if (a[key] !== b[key]) out.push(`${key} ${a[key]}, not ${b[key]}`);
  }
  if (yamlText(a.yaml) !== yamlText(b.yaml)) out.push(`cassandra.yaml settings ${yamlText(a.yaml)}, not ${yamlText(b.yaml)}`);
  return out;
}
