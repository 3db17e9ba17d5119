#!/bin/bash
# Build-time only: runs one throwaway single-node Cassandra until it serves CQL, stops it, and keeps
# a class-data-sharing archive of every class it loaded (Java 17: the JVM's dynamic archive at
# exit; Java 11: the list of loaded classes, then a static archive dumped from it). Real nodes map that
# archive instead of parsing and verifying ~10k classes each, which is most of a node's start
# on a small machine. Leaves no data, config or log behind.
set -euo pipefail
ARCHIVE=/opt/lockstorm/cassandra.jsa
LOG=/tmp/record-cds.log
NODE_ADDRESS=127.0.0.1 SEEDS=127.0.0.1 INITIAL_TOKEN=0 LOCKSTORM_FAKETIME=off LOCKSTORM_CDS=record \
  /opt/lockstorm/entrypoint.sh > "$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q 'Starting listening for CQL clients' "$LOG" && break
  if ! kill -0 "$pid" 2>/dev/null; then tail -n 40 "$LOG"; exit 1; fi
  sleep 1
done
kill -TERM "$pid"
wait "$pid" || true
if [ "${LOCKSTORM_JAVA:-17}" -lt 13 ]; then
  NODE_ADDRESS=127.0.0.1 SEEDS=127.0.0.1 INITIAL_TOKEN=0 LOCKSTORM_FAKETIME=off LOCKSTORM_CDS=dump \
    /opt/lockstorm/entrypoint.sh > "$LOG" 2>&1 || { tail -n 40 "$LOG"; exit 1; }
  rm -f /opt/lockstorm/cassandra.classlist
fi
rm -rf /var/lib/cassandra/* /var/lib/lockstorm/* /etc/cassandra/* /var/log/cassandra/* "$LOG"
test -s "$ARCHIVE"
