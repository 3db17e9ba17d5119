// A module recipe: a lease lock kept in a table of its own, every step a lightweight transaction.
// Use it from a config with
//
//   recipes:
//     lease-lwt: { module: examples/recipes/lease-lwt.ts }
//
// lockstorm imports this file at run time (tsx runs TypeScript as is) and uses its default export.
// Only types come from lockstorm, so the file can live anywhere; its name in the config is the
// name the cells and histories get.
import type { Executor, Recipe, Row } from '../../workloads/recipe.ts';
import type { ReadValue } from '../../history/index.ts';

/** The holder column names the owner; a row without one is free. */
function leaseValue(row: Row | null): ReadValue {
  const holder = row?.['holder'];
  return typeof holder === 'string' ? { state: 'held', owner: holder, row } : { state: 'free', owner: null, row };
}

async function take(x: Executor, key: string, owner: string, ttl: number) {
  return x.cas('INSERT INTO leases (name, holder) VALUES (?, ?) IF NOT EXISTS USING TTL ?', [key, owner, ttl]);
}

const leaseLwt: Recipe = {
  name: 'lease-lwt',
  summary: 'a lease row taken with INSERT IF NOT EXISTS USING TTL and given back with DELETE IF holder = ?',
  table: 'leases',
  schema: (ks) => [`CREATE TABLE ${ks}.leases (name text PRIMARY KEY, holder text)`],
  async acquire(x, key, owner, s) {
    const r = await take(x, key, owner, s.ttlSeconds);
    return r.applied ? { acquired: true } : { acquired: false, saw: leaseValue(r.row) };
  },
  async release(x, key, owner) {
    const r = await x.cas('DELETE FROM leases WHERE name = ? IF holder = ?', [key, owner]);
    return r.applied ? { released: true } : { released: false, saw: leaseValue(r.row) };
  },
  async read(x, key) {
    // A Paxos read: it sees every committed round, as the LWT steps do.
    return leaseValue(await x.read('SELECT holder FROM leases WHERE name = ?', [key], 'serial'));
  },
  // Every write sets the holder: a row without one is none this recipe left.
  rowIsReachable: (row) => row === null || typeof row['holder'] === 'string',
};

export default leaseLwt;
