// The in-memory executor: the recipes' statements run against one MemoryStore on a virtual
// clock, with the cell's levels recorded and its timestamp mode applied exactly as the driver
// executor does, and faults injected per statement:
//
//   lost     applied, then the client times out                (write/cas → info; read → fail)
//   late     applied after `delayMs`; the reply comes then, or the client times out first
//            (→ info) and the statement still lands later
//   dropped  never applied, the client times out               (write/cas → info; read → fail)
//   failed   not applied, a definite error                     (→ fail)
//
// Errors are the driver's own error classes, so the real mapping (errors.ts) decides each outcome.

import cassandra from 'cassandra-driver';
import type { StatementRecord } from '../../../history/index.ts';
import type { CasResult, ReadLevel, Recipe, Row } from '../../../workloads/recipe.ts';
import type { ErrorOutcome, StatementKind } from '../../client/errors.ts';
import { OperationLog, type OperationLevels } from '../../client/operation-executor.ts';
import { tieStamp } from '../../client/tie.ts';
import { timestampSource, type TimestampSource } from '../../client/timestamps.ts';
import type { ReadCL, SerialCL, TimestampMode, WriteCL } from '../../core/cell.ts';
import type { ExecutorFactory, PinnedExecutor } from '../cell.ts';
import type { RunnerClock } from '../clock.ts';
import { parseCql, UnsupportedCqlError } from './cql.ts';
import { MemoryStore } from './store.ts';

export type StatementFault = { kind: 'lost' } | { kind: 'late'; delayMs: number } | { kind: 'dropped' } | { kind: 'failed' };

export interface StatementInfo {
  process: number;
  node: string;
  kind: StatementKind;
  cql: string;
  params: readonly unknown[];
}

/** Decides each statement's fault; undefined for a clean round trip. */
export type FaultPlan = (s: StatementInfo) => StatementFault | undefined;

export interface FakeSettings {
  writeCl: WriteCL;
  readCl: ReadCL;
  serialCl: SerialCL;
  timestamps: TimestampMode;
}

/** Time each clean round trip takes on the virtual clock. */
export const FAKE_LATENCY_MS = 2;

export class FakeExecutor implements PinnedExecutor {
  private readonly log = new OperationLog();
  private readonly stamps: TimestampSource;
  private levels: OperationLevels = {};
  /** The driver's generator: strictly increasing per client. */
  private lastDriverStamp = -Infinity;

  constructor(
    private readonly store: MemoryStore,
    private readonly clock: RunnerClock,
    private readonly s: FakeSettings,
    private readonly who: { process: number; node: string; opTimeoutMs: number },
    private readonly faults: FaultPlan = () => undefined,
  ) {
    this.stamps = timestampSource(s.timestamps, () => clock.nowMs());
  }

  begin(levels: OperationLevels = {}): void {
    this.log.begin();
    this.levels = levels;
  }

  outcomeOf(err: unknown): ErrorOutcome {
    // A statement outside the fake's CQL is a mistake in the test or the recipe, not an outcome.
    if (err instanceof UnsupportedCqlError) throw err;
    return this.log.outcomeOf(err);
  }

  levelsSent(): string | undefined {
    return this.log.levelsSent();
  }

  statementsSent(): StatementRecord[] | undefined {
    return this.log.statementsSent();
  }

  async close(): Promise<void> {}

  async write(cql: string, params: unknown[]): Promise<void> {
    const pinned =
      this.s.timestamps.kind === 'tie'
        ? await tieStamp(cql, params, async (table) => this.store.shape(table), (q, p) => this.read(q, p, 'read'))
        : null;
    const stamp = pinned ?? this.stamp();
    const cl = this.levels.writeCl ?? this.s.writeCl;
    await this.log.send({ kind: 'write', cql, params, cl, timestamp: stamp }, () => this.roundTrip('write', cql, params, () => this.store.execute(cql, params, stamp)));
    this.log.tookEffect();
  }

  async cas(cql: string, params: unknown[]): Promise<CasResult> {
    const sending = { kind: 'cas' as const, cql, params, cl: this.levels.writeCl ?? this.s.writeCl, serialCl: this.s.serialCl, timestamp: null };
    const r = await this.log.send(sending, () => this.roundTrip('cas', cql, params, () => this.store.execute(cql, params)), (a) => a.kind !== 'cas' || a.applied);
    if (r.kind !== 'cas') throw new Error(`cas() was given a statement without a condition: ${cql}`);
    if (r.applied) this.log.tookEffect();
    return { applied: r.applied, row: r.row };
  }

  async read(cql: string, params: unknown[], at: ReadLevel): Promise<Row | null> {
    const cl = this.levels.readCl ?? (at === 'serial' ? this.s.serialCl : this.s.readCl);
    const r = await this.log.send({ kind: 'read', cql, params, cl, timestamp: null }, () => this.roundTrip('read', cql, params, () => this.store.execute(cql, params)));
    if (r.kind !== 'rows') throw new Error(`read() was given a statement that is not a SELECT: ${cql}`);
    return r.row;
  }

  /** A plain write's stamp per the timestamp mode; null lets the store stamp it when applied. */
  private stamp(): number | null {
    const t = this.stamps.next();
    if (t === null) return null;
    if (t !== undefined) return t;
    this.lastDriverStamp = Math.max(Math.floor(this.clock.nowMs() * 1000), this.lastDriverStamp + 1);
    return this.lastDriverStamp;
  }

  private async roundTrip<T>(kind: StatementKind, cql: string, params: unknown[], apply: () => T): Promise<T> {
    parseCql(cql); // refuses anything outside the subset before it can be sent, faulty or not
    const fault = this.faults({ process: this.who.process, node: this.who.node, kind, cql, params });
    const timeout = (): Error =>
      new cassandra.errors.OperationTimedOutError(`The host ${this.who.node} did not reply before timeout ${this.who.opTimeoutMs} ms`, this.who.node);
    switch (fault?.kind) {
      case undefined: {
        await this.clock.sleep(FAKE_LATENCY_MS);
        return apply();
      }
      case 'failed':
        await this.clock.sleep(FAKE_LATENCY_MS);
        throw new cassandra.errors.ResponseError(cassandra.types.responseErrorCodes.overloaded, 'injected: overloaded, nothing applied');
      case 'lost':
        await this.clock.sleep(FAKE_LATENCY_MS);
        apply();
        await this.clock.sleep(this.who.opTimeoutMs);
        throw timeout();
      case 'dropped':
        await this.clock.sleep(this.who.opTimeoutMs);
        throw timeout();
      case 'late': {
        if (fault.delayMs < this.who.opTimeoutMs) {
          await this.clock.sleep(fault.delayMs);
          return apply();
        }
        // The statement lands on its own time, whatever the client has moved on to.
        // A table dropped meanwhile takes it nowhere, as on a cluster.
        void this.clock.sleep(fault.delayMs).then(apply).catch(() => undefined);
        await this.clock.sleep(this.who.opTimeoutMs);
        throw timeout();
      }
    }
  }
}

/** A cell's executors, all on one store: the runner's ExecutorFactory without a cluster. */
export class FakeExecutors implements ExecutorFactory {
  readonly nodes: readonly string[];
  readonly store: MemoryStore;

  constructor(
    private readonly clock: RunnerClock,
    private readonly settings: FakeSettings,
    private readonly faults: FaultPlan = () => undefined,
    nodes: readonly string[] = ['n1', 'n2', 'n3'],
  ) {
    this.nodes = nodes;
    this.store = new MemoryStore(clock);
  }

  async prepare(recipe: Recipe): Promise<void> {
    this.store.execute(`DROP TABLE IF EXISTS ${recipe.table}`, []);
    for (const cql of recipe.schema('fake')) this.store.execute(cql, []);
  }

  async open(process: number, node: string, opTimeoutMs: number): Promise<FakeExecutor> {
    return new FakeExecutor(this.store, this.clock, this.settings, { process, node, opTimeoutMs }, this.faults);
  }
}
