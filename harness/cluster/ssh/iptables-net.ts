// The net capability over SSH: at each node, iptables rules in lockstorm's own chain, jumped to
// from INPUT. The chain is created by the first cut and, on heal, flushed, unhooked and deleted,
// so a healed host carries nothing of lockstorm's. DROP, not REJECT: a cut peer goes silent.
import type { NetControl, NodeInfo, NodeName } from '../cluster.ts';
import { script } from './argv.ts';
import type { SshSession } from './session.ts';

export const CHAIN = 'lockstorm';

const CUT = `iptables -w -N ${CHAIN} 2>/dev/null || true
iptables -w -C INPUT -j ${CHAIN} 2>/dev/null || iptables -w -I INPUT 1 -j ${CHAIN} || exit 1
for a in "$@"; do iptables -w -A ${CHAIN} -s "$a" -j DROP || exit 1; done`;

const HEAL = `iptables -w -n -L ${CHAIN} >/dev/null 2>&1 || exit 0
iptables -w -F ${CHAIN} || exit 1
while iptables -w -D INPUT -j ${CHAIN} 2>/dev/null; do :; done
iptables -w -X ${CHAIN}`;

/** Rules of the chain, and a line for the chain itself while it exists (heal removes it). */
const LIST = `iptables -w -S ${CHAIN} 2>/dev/null || exit 0
echo "chain ${CHAIN} exists"
iptables -w -C INPUT -j ${CHAIN} 2>/dev/null && echo "INPUT jumps to ${CHAIN}"
exit 0`;

export class SshIptablesNet implements NetControl {
  constructor(private readonly nodes: readonly NodeInfo[], private readonly session: (node: NodeName) => SshSession) {}

  private addressOf(node: NodeName): string {
    const info = this.nodes.find((n) => n.name === node);
    if (!info) throw new Error(`partition: no node named ${node}`);
    return info.address;
  }

  async partition(node: NodeName, peers: readonly NodeName[]): Promise<void> {
    await this.session(node).ok(script(CUT, ...peers.map((p) => this.addressOf(p))), { privileged: true });
  }

  async heal(node: NodeName): Promise<void> {
    await this.session(node).ok(script(HEAL), { privileged: true });
  }

  async cuts(node: NodeName): Promise<string[]> {
    const out = await this.session(node).ok(script(LIST), { privileged: true });
    return out.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith('chain ') || l.startsWith('INPUT '));
  }
}
