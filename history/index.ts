// The history contract: its schema and types, the meta line, the pairing into operations, and
// the TTL bounds. Everything that writes or reads a history goes through here.
export * from './schema.ts';
export { HistoryError } from './error.ts';
export { metaLine, metaOf, recipeOf, ttlSecondsOf } from './meta.ts';
export { asPaired, HistoryPairing, pairHistory, type LockOperation, type OkRead, type Outcome, type OwnerOperation, type PairedHistory, type ReadOp, type ReadOperation } from './pair.ts';
export { EXPIRY_GRANULARITY_NS, ttlBounds, type TtlBounds } from './ttl.ts';
export { pairGuarded, type GuardedOperation } from './guarded.ts';
