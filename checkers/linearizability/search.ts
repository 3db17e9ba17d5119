// Wing & Gong's linearizability search with Lowe's improvements, as Porcupine runs it: a
// doubly linked list of call/return entries in real-time order; linearizing an operation
// "lifts" its two entries out of the list, backtracking "unlifts" them; a cache of
// (linearized set, state) pairs prunes every configuration already explored.
//
// One PartitionSearch is resumable: run(n) does at most n units of work and returns, so the
// caller can interleave many partitions and stop on a deadline.

import type { AnyModel, AnyOperation } from './types.ts';

const NIL = -1;
const MAX_PARTIALS = 4;

interface Frame {
  op: number;
  state: unknown;
  /** The pass the op was tried in (see run). */
  pass: number;
}

export type SearchStatus = 'running' | 'ok' | 'illegal';

export interface Partial {
  order: number[];
  stuck: number;
}

export class PartitionSearch {
  private readonly n: number;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly info: Uint8Array;
  private readonly hasInfo: boolean;
  private readonly zobrist: Int32Array;
  private readonly bits: Uint32Array;
  // The cache of (linearized set, state): a hash table keyed by (set hash, state hash) whose
  // entries are chained by index; the sets live in one growable pool, so caching allocates
  // nothing but the state itself. Bit slots put definite ops first, in call order, and info ops
  // in their own words after them: a set is then "all definite ops below word lo", a short
  // window of definite words, and the info words, and only the window and info words are kept.
  private readonly cache = new Map<number, number>();
  private readonly words: number;
  private readonly definiteWords: number;
  private readonly slot: Int32Array;
  private pool: Uint32Array;
  private poolUsed = 0;
  private chain: Int32Array;
  private entryStart: Int32Array;
  private entryLo: Int32Array;
  private entryLen: Int32Array;
  private readonly cachedStates: unknown[] = [];
  private readonly inputs: unknown[];
  private readonly outputs: unknown[];
  private readonly stack: Frame[] = [];
  private state: unknown;
  private setHash = 0;
  private entry: number;
  private pass = 0;
  private status: SearchStatus = 'running';
  private maxDepth = -1;
  private atNewMax = false;
  private partials: Partial[] = [];

  constructor(
    private readonly model: AnyModel,
    private readonly ops: readonly AnyOperation[],
  ) {
    const n = ops.length;
    this.n = n;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1).fill(NIL);
    this.prev = new Int32Array(2 * n + 1).fill(NIL);
    this.info = new Uint8Array(n);
    const byCall = ops.map((_, i) => i).sort((a, b) => ops[a]!.call - ops[b]!.call || a - b);
    const definite = byCall.filter((i) => ops[i]!.outcome === 'ok');
    const indeterminate = byCall.filter((i) => ops[i]!.outcome === 'info');
    this.definiteWords = (definite.length + 31) >>> 5;
    this.words = this.definiteWords + ((indeterminate.length + 31) >>> 5);
    this.slot = new Int32Array(n);
    definite.forEach((op, k) => (this.slot[op] = k));
    indeterminate.forEach((op, k) => (this.slot[op] = this.definiteWords * 32 + k));
    this.bits = new Uint32Array(this.words);
    this.pool = new Uint32Array(4096);
    this.chain = new Int32Array(1024);
    this.entryStart = new Int32Array(1024);
    this.entryLo = new Int32Array(1024);
    this.entryLen = new Int32Array(1024);
    this.inputs = ops.map((op) => op.input);
    this.outputs = ops.map((op) => (op.outcome === 'ok' ? op.output : undefined));
    this.zobrist = new Int32Array(n);
    let seed = 0x2545f491;
    for (let i = 0; i < n; i++) {
      // xorshift32: a fixed seed keeps runs reproducible.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      this.zobrist[i] = seed;
    }
    // Entry 2i is op i's call, 2i+1 its return. An info op returns "never": its return entry
    // sorts after every definite one, so it never forces the op to be linearized.
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      if (op.outcome === 'info') this.info[i] = 1;
      order.push(2 * i, 2 * i + 1);
    }
    const time = (e: number): number => {
      const op = ops[e >>> 1]!;
      if ((e & 1) === 0) return op.call;
      return op.outcome === 'info' ? Infinity : op.return;
    };
    // Ties: calls before returns, so operations touching at an instant count as concurrent.
    order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
    let last = this.head;
    for (const e of order) {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    }
    this.next[last] = NIL;
    this.hasInfo = this.info.includes(1);
    this.state = model.init();
    this.entry = this.next[this.head]!;
    if (n === 0) this.status = 'ok';
  }

  get result(): SearchStatus {
    return this.status;
  }

  /** The linearization found (status 'ok'), as op indexes into this partition. */
  linearization(): number[] {
    return this.stack.map((f) => f.op);
  }

  /** The longest partial linearizations seen and, for each, the op that could not follow. */
  longestPartials(): Partial[] {
    return this.partials;
  }

  run(budget: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { next, info, bits, zobrist, model, inputs, outputs, stack, head, slot } = this;
    let { entry, state, setHash, pass } = this;
    try {
      for (let work = 0; work < budget; work++) {
        if (next[head] === NIL) return (this.status = 'ok');
        if ((entry & 1) === 0) {
          const i = entry >>> 1;
          // Candidates are the calls before the first return. Definite ops are tried in a first
          // pass and info ops in a second: the same children in a better order, since an info op
          // usually need not be linearized at all.
          if (info[i] !== pass) {
            entry = next[entry]!;
            continue;
          }
          const nextState = model.step(state, inputs[i], outputs[i]);
          // An info op that would change nothing is better left out: "never happened" keeps
          // it available later, so that branch covers every continuation of this one.
          if (nextState !== undefined && (pass === 0 || !model.equal(nextState, state))) {
            const b = slot[i]!;
            const word = b >>> 5;
            const mask = 1 << (b & 31);
            bits[word] = bits[word]! | mask;
            const h = setHash ^ zobrist[i]!;
            if (this.remember(h, nextState)) {
              stack.push({ op: i, state, pass });
              state = nextState;
              setHash = h;
              pass = 0;
              this.lift(entry);
              if (stack.length > this.maxDepth) {
                this.maxDepth = stack.length;
                this.atNewMax = true;
                this.partials = [];
              } else if (stack.length === this.maxDepth && this.partials.length < MAX_PARTIALS) {
                this.atNewMax = true;
              }
              entry = next[head]!;
              continue;
            }
            bits[word] = bits[word]! & ~mask;
          }
          entry = next[entry]!;
          continue;
        }
        // A return entry: its op could not be linearized before it returned.
        const stuck = entry >>> 1;
        if (info[stuck] === 1) {
          // Only info ops remain (their returns sort last): they simply never took effect.
          return (this.status = 'ok');
        }
        if (pass === 0 && this.hasInfo) {
          pass = 1;
          entry = next[head]!;
          continue;
        }
        if (this.atNewMax) {
          this.atNewMax = false;
          if (this.partials.length < MAX_PARTIALS) this.partials.push({ order: stack.map((f) => f.op), stuck });
        }
        const top = stack.pop();
        if (top === undefined) {
          // Not even a first operation fits: the empty prefix is the longest.
          if (this.partials.length === 0) this.partials.push({ order: [], stuck });
          return (this.status = 'illegal');
        }
        state = top.state;
        pass = top.pass;
        const i = top.op;
        const b = slot[i]!;
        bits[b >>> 5] = bits[b >>> 5]! & ~(1 << (b & 31));
        setHash ^= zobrist[i]!;
        this.unlift(2 * i);
        entry = next[2 * i]!;
      }
      return this.status;
    } finally {
      this.entry = entry;
      this.state = state;
      this.setHash = setHash;
      this.pass = pass;
    }
  }

  /** Adds (current bits, state) to the cache; false when it was already there. */
  private remember(setHash: number, state: unknown): boolean {
    const { model, bits, cachedStates, definiteWords, words } = this;
    let lo = 0;
    while (lo < definiteWords && bits[lo] === 0xffffffff) lo++;
    let hi = definiteWords;
    while (hi > lo && bits[hi - 1] === 0) hi--;
    const len = hi - lo;
    const infoWords = words - definiteWords;
    const key = model.hash ? (setHash ^ Math.imul(model.hash(state) | 0, 0x9e3779b1)) | 0 : setHash;
    const first = this.cache.get(key);
    for (let e = first ?? -1; e !== -1; e = this.chain[e]!) {
      if (this.entryLo[e] !== lo || this.entryLen[e] !== len) continue;
      if (this.sameBits(this.entryStart[e]!, lo, len) && model.equal(cachedStates[e], state)) return false;
    }
    const e = cachedStates.length;
    const need = this.poolUsed + len + infoWords;
    if (need > this.pool.length) {
      const pool = new Uint32Array(Math.max(need, this.pool.length * 2));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    if (e >= this.chain.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.chain = grow(this.chain);
      this.entryStart = grow(this.entryStart);
      this.entryLo = grow(this.entryLo);
      this.entryLen = grow(this.entryLen);
    }
    const start = this.poolUsed;
    this.pool.set(bits.subarray(lo, hi), start);
    this.pool.set(bits.subarray(definiteWords), start + len);
    this.poolUsed = need;
    this.entryStart[e] = start;
    this.entryLo[e] = lo;
    this.entryLen[e] = len;
    this.chain[e] = first ?? -1;
    cachedStates.push(state);
    this.cache.set(key, e);
    return true;
  }

  /** Do the cached words at `start` (window of `len` words from `lo`, then info words) match? */
  private sameBits(start: number, lo: number, len: number): boolean {
    const { pool, bits, definiteWords, words } = this;
    for (let w = 0; w < len; w++) if (pool[start + w] !== bits[lo + w]) return false;
    const infoStart = start + len;
    for (let w = definiteWords; w < words; w++) if (pool[infoStart + w - definiteWords] !== bits[w]) return false;
    return true;
  }

  private lift(call: number): void {
    const { next, prev } = this;
    const ret = call + 1;
    next[prev[call]!] = next[call]!;
    if (next[call] !== NIL) prev[next[call]!] = prev[call]!;
    next[prev[ret]!] = next[ret]!;
    if (next[ret] !== NIL) prev[next[ret]!] = prev[ret]!;
  }

  private unlift(call: number): void {
    const { next, prev } = this;
    const ret = call + 1;
    next[prev[ret]!] = ret;
    if (next[ret] !== NIL) prev[next[ret]!] = ret;
    next[prev[call]!] = call;
    if (next[call] !== NIL) prev[next[call]!] = call;
  }

  /** Number of cached configurations: a proxy for the memory the search holds. */
  get cacheSize(): number {
    return this.cachedStates.length;
  }

  get size(): number {
    return this.n;
  }
}

