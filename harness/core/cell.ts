// One cell of a run: everything that decides what the clients do. The YAML config
// expands into a list of these; `runCell` executes one.

export type WriteCL = 'ANY' | 'ONE' | 'TWO' | 'THREE' | 'QUORUM' | 'ALL' | 'LOCAL_QUORUM' | 'EACH_QUORUM' | 'LOCAL_ONE';
export type ReadCL = Exclude<WriteCL, 'ANY'> | 'SERIAL' | 'LOCAL_SERIAL';
export type SerialCL = 'SERIAL' | 'LOCAL_SERIAL';

/** How client write timestamps are chosen: the knob that makes ties happen on demand. */
export type TimestampMode =
  | { kind: 'server' }
  | { kind: 'driver' }
  | { kind: 'skewed'; offsetMs: number }
  | { kind: 'quantized'; unitMs: number }
  /**
   * The incident's tie made certain: every plain write is stamped with the newest write timestamp
   * the row it writes already carries (read back first by the executor), so a release ties with
   * the acquire it releases.
   */
  | { kind: 'tie' };

export interface NemesisSpec {
  /** Fault families by name, e.g. "reply-lost", "kill", "partition-majority", "clock-skew". */
  faults: string[];
  onMs: number;
  offMs: number;
  params?: Record<string, unknown>;
}

export interface CellParams {
  name: string;
  recipe: string;
  writeCl: WriteCL;
  readCl: ReadCL;
  serialCl: SerialCL;
  ttlSeconds: number;
  keys: number;
  clients: number;
  durationMs: number;
  /** Per-operation client timeout. */
  opTimeoutMs: number;
  /**
   * Mean pause a process takes after each operation (uniform in [0, 2 × thinkMs]), as lock users
   * work between calls; it keeps Paxos contention from eating the cluster. Default 0.
   */
  thinkMs?: number;
  /** Each holder does a read-modify-write on the record its lock guards (docs/workloads.md). Default off. */
  guarded?: boolean;
  /** The guarded record accepts a holder's write only under a fencing token no lower than any it saw. Default off. */
  fencing?: boolean;
  seed: number;
  timestamps: TimestampMode;
  nemesis: NemesisSpec | null;
}
