// The release a cluster runs, as asked for and as each node reports it: the cluster reads it, the
// report judges it, so it lives where both may use it.

/** The release the nodes run: what was asked for, and what each node's system.local says. */
export interface ServerVersion {
  asked: string;
  /** `release_version` by node, read through each node's contact point. */
  reported: Readonly<Record<string, string>>;
}

/** Why the nodes' releases are not the one asked for, or undefined when every node runs it. */
export function releaseMismatch(version: ServerVersion): string | undefined {
  const reported = Object.entries(version.reported);
  if (reported.length === 0) return `no node reported its release_version (asked for ${version.asked})`;
  const wrong = reported.filter(([, v]) => v !== version.asked);
  if (wrong.length === 0) return undefined;
  return `asked for Cassandra ${version.asked}, but ${wrong.map(([n, v]) => `${n} reports ${v}`).join(', ')}`;
}
