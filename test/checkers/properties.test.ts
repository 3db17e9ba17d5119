// Property tests of the linearizability checker, for every model:
// - histories produced by running a correct sequential implementation under random
//   concurrency, with info operations and crashed processes, are always ok;
// - on small random histories the checker agrees with a brute-force search over every order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../checkers/linearizability/check.ts';
import type { AnyModel, AnyOperation } from '../../checkers/linearizability/types.ts';
import { specs, type ModelSpec } from './model-specs.ts';

/** Scale the run counts up for a deeper search, e.g. PROPERTY_RUNS=50 (times the default). */
const scale = Number(process.env['PROPERTY_RUNS'] ?? '1');

/** Is there an order of all definite ops and some info ops, respecting real time, that the model accepts? */
function bruteForce(model: AnyModel, ops: readonly AnyOperation[]): boolean {
  const groups = new Map<string, AnyOperation[]>();
  for (const op of ops) {
    const key = model.partition ? model.partition(op.input) : '';
    groups.set(key, [...(groups.get(key) ?? []), op]);
  }
  return [...groups.values()].every((group) => {
    const used = group.map(() => false);
    const rec = (state: unknown, definiteLeft: number): boolean => {
      if (definiteLeft === 0) return true;
      for (let i = 0; i < group.length; i++) {
        if (used[i]) continue;
        const op = group[i]!;
        const blocked = group.some((o, j) => !used[j] && o.outcome === 'ok' && o.return < op.call);
        if (blocked) continue;
        const next = model.step(state, op.input, op.outcome === 'ok' ? op.output : undefined);
        if (next === undefined) continue;
        used[i] = true;
        if (rec(next, definiteLeft - (op.outcome === 'ok' ? 1 : 0))) return true;
        used[i] = false;
      }
      return false;
    };
    return rec(model.init(), group.filter((o) => o.outcome === 'ok').length);
  });
}

function arbHistory(spec: ModelSpec): fc.Arbitrary<AnyOperation[]> {
  const op = fc.record({
    process: fc.integer({ min: 0, max: 3 }),
    call: fc.integer({ min: 0, max: 20 }),
    length: fc.integer({ min: 0, max: 8 }),
    info: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    make: spec.arbOp,
  });
  return fc.array(op, { minLength: 1, maxLength: 7 }).map((raw) =>
    raw.map(({ process, call, length, info, make }): AnyOperation => {
      const ret = call + length;
      const { input, output } = make(call, info ? Infinity : ret);
      return info ? { process, input, call, outcome: 'info' } : { process, input, call, outcome: 'ok', return: ret, output };
    }),
  );
}

/** Runs a correct implementation under random concurrency; crashed clients leave info ops. */
function arbRun(spec: ModelSpec): fc.Arbitrary<AnyOperation[]> {
  const step = fc.record({
    gap: fc.integer({ min: 0, max: 4 }),
    length: fc.integer({ min: 0, max: 10 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    crash: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
    applied: fc.boolean(),
    make: spec.arbInput,
  });
  return fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 5 }).map((perProcess) => {
    interface Planned {
      process: number;
      call: number;
      ret: number;
      at: number;
      crash: boolean;
      applied: boolean;
      input: unknown;
    }
    const planned: Planned[] = [];
    let nextProcess = perProcess.length;
    perProcess.forEach((steps, p) => {
      let t = 0;
      let process = p;
      for (const s of steps) {
        const call = t + s.gap;
        const ret = call + s.length;
        planned.push({ process, call, ret, at: call + s.at * (ret - call), crash: s.crash, applied: s.applied, input: s.make(call, s.crash ? Infinity : ret) });
        t = ret;
        if (s.crash) process = nextProcess++;
      }
    });
    let state = spec.initImpl;
    const ops: AnyOperation[] = [];
    for (const p of [...planned].sort((a, b) => a.at - b.at)) {
      if (p.crash && !p.applied) {
        ops.push({ process: p.process, input: p.input, call: p.call, outcome: 'info' });
        continue;
      }
      const r = spec.respond(state, p.input, p.at);
      if (r === 'fail') continue;
      state = r.next;
      if (p.crash) ops.push({ process: p.process, input: p.input, call: p.call, outcome: 'info' });
      else ops.push({ process: p.process, input: p.input, call: p.call, outcome: 'ok', return: p.ret, output: r.output });
    }
    return ops;
  });
}

describe.each(specs)('model $name', (spec) => {
  it('accepts every run of a correct implementation, with info ops and crashes', () => {
    fc.assert(
      fc.property(arbRun(spec), (ops) => {
        expect(checkOperations(spec.model, spec.prepare ? spec.prepare(ops) : ops).verdict).toBe('ok');
      }),
      { numRuns: 300 * scale },
    );
  });

  it('agrees with a brute-force search on small random histories', () => {
    fc.assert(
      fc.property(arbHistory(spec), (ops) => {
        const expected = bruteForce(spec.reference ?? spec.model, ops) ? 'ok' : 'illegal';
        const checked = spec.prepare ? spec.prepare(ops) : ops;
        const r = checkOperations(spec.model, checked);
        expect(r.verdict).toBe(expected);
        if (r.verdict === 'illegal') {
          // The witness: a partial linearization the model accepts, and an op outside it.
          const { order, stuck } = r.partial[0]!;
          expect(order).not.toContain(stuck);
          let state = spec.model.init();
          for (const i of order) {
            const op = checked[i]!;
            state = spec.model.step(state, op.input, op.outcome === 'ok' ? op.output : undefined);
            expect(state).toBeDefined();
          }
        }
      }),
      { numRuns: 1000 * scale },
    );
  });

  it('sees both verdicts among small random histories (the comparison is not vacuous)', () => {
    const verdicts = new Set(fc.sample(arbHistory(spec), { numRuns: 300, seed: 42 }).map((ops) => checkOperations(spec.model, ops).verdict));
    expect([...verdicts].sort()).toEqual(['illegal', 'ok']);
  });
});
