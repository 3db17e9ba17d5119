// Between two cells the cluster is healed and checked unless the cell before ended with that
// proof itself; the tables are emptied either way.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../cluster/settings.ts';
import { MemoryCluster } from '../cluster/testing/memory-provider.ts';
import { resetBetweenCells } from './between-cells.ts';

async function reset(healedAtEnd: boolean): Promise<{ steps: string[]; cluster: MemoryCluster }> {
  const cluster = new MemoryCluster(DEFAULT_SETTINGS);
  // Left behind by something the proof did not see: only a heal brings it back.
  await cluster.capabilities.nodes.kill('n2');
  const steps: string[] = [];
  await resetBetweenCells(cluster, (step) => steps.push(step), healedAtEnd, async () => steps.push('emptied'));
  return { steps, cluster };
}

describe('resetBetweenCells', () => {
  it('heals, checks and empties the tables after a cell that did not end with a verified heal', async () => {
    const { steps, cluster } = await reset(false);
    expect(steps).toEqual(['heal and verify', 'emptied', 'truncate']);
    expect(cluster.life.get('n2')).toBe('up');
  });

  it('only empties the tables after a cell whose own heal verified the cluster', async () => {
    const { steps, cluster } = await reset(true);
    expect(steps).toEqual(['emptied', 'truncate']);
    expect(cluster.life.get('n2')).toBe('down');
  });
});
