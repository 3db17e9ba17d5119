// Wing & Gong's linearizability search with Lowe's improvements, as Porcupine runs it: a
// doubly linked list of call/return entries in real-time order; linearizing an operation
// "lifts" its two entries out of the list, backtracking "unlifts" them; a cache of
// (linearized set, state) pairs prunes every configuration already explored.
//
// One PartitionSearch is resumable: run(n) does at most n units of work and returns, so the
// caller can interleave many partitions and stop on a deadline.
//
// Everything on the hot path is an integer in a typed array, so that a step allocates nothing
// but what the model does: model states are interned to ids (equal states share one id: a
// primitive by value, an object by the model's hash and equal, or every state by the hash the
// model's stepHash carries forward), and a step's outcome is memoised per (state id, operation)
// while that pays, so the model runs once per distinct transition however often the search
// comes back to it.

import type { AnyModel, AnyOperation } from './types.ts';

const NIL = -1;
const MAX_PARTIALS = 4;
/** Memoised step outcome: the op cannot follow this state. */
const ILLEGAL = -1;
/** Memo slots at most; past that the memo starts afresh (it is only a shortcut). */
const MEMO_MAX_SLOTS = 1 << 21;

export type SearchStatus = 'running' | 'ok' | 'illegal';

export interface Partial {
  order: number[];
  stuck: number;
}

/** Lookups after which the memo must have saved at least as many model steps as it cost. */
const MEMO_TRIAL = 1 << 14;

/** Fibonacci hashing: the high bits of the product, for a table of 2^(32 - shift) slots. */
function memoSlot(id: number, op: number, shift: number): number {
  return Math.imul(id ^ Math.imul(op, 0x85ebca77), 0x9e3779b1) >>> shift;
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
  private readonly inputs: unknown[];
  private readonly outputs: unknown[];

  // Interned states: id → value. Primitives are found by value, other states by hash and equal
  // in one open-addressing table of (id + 1, hash) pairs, so that a probe reads one place.
  private readonly states: unknown[] = [];
  private readonly primitiveIds = new Map<unknown, number>();
  // With the model's stepHash, every state is kept by the hash stepHash carries forward.
  private readonly stepHashed: boolean;
  /** Each hashed state's hash, by id: what stepHash carries forward. */
  private hashById = new Int32Array(64);
  private stateTable = new Int32Array(2 * 64);
  private stateShift = 32 - 6;
  private hashed = 0;

  // The step memo: (state id, op) → next state id or ILLEGAL, as (id + 1, op, next, -) quads
  // (id + 1 = 0 marks a free slot), one quad per probe.
  private memo = new Int32Array(4 * 256);
  private memoUsed = 0;
  private memoShift = 32 - 8;
  private memoOn = true;
  private memoHits = 0;
  private memoMisses = 0;

  // The cache of (linearized set, state), as (start + 1, key) pairs keyed by (set hash, state
  // id); start + 1 = 0 marks a free slot. The entries live in one growable pool, each as
  // [state id, lo, length, words...], so that a probe past other keys reads only the table.
  // Bit slots put definite ops first, in call order, and info ops in their own words after
  // them: a set is then "all definite ops below word lo", a short window of definite words, and
  // the info words, and only the window and info words are kept.
  private readonly words: number;
  private readonly definiteWords: number;
  private readonly slot: Int32Array;
  private cache = new Int32Array(2 * 512);
  private cacheShift = 32 - 9;
  private entries = 0;
  private pool = new Uint32Array(1024);
  private poolUsed = 0;

  // The current partial linearization: ops, the state id before each, and its pass.
  private readonly stackOp: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stackPass: Uint8Array;
  private depth = 0;

  private stateId: number;
  private setHash = 0;
  private entry: number;
  private pass = 0;
  private status: SearchStatus = 'running';
  private maxDepth = -1;
  private atNewMax = false;
  // Kept as typed copies (cheap to take at every new deepest point), turned into arrays on demand.
  private partials: { order: Int32Array; stuck: number }[] = [];

  constructor(
    private readonly model: AnyModel,
    private readonly ops: readonly AnyOperation[],
  ) {
    const n = ops.length;
    this.n = n;
    this.head = 2 * n;
    this.stepHashed = model.stepHash !== undefined && model.hash !== undefined;
    this.next = new Int32Array(2 * n + 1).fill(NIL);
    this.prev = new Int32Array(2 * n + 1).fill(NIL);
    this.info = new Uint8Array(n);
    this.inputs = new Array<unknown>(n);
    this.outputs = new Array<unknown>(n);
    const calls = new Float64Array(n);
    const returns = new Float64Array(n);
    let infos = 0;
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      this.inputs[i] = op.input;
      calls[i] = op.call;
      if (op.outcome === 'info') {
        this.info[i] = 1;
        infos++;
        // An info op returns "never": its return entry sorts after every definite one, so it
        // never forces the op to be linearized.
        returns[i] = Infinity;
      } else {
        this.outputs[i] = op.output;
        returns[i] = op.return;
      }
    }
    this.hasInfo = infos > 0;
    // Ops usually come in call order already; sorting is then skipped.
    const byCall = Array.from({ length: n }, (_, i) => i);
    let callOrdered = true;
    for (let i = 1; i < n && callOrdered; i++) callOrdered = calls[i - 1]! <= calls[i]!;
    if (!callOrdered) byCall.sort((a, b) => calls[a]! - calls[b]! || a - b);
    this.definiteWords = (n - infos + 31) >>> 5;
    this.words = this.definiteWords + ((infos + 31) >>> 5);
    this.slot = new Int32Array(n);
    let definite = 0;
    let indeterminate = 0;
    for (const op of byCall) this.slot[op] = this.info[op] ? this.definiteWords * 32 + indeterminate++ : definite++;
    this.bits = new Uint32Array(this.words);
    this.zobrist = new Int32Array(n);
    let seed = 0x2545f491;
    for (let i = 0; i < n; i++) {
      // xorshift32: a fixed seed keeps runs reproducible.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      this.zobrist[i] = seed;
    }
    // Entry 2i is op i's call, 2i+1 its return, linked in time order: calls (by time, then op)
    // merged with returns (likewise). Ties: calls before returns, so operations touching at an
    // instant count as concurrent.
    const byReturn = Array.from({ length: n }, (_, i) => i).sort((a, b) => returns[a]! - returns[b]! || a - b);
    let last = this.head;
    const link = (e: number) => {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    };
    for (let c = 0, r = 0; c < n || r < n; ) {
      if (r === n || (c < n && calls[byCall[c]!]! <= returns[byReturn[r]!]!)) link(2 * byCall[c++]!);
      else link(2 * byReturn[r++]! + 1);
    }
    this.next[last] = NIL;
    this.stackOp = new Int32Array(n);
    this.stackState = new Int32Array(n);
    this.stackPass = new Uint8Array(n);
    const init = model.init();
    this.stateId = this.stepHashed ? this.internHashed(init, model.hash!(init) | 0) : this.intern(init);
    this.entry = this.next[this.head]!;
    if (n === 0) this.status = 'ok';
  }

  get result(): SearchStatus {
    return this.status;
  }

  /** The linearization found (status 'ok'), as op indexes into this partition. */
  linearization(): number[] {
    return Array.from(this.stackOp.subarray(0, this.depth));
  }

  /** The longest partial linearizations seen and, for each, the op that could not follow. */
  longestPartials(): Partial[] {
    return this.partials.map((p) => ({ order: Array.from(p.order), stuck: p.stuck }));
  }

  run(budget: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { next, info, bits, zobrist, head, slot, stackOp, stackState, stackPass, hasInfo } = this;
    let { entry, stateId, setHash, pass, depth } = this;
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
          const nextId = this.transition(stateId, i);
          // An info op that would change nothing is better left out: "never happened" keeps
          // it available later, so that branch covers every continuation of this one.
          if (nextId !== ILLEGAL && (pass === 0 || nextId !== stateId)) {
            const b = slot[i]!;
            const word = b >>> 5;
            const mask = 1 << (b & 31);
            bits[word] = bits[word]! | mask;
            const h = setHash ^ zobrist[i]!;
            if (this.remember(h, nextId)) {
              stackOp[depth] = i;
              stackState[depth] = stateId;
              stackPass[depth] = pass;
              depth++;
              stateId = nextId;
              setHash = h;
              pass = 0;
              this.lift(entry);
              if (depth > this.maxDepth) {
                this.maxDepth = depth;
                this.atNewMax = true;
                this.partials = [];
              } else if (depth === this.maxDepth && this.partials.length < MAX_PARTIALS) {
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
        if (pass === 0 && hasInfo) {
          pass = 1;
          entry = next[head]!;
          continue;
        }
        if (this.atNewMax) {
          this.atNewMax = false;
          if (this.partials.length < MAX_PARTIALS) this.partials.push({ order: stackOp.slice(0, depth), stuck });
        }
        if (depth === 0) {
          // Not even a first operation fits: the empty prefix is the longest.
          if (this.partials.length === 0) this.partials.push({ order: new Int32Array(0), stuck });
          return (this.status = 'illegal');
        }
        depth--;
        const i = stackOp[depth]!;
        stateId = stackState[depth]!;
        pass = stackPass[depth]!;
        const b = slot[i]!;
        bits[b >>> 5] = bits[b >>> 5]! & ~(1 << (b & 31));
        setHash ^= zobrist[i]!;
        this.unlift(2 * i);
        entry = next[2 * i]!;
      }
      return this.status;
    } finally {
      this.entry = entry;
      this.stateId = stateId;
      this.setHash = setHash;
      this.pass = pass;
      this.depth = depth;
    }
  }

  /** The state after op i from state `id`, or ILLEGAL: from the memo, else from the model. */
  private transition(id: number, i: number): number {
    if (!this.memoOn) return this.stepModel(id, i);
    const { memo } = this;
    const mask = (memo.length >> 2) - 1;
    let s = memoSlot(id, i, this.memoShift);
    for (;;) {
      const k = memo[4 * s]!;
      if (k === 0) break;
      if (k === id + 1 && memo[4 * s + 1] === i) {
        this.memoHits++;
        return memo[4 * s + 2]!;
      }
      s = (s + 1) & mask;
    }
    const result = this.stepModel(id, i);
    if (++this.memoMisses === MEMO_TRIAL && this.memoHits < this.memoMisses) {
      // States here rarely recur (e.g. a growing string): the memo would only cost time and
      // memory.
      this.memoOn = false;
      this.memo = new Int32Array(0);
      return result;
    }
    if (2 * (this.memoUsed + 1) > memo.length >> 2) {
      this.growMemo();
      this.memoPut(id, i, result);
      return result;
    }
    memo[4 * s] = id + 1;
    memo[4 * s + 1] = i;
    memo[4 * s + 2] = result;
    this.memoUsed++;
    return result;
  }

  private stepModel(id: number, i: number): number {
    const { model } = this;
    const before = this.states[id];
    const input = this.inputs[i];
    const output = this.outputs[i];
    const value = model.step(before, input, output);
    // A step that hands back the very state it was given (a read) needs no hashing.
    if (value === undefined) return ILLEGAL;
    if (value === before) return id;
    if (this.stepHashed) return this.internHashed(value, model.stepHash!(this.hashById[id]!, before, input, output, value) | 0);
    return this.intern(value);
  }

  /** The id of `state`, whose hash is `h`: of an equal state in the table, else a new one. */
  private internHashed(state: unknown, h: number): number {
    const { model, states } = this;
    const table = this.stateTable;
    const mask = (table.length >> 1) - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.stateShift;
    for (;;) {
      const k = table[2 * s]!;
      if (k === 0) break;
      if (table[2 * s + 1] === h && model.equal(states[k - 1], state)) return k - 1;
      s = (s + 1) & mask;
    }
    const id = states.length;
    states.push(state);
    if (id >= this.hashById.length) {
      const grown = new Int32Array(Math.max(this.hashById.length * 2, id + 1));
      grown.set(this.hashById);
      this.hashById = grown;
    }
    this.hashById[id] = h;
    table[2 * s] = id + 1;
    table[2 * s + 1] = h;
    if (2 * ++this.hashed > table.length >> 1) this.growStateTable();
    return id;
  }

  private growStateTable(): void {
    const old = this.stateTable;
    const table = (this.stateTable = new Int32Array(old.length * 2));
    const mask = (table.length >> 1) - 1;
    const shift = --this.stateShift;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o] === 0) continue;
      const h = old[o + 1]!;
      let t = Math.imul(h, 0x9e3779b1) >>> shift;
      while (table[2 * t] !== 0) t = (t + 1) & mask;
      table[2 * t] = old[o]!;
      table[2 * t + 1] = h;
    }
  }

  private memoPut(id: number, i: number, result: number): void {
    const { memo } = this;
    const mask = (memo.length >> 2) - 1;
    let s = memoSlot(id, i, this.memoShift);
    while (memo[4 * s] !== 0) s = (s + 1) & mask;
    memo[4 * s] = id + 1;
    memo[4 * s + 1] = i;
    memo[4 * s + 2] = result;
    this.memoUsed++;
  }

  private growMemo(): void {
    const old = this.memo;
    this.memoUsed = 0;
    if (old.length >> 2 >= MEMO_MAX_SLOTS) {
      old.fill(0);
      return;
    }
    this.memoShift--;
    this.memo = new Int32Array(old.length * 2);
    for (let o = 0; o < old.length; o += 4) if (old[o] !== 0) this.memoPut(old[o]! - 1, old[o + 1]!, old[o + 2]!);
  }

  /** The id of `state`: the id of an equal state seen before, else a new one. */
  private intern(state: unknown): number {
    if ((typeof state !== 'object' && typeof state !== 'function') || state === null) {
      // A primitive is its own key: the engine's string hash is cached in the string and its
      // equality is a memory compare, both much cheaper than the model's hash and equal. A model
      // whose equal is looser than === would merely get more ids than it needs (less pruning).
      const known = this.primitiveIds.get(state);
      if (known !== undefined) return known;
      const id = this.states.length;
      this.primitiveIds.set(state, id);
      this.states.push(state);
      return id;
    }
    return this.internHashed(state, this.model.hash ? this.model.hash(state) | 0 : 0);
  }

  /** Adds (current bits, state id) to the cache; false when it was already there. */
  private remember(setHash: number, stateId: number): boolean {
    const { bits, definiteWords, words, pool } = this;
    let lo = 0;
    while (lo < definiteWords && bits[lo] === 0xffffffff) lo++;
    let hi = definiteWords;
    while (hi > lo && bits[hi - 1] === 0) hi--;
    const len = hi - lo;
    const key = setHash ^ Math.imul(stateId + 1, 0x9e3779b1);
    const cache = this.cache;
    const mask = (cache.length >> 1) - 1;
    let s = Math.imul(key, 0x85ebca77) >>> this.cacheShift;
    for (;;) {
      const start1 = cache[2 * s]!;
      if (start1 === 0) break;
      if (cache[2 * s + 1] === key && pool[start1 - 1] === stateId && pool[start1] === lo && pool[start1 + 1] === len) {
        const window = start1 + 2;
        let same = true;
        for (let w = 0; w < len; w++) {
          if (pool[window + w] !== bits[lo + w]) {
            same = false;
            break;
          }
        }
        if (same) {
          const infoStart = window + len - definiteWords;
          for (let w = definiteWords; w < words; w++) {
            if (pool[infoStart + w] !== bits[w]) {
              same = false;
              break;
            }
          }
        }
        if (same) return false;
      }
      s = (s + 1) & mask;
    }
    const start = this.poolUsed;
    const need = start + 3 + len + words - definiteWords;
    if (need > this.pool.length) {
      const grown = new Uint32Array(Math.max(need, this.pool.length * 2));
      grown.set(this.pool.subarray(0, start));
      this.pool = grown;
    }
    const target = this.pool;
    target[start] = stateId;
    target[start + 1] = lo;
    target[start + 2] = len;
    const window = start + 3;
    for (let w = 0; w < len; w++) target[window + w] = bits[lo + w]!;
    for (let w = definiteWords; w < words; w++) target[window + len + w - definiteWords] = bits[w]!;
    this.poolUsed = need;
    cache[2 * s] = start + 1;
    cache[2 * s + 1] = key;
    if (2 * ++this.entries > cache.length >> 1) this.growCache();
    return true;
  }

  private growCache(): void {
    const old = this.cache;
    // Quadrupled while small: most searches that outgrow the first table grow far past it.
    const by = old.length < 1 << 18 ? 2 : 1;
    const cache = (this.cache = new Int32Array(old.length << by));
    const mask = (cache.length >> 1) - 1;
    const shift = (this.cacheShift -= by);
    for (let o = 0; o < old.length; o += 2) {
      if (old[o] === 0) continue;
      let s = Math.imul(old[o + 1]!, 0x85ebca77) >>> shift;
      while (cache[2 * s] !== 0) s = (s + 1) & mask;
      cache[2 * s] = old[o]!;
      cache[2 * s + 1] = old[o + 1]!;
    }
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
    return this.entries;
  }

  get size(): number {
    return this.n;
  }
}
