// The Recipe a cell names when its lock is an external client (docs/clients.md). The client runs
// whole operations itself through its executor (harness/client/external/session.ts), so this
// recipe only gives the cell its name and report line; nothing sends its statements.

import type { Recipe } from '../../workloads/recipe.ts';

const elsewhere = (): Promise<never> => Promise.reject(new Error('an external client runs its operations itself'));

export function externalRecipe(name: string, command: readonly string[]): Recipe {
  return {
    name,
    summary: `external client: ${command.join(' ')}`,
    // Its tables live in the clients' own keyspace, which lockstorm recreates for every cell.
    table: '',
    schema: () => [],
    acquire: elsewhere,
    release: elsewhere,
    read: elsewhere,
    // Its rows are judged from the writes it reports (torn-row), never by a rule of lockstorm's.
    rowIsReachable: () => true,
  };
}
