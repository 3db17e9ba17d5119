#!/bin/bash
# Writes this node's cassandra.yaml and logback.xml from the environment, then runs one Cassandra
# JVM in the foreground (as PID 1's replacement, so docker stop/kill/pause reach it directly).
#
# Parameters (environment):
#   NODE_ADDRESS   this node's address on the cluster network (listen and rpc address)
#   SEEDS          comma-separated seed addresses (lockstorm makes every node a seed)
#   INITIAL_TOKEN  this node's single Murmur3 token
#   PAXOS_VARIANT  v1 | v2                                   (default v1)
#   PAXOS_STATE_PURGING legacy | gc_grace | repaired         (default legacy)
#   WRITE_TIMEOUT_MS, READ_TIMEOUT_MS, CAS_TIMEOUT_MS        (defaults 2000, 5000, 1000)
#   HEAP           heap size for -Xms/-Xmx, e.g. 1g          (default from jvm.options)
set -euo pipefail

: "${NODE_ADDRESS:?NODE_ADDRESS is required}"
: "${SEEDS:?SEEDS is required}"
: "${INITIAL_TOKEN:?INITIAL_TOKEN is required}"
PAXOS_VARIANT="${PAXOS_VARIANT:-v1}"
PAXOS_STATE_PURGING="${PAXOS_STATE_PURGING:-legacy}"
WRITE_TIMEOUT_MS="${WRITE_TIMEOUT_MS:-2000}"
READ_TIMEOUT_MS="${READ_TIMEOUT_MS:-5000}"
CAS_TIMEOUT_MS="${CAS_TIMEOUT_MS:-1000}"

CONF=/etc/cassandra
DATA=/var/lib/cassandra
mkdir -p "$CONF" "$DATA"/{data,commitlog,saved_caches,hints,cdc_raw} /var/log/cassandra /var/lib/lockstorm

# The clock offset file libfaketime reads; a restart keeps whatever skew the node had.
FAKETIME_FILE=/var/lib/lockstorm/faketime
[ -f "$FAKETIME_FILE" ] || echo "+0" > "$FAKETIME_FILE"

cat > "$CONF/cassandra.yaml" <<YAML
cluster_name: lockstorm
num_tokens: 1
initial_token: "${INITIAL_TOKEN}"
auto_bootstrap: false
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${SEEDS}"
listen_address: ${NODE_ADDRESS}
rpc_address: ${NODE_ADDRESS}
storage_port: 7000
native_transport_port: 9042
start_native_transport: true
storage_compatibility_mode: NONE
data_file_directories:
  - ${DATA}/data
commitlog_directory: ${DATA}/commitlog
saved_caches_directory: ${DATA}/saved_caches
hints_directory: ${DATA}/hints
cdc_raw_directory: ${DATA}/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
write_request_timeout: ${WRITE_TIMEOUT_MS}ms
read_request_timeout: ${READ_TIMEOUT_MS}ms
cas_contention_timeout: ${CAS_TIMEOUT_MS}ms
range_request_timeout: 10000ms
counter_write_request_timeout: 5000ms
truncate_request_timeout: 60000ms
request_timeout: 10000ms
paxos_variant: ${PAXOS_VARIANT}
paxos_state_purging: ${PAXOS_STATE_PURGING}
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_materialized_view_writes: 2
concurrent_compactors: 1
memtable_flush_writers: 1
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 8MiB
counter_cache_size: 0MiB
prepared_statements_cache_size: 8MiB
auto_snapshot: false
snapshot_before_compaction: false
materialized_views_enabled: false
sasi_indexes_enabled: false
user_defined_functions_enabled: false
scripted_user_defined_functions_enabled: false
hinted_handoff_enabled: true
max_hint_window: 3h
YAML

cat > "$CONF/logback.xml" <<'XML'
<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <logger name="com.datastax" level="WARN"/>
  <root level="INFO">
    <appender-ref ref="STDOUT"/>
  </root>
</configuration>
XML

JVM_OPTS=()
while read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  if [ -n "${HEAP:-}" ]; then
    case "$line" in -Xms*) line="-Xms${HEAP}" ;; -Xmx*) line="-Xmx${HEAP}" ;; esac
  fi
  JVM_OPTS+=("$line")
done < /opt/lockstorm/jvm.options

# LOCKSTORM_FAKETIME=off runs the JVM without libfaketime (then clock skew is unavailable).
if [ "${LOCKSTORM_FAKETIME:-on}" != off ]; then
  export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
  export FAKETIME_TIMESTAMP_FILE="$FAKETIME_FILE"
  export FAKETIME_DONT_FAKE_MONOTONIC="${FAKETIME_DONT_FAKE_MONOTONIC:-1}"
  export FAKETIME_CACHE_DURATION="${FAKETIME_CACHE_DURATION:-1}"
  # Debian's build turns its pthread_cond_timedwait "monotonic fix" on at run time; with the JVM
  # that makes timed waits return early and spin (startup went from ~55 s to over 130 s).
  export FAKETIME_FORCE_MONOTONIC_FIX="${FAKETIME_FORCE_MONOTONIC_FIX:-0}"
fi

# Class-data sharing: the image's build records an archive (record-cds.sh); nodes map it.
CDS_ARCHIVE=/opt/lockstorm/cassandra.jsa
if [ "${LOCKSTORM_CDS:-use}" = record ]; then
  JVM_OPTS+=("-XX:ArchiveClassesAtExit=$CDS_ARCHIVE")
elif [ -s "$CDS_ARCHIVE" ]; then
  JVM_OPTS+=("-XX:SharedArchiveFile=$CDS_ARCHIVE")
fi

# The config directory stays off the class path (both files are named explicitly): class-data
# sharing refuses a non-empty directory there.
exec java "${JVM_OPTS[@]}" \
  -Dcassandra.config="file://$CONF/cassandra.yaml" \
  -Dcassandra.storagedir="$DATA" \
  -Dcassandra.logdir=/var/log/cassandra \
  -Dlogback.configurationFile="$CONF/logback.xml" \
  -cp "/opt/cassandra/lib/*" \
  org.apache.cassandra.service.CassandraDaemon
