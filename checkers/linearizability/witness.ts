// Turns a CheckResult into plain, JSON-ready facts about the operations involved, described by
// the model. Shared by the CLI's --json output and the HTML view.

import type { AnyModel, AnyOperation, CheckResult } from './types.ts';

export interface OpFact {
  /** Index into the checked operations. */
  index: number;
  process: number;
  op: string;
  /** Source lines or event indexes. */
  ref?: number[];
}

export type Witness =
  | { verdict: 'ok' }
  | { verdict: 'illegal'; partition: string; stuck: OpFact; partialLength: number; partialTail: OpFact[] }
  | { verdict: 'unknown'; reason: string; pending: string[] };

const TAIL = 10;

export function describeOp(model: AnyModel, ops: readonly AnyOperation[], index: number): OpFact {
  const op = ops[index]!;
  const output = op.outcome === 'ok' ? op.output : undefined;
  const text = model.describeOperation ? model.describeOperation(op.input, output) : JSON.stringify(op.input);
  const fact: OpFact = { index, process: op.process, op: op.outcome === 'info' ? `${text} (info)` : text };
  if (op.ref) fact.ref = op.ref;
  return fact;
}

export function witnessOf(model: AnyModel, ops: readonly AnyOperation[], result: CheckResult): Witness {
  switch (result.verdict) {
    case 'ok':
      return { verdict: 'ok' };
    case 'unknown':
      return { verdict: 'unknown', reason: result.reason, pending: result.pending };
    case 'illegal': {
      const longest = result.partial[0]!;
      return {
        verdict: 'illegal',
        partition: longest.key,
        stuck: describeOp(model, ops, longest.stuck),
        partialLength: longest.order.length,
        partialTail: longest.order.slice(-TAIL).map((i) => describeOp(model, ops, i)),
      };
    }
  }
}
