// The Cassandra releases lockstorm can run, in one table. A line ("4.1") means its newest patch
// release on Maven Central (org.apache.cassandra:cassandra-all) when this table was written; an
// exact "4.1.3" runs that patch. Everything that differs between lines (JVM, base image, yaml
// dialect, Paxos v2) is decided from the line here, not by comparing strings elsewhere.


export const CASSANDRA_LINES = ['4.0', '4.1', '5.0'] as const;
export type CassandraLine = (typeof CASSANDRA_LINES)[number];

export interface LineFacts {
  /** Newest patch release of the line on Maven Central (checked with Maven's version metadata). */
  newest: string;
  /** Java the line's image runs on; decides the Debian suite of its base image. */
  java: 11 | 17;
  /** cassandra.yaml names: 4.0 knows only `write_request_timeout_in_ms` style, 4.1 added `write_request_timeout: 2000ms`. */
  yaml: 'legacy' | 'units';
  /** `paxos_variant: v2` (and `paxos_state_purging`) exist from 4.1 on. */
  paxosV2: boolean;
}

export const LINES: Readonly<Record<CassandraLine, LineFacts>> = {
  '4.0': { newest: '4.0.19', java: 11, yaml: 'legacy', paxosV2: false },
  '4.1': { newest: '4.1.10', java: 11, yaml: 'units', paxosV2: true },
  '5.0': { newest: '5.0.9', java: 17, yaml: 'units', paxosV2: true },
};

/** How a config may spell a version: a line, or one of its patch releases. */
export const VERSION_PATTERN = /^(4\.0|4\.1|5\.0)(?:\.(0|[1-9]\d{0,2}))?$/;
export const VERSION_FORMS = [...CASSANDRA_LINES, '<line>.<patch>, e.g. "4.1.3"'];

export function lineOf(version: string): CassandraLine {
  const m = VERSION_PATTERN.exec(version);
  if (!m) throw new Error(`"${version}" is not a Cassandra version lockstorm runs (${VERSION_FORMS.join(', ')})`);
  return m[1] as CassandraLine;
}

/** Why `version` cannot be run, or undefined: a patch past the newest one in the table does not exist (yet). */
export function versionProblem(version: string): string | undefined {
  const m = VERSION_PATTERN.exec(version);
  if (!m) return `is not one of ${VERSION_FORMS.join(', ')}`;
  if (m[2] === undefined) return undefined;
  const newest = LINES[m[1] as CassandraLine].newest;
  const newestPatch = Number(newest.split('.')[2]);
  if (Number(m[2]) > newestPatch) return `is newer than ${newest}, the newest ${m[1]} release lockstorm knows`;
  return undefined;
}

/** A line → its newest patch; an exact version stays as it is. */
export function exactVersion(version: string): string {
  const line = lineOf(version);
  return version === line ? LINES[line].newest : version;
}

export function lineFacts(version: string): LineFacts {
  return LINES[lineOf(version)];
}

export const DEFAULT_VERSION: CassandraLine = '5.0';

