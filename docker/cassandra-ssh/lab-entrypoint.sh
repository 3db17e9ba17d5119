#!/bin/bash
# The lab node's start: keep the node's parameters where an SSH session can read them, make this
# node's own host key, start Cassandra beside sshd, and run sshd in the foreground.
# (The container runs with an init as PID 1, which reaps a Cassandra killed over SSH.)
set -euo pipefail
mkdir -p /etc/lockstorm
# The parameters docker/cassandra/entrypoint.sh reads (docker/README.md), quoted by bash itself.
for v in NODE_ADDRESS SEEDS INITIAL_TOKEN PAXOS_VARIANT PAXOS_STATE_PURGING WRITE_TIMEOUT_MS READ_TIMEOUT_MS \
         CAS_TIMEOUT_MS HEAP CASSANDRA_SETTINGS LOCKSTORM_FAKETIME; do
  if [ -n "${!v+x}" ]; then declare -p "$v"; fi
done > /etc/lockstorm/node.env
ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
chmod 0600 /root/.ssh/authorized_keys 2>/dev/null || true
/opt/lockstorm/cassandra-start.sh
exec /usr/sbin/sshd -D -e
