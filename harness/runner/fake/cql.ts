// The CQL the in-memory executor runs: the subset lockstorm reads (history/cql.ts), which the
// torn-row checker parses too, so the fake and the checker read every statement alike.
export * from '../../../history/cql.ts';
