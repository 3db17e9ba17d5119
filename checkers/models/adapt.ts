// Shared helpers for turning paired Jepsen-style ops into a model's operations.

import { printEdn, type Edn } from '../readers/edn.ts';
import { HistoryError } from '../readers/history-error.ts';
import type { PairedOp } from '../readers/pairs.ts';
import type { Operation } from '../linearizability/types.ts';

/** Builds the operation for `p`, or drops it: definite failures did not happen (Knossos). */
export function convert<I, O>(
  pairs: readonly PairedOp[],
  make: (p: PairedOp) => { input: I; output: O } | null,
  keepFailures = false,
): Operation<I, O>[] {
  const ops: Operation<I, O>[] = [];
  for (const p of pairs) {
    if (p.outcome === 'fail' && !keepFailures) continue;
    const made = make(p);
    if (made === null) continue;
    const base = { process: p.process, input: made.input, call: p.call, ref: p.lines };
    if (p.outcome === 'info') ops.push({ ...base, outcome: 'info' });
    else ops.push({ ...base, outcome: 'ok', return: p.return!, output: made.output });
  }
  return ops;
}

export function unsupported(p: PairedOp, model: string): never {
  throw new HistoryError(`:f :${p.f} is not an operation of the ${model} model`, p.lines[0]);
}

/** A value as the models compare it: its canonical EDN text, or null for nil. */
export function valueOf(v: Edn): string | null {
  return v === null ? null : printEdn(v);
}

export function show(v: string | null): string {
  return v === null ? 'nil' : v;
}

/** FNV-1a over a string: cheap and good enough to spread cache buckets. */
export function hashString(s: string | null): number {
  if (s === null) return 0x5bd1e995;
  return extendHash(0x811c9dc5, s);
}

/** hashString(a + b) from hashString(a) and b: FNV-1a reads a string once, left to right. */
export function extendHash(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
