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

  // Interned states: id → value. Primitives are found by value, objects by hash.
  private readonly states: unknown[] = [];
  private readonly primitiveIds = new Map<unknown, number>();
  private readonly objectIds: number[] = [];
  private objectHash = new Int32Array(64);
  // With the model's stepHash, all states are kept by hash (`stateSlots` then holds id + 1).
  private readonly stepHashed: boolean;
  private hashById = new Int32Array(64);
  private stateSlots = new Int32Array(64);
  private stateShift = 32 - 6;

  // The step memo: (state id, op) → next state id or ILLEGAL; `memoState` -1 marks a free slot.
  private memoState = new Int32Array(256).fill(-1);
  private memoOp = new Int32Array(256);
  private memoNext = new Int32Array(256);
  private memoUsed = 0;
  private memoShift = 32 - 8;
  private memoOn = true;
  private memoHits = 0;
  private memoMisses = 0;

  // The cache of (linearized set, state): slots hold entry + 1, keyed by (set hash, state id).
  // The sets live in one growable pool. Bit slots put definite ops first, in call order, and info
  // ops in their own words after them: a set is then "all definite ops below word lo", a short
  // window of definite words, and the info words, and only the window and info words are kept.
  private readonly words: number;
  private readonly definiteWords: number;
  private readonly slot: Int32Array;
  private cacheSlots = new Int32Array(512);
  private cacheShift = 32 - 9;
  private entries = 0;
  private entryKey = new Int32Array(256);
  private entryState = new Int32Array(256);
  private entryStart = new Int32Array(256);
  private entryLo = new Int32Array(256);
  private entryLen = new Int32Array(256);
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
  private partials: Partial[] = [];

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
    return this.partials;
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
          if (this.partials.length < MAX_PARTIALS) this.partials.push({ order: Array.from(stackOp.subarray(0, depth)), stuck });
        }
        if (depth === 0) {
          // Not even a first operation fits: the empty prefix is the longest.
          if (this.partials.length === 0) this.partials.push({ order: [], stuck });
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
    const { memoState, memoOp } = this;
    const mask = memoState.length - 1;
    let s = memoSlot(id, i, this.memoShift);
    for (;;) {
      const k = memoState[s]!;
      if (k === -1) break;
      if (k === id && memoOp[s] === i) {
        this.memoHits++;
        return this.memoNext[s]!;
      }
      s = (s + 1) & mask;
    }
    const result = this.stepModel(id, i);
    if (++this.memoMisses === MEMO_TRIAL && this.memoHits < this.memoMisses) {
      // States here rarely recur (e.g. a growing string): the memo would only cost time and
      // memory.
      this.memoOn = false;
      this.memoState = this.memoOp = this.memoNext = new Int32Array(0);
      return result;
    }
    if (2 * (this.memoUsed + 1) > this.memoState.length) {
      this.growMemo();
      return this.remembered(id, i, result);
    }
    memoState[s] = id;
    memoOp[s] = i;
    this.memoNext[s] = result;
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

  /** intern, for models with stepHash: every state by its (given) hash, then by equal. */
  private internHashed(state: unknown, h: number): number {
    const { model, states, hashById } = this;
    let slots = this.stateSlots;
    let mask = slots.length - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.stateShift;
    for (;;) {
      const k = slots[s]!;
      if (k === 0) break;
      if (hashById[k - 1] === h && model.equal(states[k - 1], state)) return k - 1;
      s = (s + 1) & mask;
    }
    const id = states.length;
    states.push(state);
    if (id >= hashById.length) {
      const grown = new Int32Array(hashById.length * 2);
      grown.set(hashById);
      this.hashById = grown;
    }
    this.hashById[id] = h;
    if (2 * states.length <= slots.length) {
      slots[s] = id + 1;
      return id;
    }
    slots = this.stateSlots = new Int32Array(slots.length * 2);
    mask = slots.length - 1;
    const shift = --this.stateShift;
    for (let k = 0; k < states.length; k++) {
      let t = Math.imul(this.hashById[k]!, 0x9e3779b1) >>> shift;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = k + 1;
    }
    return id;
  }

  private remembered(id: number, i: number, result: number): number {
    const { memoState } = this;
    const mask = memoState.length - 1;
    let s = memoSlot(id, i, this.memoShift);
    while (memoState[s] !== -1) s = (s + 1) & mask;
    memoState[s] = id;
    this.memoOp[s] = i;
    this.memoNext[s] = result;
    this.memoUsed++;
    return result;
  }

  private growMemo(): void {
    const { memoState, memoOp, memoNext } = this;
    if (memoState.length >= MEMO_MAX_SLOTS) {
      memoState.fill(-1);
      this.memoUsed = 0;
      return;
    }
    this.memoShift--;
    this.memoState = new Int32Array(memoState.length * 2).fill(-1);
    this.memoOp = new Int32Array(memoState.length * 2);
    this.memoNext = new Int32Array(memoState.length * 2);
    this.memoUsed = 0;
    for (let s = 0; s < memoState.length; s++) if (memoState[s] !== -1) this.remembered(memoState[s]!, memoOp[s]!, memoNext[s]!);
  }

  /** The id of `state`: the id of an equal state seen before, else a new one. */
  private intern(state: unknown): number {
    const { model, states } = this;
    if ((typeof state !== 'object' && typeof state !== 'function') || state === null) {
      // A primitive is its own key: the engine's string hash is cached in the string and its
      // equality is a memory compare, both much cheaper than the model's hash and equal. A model
      // whose equal is looser than === would merely get more ids than it needs (less pruning).
      const known = this.primitiveIds.get(state);
      if (known !== undefined) return known;
      this.primitiveIds.set(state, states.length);
      states.push(state);
      return states.length - 1;
    }
    // Objects: by the model's hash and equal. `stateSlots` holds k + 1 for the k-th object state.
    const h = model.hash ? model.hash(state) | 0 : 0;
    const { objectIds } = this;
    let slots = this.stateSlots;
    let mask = slots.length - 1;
    let s = Math.imul(h, 0x9e3779b1) >>> this.stateShift;
    for (;;) {
      const k = slots[s]!;
      if (k === 0) break;
      if (this.objectHash[k - 1] === h && model.equal(states[objectIds[k - 1]!], state)) return objectIds[k - 1]!;
      s = (s + 1) & mask;
    }
    const id = states.length;
    states.push(state);
    const k = objectIds.length;
    objectIds.push(id);
    if (k >= this.objectHash.length) {
      const grown = new Int32Array(this.objectHash.length * 2);
      grown.set(this.objectHash);
      this.objectHash = grown;
    }
    this.objectHash[k] = h;
    if (2 * objectIds.length <= slots.length) {
      slots[s] = k + 1;
      return id;
    }
    slots = this.stateSlots = new Int32Array(slots.length * 2);
    mask = slots.length - 1;
    const shift = --this.stateShift;
    for (let o = 0; o < objectIds.length; o++) {
      let t = Math.imul(this.objectHash[o]!, 0x9e3779b1) >>> shift;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = o + 1;
    }
    return id;
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
    const slots = this.cacheSlots;
    const mask = slots.length - 1;
    let s = Math.imul(key, 0x85ebca77) >>> this.cacheShift;
    for (;;) {
      const e1 = slots[s]!;
      if (e1 === 0) break;
      const e = e1 - 1;
      if (this.entryKey[e] === key && this.entryState[e] === stateId && this.entryLo[e] === lo && this.entryLen[e] === len) {
        const start = this.entryStart[e]!;
        let same = true;
        for (let w = 0; w < len; w++) {
          if (pool[start + w] !== bits[lo + w]) {
            same = false;
            break;
          }
        }
        if (same) {
          const infoStart = start + len - definiteWords;
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
    const e = this.entries++;
    if (e >= this.entryKey.length) this.growEntries();
    const need = this.poolUsed + len + words - definiteWords;
    if (need > this.pool.length) {
      const grown = new Uint32Array(Math.max(need, this.pool.length * 2));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    const target = this.pool;
    const start = this.poolUsed;
    for (let w = 0; w < len; w++) target[start + w] = bits[lo + w]!;
    for (let w = definiteWords; w < words; w++) target[start + len + w - definiteWords] = bits[w]!;
    this.poolUsed = need;
    this.entryKey[e] = key;
    this.entryState[e] = stateId;
    this.entryStart[e] = start;
    this.entryLo[e] = lo;
    this.entryLen[e] = len;
    if (2 * this.entries > slots.length) this.rehashCache();
    else slots[s] = e + 1;
    return true;
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.entryKey = grow(this.entryKey);
    this.entryState = grow(this.entryState);
    this.entryStart = grow(this.entryStart);
    this.entryLo = grow(this.entryLo);
    this.entryLen = grow(this.entryLen);
  }

  private rehashCache(): void {
    const slots = (this.cacheSlots = new Int32Array(this.cacheSlots.length * 2));
    const mask = slots.length - 1;
    const shift = --this.cacheShift;
    for (let e = 0; e < this.entries; e++) {
      let s = Math.imul(this.entryKey[e]!, 0x85ebca77) >>> shift;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
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
