// The runner's side of client pauses (ClientControl): a freeze is armed for a node, and the next
// worker pinned there that reaches the pause point in its critical section stops there until the
// window ends; then it carries on as if it still held its lock.

import type { ClientControl, NodeName } from '../cluster/cluster.ts';

interface Frozen {
  process: number;
  thaw: () => void;
}

export class WorkerPauses implements ClientControl {
  private readonly armed = new Set<NodeName>();
  private readonly frozenAt = new Map<NodeName, Frozen[]>();

  async freezeHolder(node: NodeName): Promise<void> {
    this.armed.add(node);
  }

  async thaw(node: NodeName): Promise<void> {
    this.armed.delete(node);
    for (const f of this.frozenAt.get(node) ?? []) f.thaw();
    this.frozenAt.delete(node);
  }

  async frozen(): Promise<string[]> {
    return [
      ...[...this.armed].map((n) => `${n}: a client freeze is still armed`),
      ...[...this.frozenAt].flatMap(([n, fs]) => fs.map((f) => `${n}: process ${f.process} is frozen`)),
    ];
  }

  /** Where a worker may be frozen: resolves at once, unless a freeze is armed for its node. */
  checkpoint(process: number, node: NodeName): Promise<void> {
    if (!this.armed.delete(node)) return Promise.resolve();
    return new Promise((thaw) => {
      const list = this.frozenAt.get(node) ?? [];
      list.push({ process, thaw });
      this.frozenAt.set(node, list);
    });
  }

  /** Lets every worker go and disarms everything: nothing may stay frozen once the faults stop. */
  thawAll(): void {
    for (const node of [...this.armed, ...this.frozenAt.keys()]) void this.thaw(node);
  }
}
