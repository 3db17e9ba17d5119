#!/bin/bash
# Starts this lab node's Cassandra in the background (the ssh provider's `service: process` start
# command) and writes the JVM's pid to /run/lockstorm-cassandra.pid. Does nothing when it runs.
set -euo pipefail
PID_FILE=/run/lockstorm-cassandra.pid
LOG=/var/log/lockstorm-cassandra.log
if pid=$(cat "$PID_FILE" 2>/dev/null) && [ -r "/proc/$pid/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$pid/stat"; then
  exit 0
fi
# Written by lab-entrypoint.sh as `declare -x NAME=value` lines: exported, quoted by bash.
# shellcheck disable=SC1091
. /etc/lockstorm/node.env
rm -f "$PID_FILE"
# The inner shell writes its own pid and then becomes the entrypoint, which becomes the JVM: the
# pid in the file is the JVM's. setsid: the JVM outlives the SSH session that started it.
setsid bash -c 'echo $$ > "$1"; exec /opt/lockstorm/entrypoint.sh' lab-start "$PID_FILE" >>"$LOG" 2>&1 </dev/null &
for _ in $(seq 1 50); do
  [ -s "$PID_FILE" ] && exit 0
  sleep 0.1
done
echo "cassandra-start: no pid in $PID_FILE" >&2
exit 1
