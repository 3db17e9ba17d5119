// One client process of an external client (docs/clients.md): the child that serves it, started
// and initialised on demand, one request at a time. Whatever goes wrong with the child — no reply
// within op_timeout_ms + 2 s, an exit, a line that is not a valid reply, a reply to another
// request — becomes the operation's `info` with that reason; the child is killed and the next
// operation gets a fresh one, as lockstorm's own clients do after an indeterminate operation.
//
// The session is an OperationExecutor that runs whole operations (`operation`), so the runner
// records it exactly as it records a recipe on the driver: invoke first, completion after, with
// the statement records the child's reported writes stand for (./writes.ts).

import { join } from 'node:path';
import type { LockOp, ReadValue, StatementRecord } from '../../../history/index.ts';
import type { CasResult, Row } from '../../../workloads/recipe.ts';
import type { ErrorOutcome } from '../errors.ts';
import type { OperationLevels, OperationResult } from '../operation-executor.ts';
import { ChildLink, type Answer } from './child.ts';
import { initOkSchema, mismatch, parseLine, replySchema, setupOkSchema, type CommonFields, type InvokeMessage, type Reply } from './protocol.ts';
import { statementsFor, type ReportedTables } from './writes.ts';

/** Beyond op_timeout_ms, what a child gets to answer one request (its own timeout must fire first). */
export const REPLY_GRACE_MS = 2_000;
/** A child connects within this (a JVM starting and a driver's first connection included). */
export const INIT_TIMEOUT_MS = 30_000;
export const SHUTDOWN_GRACE_MS = 5_000;
/** The child creates its tables: schema agreement across the nodes can take a while. */
export const SETUP_TIMEOUT_MS = 120_000;

/**
 * The one run of the command before a cell: `setup`, answered `setup_ok`; then the child is
 * shut down. Raises ClientStartError naming what went wrong and where its stderr is.
 */
export async function runSetup(
  command: readonly string[],
  cwd: string,
  logPath: string,
  common: CommonFields,
  timeoutMs = SETUP_TIMEOUT_MS,
): Promise<void> {
  const child = new ChildLink({ command, cwd, logPath });
  try {
    const answer = await child.ask({ type: 'setup', ...common }, timeoutMs);
    const problem = answerProblem(answer, timeoutMs, (line) => {
      const r = parseLine(setupOkSchema, line);
      return r.ok ? null : `expected {"type":"setup_ok"}: ${r.problem}`;
    });
    if (problem !== null) throw new ClientStartError(`setup failed: ${problem} (its stderr: ${logPath})`);
  } finally {
    await child.shutdown(SHUTDOWN_GRACE_MS);
  }
}

export interface SessionConfig {
  command: readonly string[];
  /** The config file's folder: the child's working directory. */
  cwd: string;
  /** cells/<cell>/clients: p<process>.log for each process's stderr. */
  logDir: string;
  /** The fields every init carries, for a process. */
  common(process: number): CommonFields;
  /** Per-operation timeout the child was given; the reply deadline adds REPLY_GRACE_MS. */
  opTimeoutMs: number;
  /** Tables the cell's clients reported writes to (shared by the cell's sessions). */
  tables: ReportedTables;
  /** Told of every child started, so its connections can be watched (./bypass.ts). */
  onChild?(child: ChildLink, process: number): void;
  initTimeoutMs?: number;
}

/** Raised when a child cannot be started and initialised; names what went wrong. */
export class ClientStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientStartError';
  }
}

export class ExternalSession {
  private child: ChildLink | null = null;
  private nextId = 1;
  private statements: StatementRecord[] | undefined;
  /** Children being shut down in the background; close() waits for them. */
  private readonly leaving: Promise<void>[] = [];

  constructor(
    private readonly cfg: SessionConfig,
    private process: number,
  ) {}

  /** Starts the child and initialises it; raises ClientStartError when it cannot. */
  async start(): Promise<void> {
    const child = new ChildLink({ command: this.cfg.command, cwd: this.cfg.cwd, logPath: join(this.cfg.logDir, `p${this.process}.log`) });
    this.cfg.onChild?.(child, this.process);
    const answer = await child.ask({ type: 'init', ...this.cfg.common(this.process) }, this.cfg.initTimeoutMs ?? INIT_TIMEOUT_MS);
    const problem = answerProblem(answer, this.cfg.initTimeoutMs ?? INIT_TIMEOUT_MS, (line) => {
      const r = parseLine(initOkSchema, line);
      return r.ok ? null : `init: expected {"type":"init_ok"}: ${r.problem}`;
    });
    if (problem !== null) {
      child.kill();
      throw new ClientStartError(`process ${this.process}: ${problem} (its stderr: ${join(this.cfg.logDir, `p${this.process}.log`)})`);
    }
    this.child = child;
  }

  /** The process was retired after an indeterminate operation: its child goes, `next` starts afresh. */
  retire(next: number): void {
    this.dropChild(true);
    this.process = next;
  }

  begin(_levels: OperationLevels = {}): void {
    this.statements = undefined;
  }

  async operation(op: LockOp, levels: OperationLevels): Promise<OperationResult> {
    if (this.child === null || this.child.gone) {
      this.dropChild(false);
      try {
        await this.start();
      } catch (err) {
        // The request never reached a client: it cannot have taken effect.
        return { type: 'fail', error: `client did not start: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    const child = this.child!;
    const id = this.nextId++;
    const request: InvokeMessage =
      op.f === 'read'
        ? { type: 'invoke', id, f: 'read', key: op.key, ...(levels.readCl !== undefined ? { cl: levels.readCl } : {}) }
        : { type: 'invoke', id, f: op.f, key: op.key, owner: op.owner };
    const limit = this.cfg.opTimeoutMs + REPLY_GRACE_MS;
    const answer = await child.ask(request, limit);
    let reply: Reply | null = null;
    const problem = answerProblem(answer, limit, (line) => {
      const r = parseLine(replySchema, line);
      if (!r.ok) return `not a valid reply: ${r.problem}`;
      reply = r.value;
      return mismatch(request, r.value);
    });
    if (problem !== null || reply === null) {
      this.dropChild(false);
      return { type: 'info', error: `client protocol: ${problem ?? 'no reply'}; the client was killed` };
    }
    return this.resultOf(op, reply);
  }

  private resultOf(op: LockOp, reply: Reply): OperationResult {
    const outcome = reply.type === 'ok' ? 'applied' : reply.type === 'fail' ? 'not-applied' : 'error';
    const value: ReadValue | undefined = reply.type === 'ok' && reply.value ? readValue(reply.value.owner, reply.value.row) : undefined;
    this.statements = statementsFor(op, reply.writes ?? [], outcome, value, this.cfg.tables);
    switch (reply.type) {
      case 'ok':
        return value ? { type: 'ok', value } : { type: 'ok' };
      case 'fail':
        return {
          type: 'fail',
          ...(reply.saw ? { value: readValue(reply.saw.owner, null) } : {}),
          ...(reply.error !== undefined ? { error: reply.error } : {}),
        };
      case 'info':
        return { type: 'info', error: reply.error };
    }
  }

  /** Called only for operations that threw, which `operation` never does. */
  outcomeOf(err: unknown): ErrorOutcome {
    return { type: 'info', error: `client: ${err instanceof Error ? err.message : String(err)}` };
  }

  levelsSent(): string | undefined {
    // What levels the child's driver really used is the child's business; lockstorm cannot see them.
    return undefined;
  }

  statementsSent(): StatementRecord[] | undefined {
    return this.statements;
  }

  // An external client runs whole operations; nothing calls these statement-level methods.
  write(): Promise<void> {
    return Promise.reject(new Error('an external client sends its own statements'));
  }
  cas(): Promise<CasResult> {
    return Promise.reject(new Error('an external client sends its own statements'));
  }
  read(): Promise<Row | null> {
    return Promise.reject(new Error('an external client sends its own statements'));
  }

  /** Shuts the child down (5 s, then killed) and waits for every child this session had. */
  async close(): Promise<void> {
    this.dropChild(true);
    await Promise.all(this.leaving);
  }

  private dropChild(graceful: boolean): void {
    const child = this.child;
    this.child = null;
    if (!child) return;
    if (graceful && !child.gone) this.leaving.push(child.shutdown(SHUTDOWN_GRACE_MS));
    else {
      child.kill();
      this.leaving.push(child.whenExited());
    }
  }
}

function readValue(owner: string | null, row: Row | null): ReadValue {
  return owner === null ? { state: 'free', owner: null, row } : { state: 'held', owner, row };
}

/** What is wrong with the child's answer, or null when `check` accepts its line. */
function answerProblem(answer: Answer, limitMs: number, check: (line: string) => string | null): string | null {
  if (answer.kind === 'timeout') return `no reply within ${limitMs} ms`;
  if (answer.kind === 'exited') return `the client ${answer.how} before replying`;
  return check(answer.line);
}
