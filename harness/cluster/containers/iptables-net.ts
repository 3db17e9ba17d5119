// The net capability: cuts between nodes made with iptables inside each node's container (the
// containers have NET_ADMIN). Every rule lives in lockstorm's own chain, jumped to from INPUT, so
// healing is one flush that cannot disturb anything else. DROP (not REJECT): a partitioned peer
// goes silent, as in a real network split, and the failure detector has to notice it.
import type { NetControl, NodeInfo, NodeName } from '../cluster.ts';

export const CHAIN = 'lockstorm';

export type Exec = (node: NodeName, argv: string[]) => Promise<string>;

const ensureChain = `iptables -w -N ${CHAIN} 2>/dev/null; iptables -w -C INPUT -j ${CHAIN} 2>/dev/null || iptables -w -I INPUT 1 -j ${CHAIN}`;

export class IptablesNet implements NetControl {
  constructor(private readonly nodes: readonly NodeInfo[], private readonly exec: Exec) {}

  private addressOf(node: NodeName): string {
    const info = this.nodes.find((n) => n.name === node);
    if (!info) throw new Error(`partition: no node named ${node}`);
    return info.address;
  }

  async partition(node: NodeName, peers: readonly NodeName[]): Promise<void> {
    const rules = peers.map((p) => `iptables -w -A ${CHAIN} -s ${this.addressOf(p)} -j DROP`);
    await this.exec(node, ['sh', '-c', [`{ ${ensureChain}; }`, ...rules].join(' && ')]);
  }

  async heal(node: NodeName): Promise<void> {
    // A missing chain means nothing was ever added there; that is healed too.
    await this.exec(node, ['sh', '-c', `if iptables -w -n -L ${CHAIN} >/dev/null 2>&1; then iptables -w -F ${CHAIN}; fi`]);
  }

  async cuts(node: NodeName): Promise<string[]> {
    const rules = await this.exec(node, ['sh', '-c', `iptables -w -S ${CHAIN} 2>/dev/null || true`]);
    return rules.split('\n').filter((l) => l.startsWith('-A '));
  }
}
