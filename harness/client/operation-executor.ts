// What the runner needs from an executor beyond the statements a recipe sends: mark where an
// operation begins (with any level the operation itself asks for), map an error to the
// operation's outcome, and say which consistency levels the operation really sent. The driver
// executor and the in-memory fake share this bookkeeping, so both record the same way.

import type { ReadCL, WriteCL } from '../core/cell.ts';
import type { Executor } from '../../workloads/recipe.ts';
import { TieModeError } from './tie.ts';
import { classifyError, type ErrorOutcome, type StatementKind } from './errors.ts';

/** Levels one operation uses instead of the cell's. */
export interface OperationLevels {
  /** Plain writes and LWT commits (e.g. a recipe retrying its DELETE at ALL). */
  writeCl?: WriteCL;
  /** Every read, whatever level the recipe asks for (final reads). */
  readCl?: ReadCL;
}

export interface OperationExecutor extends Executor {
  /** Call before each operation. */
  begin(levels?: OperationLevels): void;
  /** The operation's outcome when it threw `err`. */
  outcomeOf(err: unknown): ErrorOutcome;
  /**
   * The levels this operation's statements were sent at, in order, joined by ", "; an LWT as
   * "<serial>/<commit>". Undefined while nothing was sent.
   */
  levelsSent(): string | undefined;
}

/** Per-operation record of what was sent, and whether anything sent may have taken effect. */
export class OperationLog {
  private effect = false;
  private current: StatementKind = 'read';
  private levels: string[] = [];

  begin(): void {
    this.effect = false;
    this.current = 'read';
    this.levels = [];
  }

  /** A statement of `kind` is about to be sent at `level`. */
  sending(kind: StatementKind, level: string): void {
    this.current = kind;
    this.levels.push(level);
  }

  /** Something this operation sent has certainly or possibly taken effect. */
  tookEffect(): void {
    this.effect = true;
  }

  outcomeOf(err: unknown): ErrorOutcome {
    // Raised before anything was sent, by the harness's own mistake: it stops the cell loudly.
    if (err instanceof TieModeError) throw err;
    const mapped = classifyError(err, this.current);
    // An earlier statement of this operation already changed something: not a clean failure.
    return this.effect && mapped.type === 'fail' ? { ...mapped, type: 'info' } : mapped;
  }

  levelsSent(): string | undefined {
    return this.levels.length > 0 ? this.levels.join(', ') : undefined;
  }
}
