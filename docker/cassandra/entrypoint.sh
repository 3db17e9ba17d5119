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
#   CASSANDRA_SETTINGS  extra cassandra.yaml lines ("key: value", one per line); each replaces
#                  the line of that key written below, or is added
# Set by the image (docker/cassandra/Dockerfile): LOCKSTORM_YAML (legacy: 4.0's `_in_ms` names;
# units: 4.1+ names with units), LOCKSTORM_JAVA (11 | 17), LOCKSTORM_CASSANDRA_VERSION.
set -euo pipefail

: "${NODE_ADDRESS:?NODE_ADDRESS is required}"
: "${SEEDS:?SEEDS is required}"
: "${INITIAL_TOKEN:?INITIAL_TOKEN is required}"
PAXOS_VARIANT="${PAXOS_VARIANT:-v1}"
PAXOS_STATE_PURGING="${PAXOS_STATE_PURGING:-legacy}"
WRITE_TIMEOUT_MS="${WRITE_TIMEOUT_MS:-2000}"
READ_TIMEOUT_MS="${READ_TIMEOUT_MS:-5000}"
CAS_TIMEOUT_MS="${CAS_TIMEOUT_MS:-1000}"
LOCKSTORM_YAML="${LOCKSTORM_YAML:-units}"
LOCKSTORM_JAVA="${LOCKSTORM_JAVA:-17}"

CONF=/etc/cassandra
DATA=/var/lib/cassandra
mkdir -p "$CONF" "$DATA"/{data,commitlog,saved_caches,hints,cdc_raw} /var/log/cassandra /var/lib/lockstorm

# The clock offset file libfaketime reads; a restart keeps whatever skew the node had.
FAKETIME_FILE=/var/lib/lockstorm/faketime
[ -f "$FAKETIME_FILE" ] || echo "+0" > "$FAKETIME_FILE"

# Settings every version knows by the same name.
common_yaml() {
  cat <<YAML
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
data_file_directories:
  - ${DATA}/data
commitlog_directory: ${DATA}/commitlog
saved_caches_directory: ${DATA}/saved_caches
hints_directory: ${DATA}/hints
cdc_raw_directory: ${DATA}/cdc_raw
commitlog_sync: periodic
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 8
concurrent_materialized_view_writes: 2
concurrent_compactors: 1
memtable_flush_writers: 1
auto_snapshot: false
snapshot_before_compaction: false
hinted_handoff_enabled: true
YAML
}

# 4.1 renamed most settings to carry their unit (and kept the old names as aliases); 4.0 knows
# only the old ones and has no Paxos v2.
if [ "$LOCKSTORM_YAML" = legacy ]; then
  version_yaml() {
    cat <<YAML
commitlog_sync_period_in_ms: 10000
commitlog_segment_size_in_mb: 32
write_request_timeout_in_ms: ${WRITE_TIMEOUT_MS}
read_request_timeout_in_ms: ${READ_TIMEOUT_MS}
cas_contention_timeout_in_ms: ${CAS_TIMEOUT_MS}
range_request_timeout_in_ms: 10000
counter_write_request_timeout_in_ms: 5000
truncate_request_timeout_in_ms: 60000
request_timeout_in_ms: 10000
memtable_heap_space_in_mb: 64
memtable_offheap_space_in_mb: 64
key_cache_size_in_mb: 8
counter_cache_size_in_mb: 0
prepared_statements_cache_size_mb: 8
enable_materialized_views: false
enable_sasi_indexes: false
enable_user_defined_functions: false
enable_scripted_user_defined_functions: false
max_hint_window_in_ms: 10800000
YAML
  }
else
  version_yaml() {
    cat <<YAML
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
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 8MiB
counter_cache_size: 0MiB
prepared_statements_cache_size: 8MiB
materialized_views_enabled: false
sasi_indexes_enabled: false
user_defined_functions_enabled: false
scripted_user_defined_functions_enabled: false
max_hint_window: 3h
YAML
    # 5.0 only: run the 5.0 storage format from the first start (no 4.x nodes to stay readable by).
    case "${LOCKSTORM_CASSANDRA_VERSION:-5.0}" in 5.*) echo "storage_compatibility_mode: NONE" ;; esac
  }
fi

# CASSANDRA_SETTINGS overrides: drop the generated top-level line of each overridden key (a YAML
# mapping must not repeat a key), then append the overrides.
OVERRIDES="${CASSANDRA_SETTINGS:-}"
{ common_yaml; version_yaml; } | while IFS= read -r line; do
  key="${line%%:*}"
  if [ -n "$OVERRIDES" ] && [[ "$line" =~ ^[a-z_0-9]+: ]] && grep -q "^${key}:" <<< "$OVERRIDES"; then continue; fi
  printf '%s\n' "$line"
done > "$CONF/cassandra.yaml"
[ -z "$OVERRIDES" ] || printf '%s\n' "$OVERRIDES" >> "$CONF/cassandra.yaml"

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
  # libfaketime 0.9.8 (bullseye, the Java 11 base of 4.x) has no FAKETIME_FORCE_MONOTONIC_FIX
  # below, and with the monotonic clock left real its timed waits spin: a 4.1 node took ~116 s
  # to serve CQL instead of ~9 s. There the monotonic clock moves with the offset too
  # (docs/versions.md says what that changes for clock faults).
  case "$(dpkg-query -W -f='${Version}' libfaketime 2>/dev/null)" in
    0.9.8*) MONOTONIC_DEFAULT=0 ;;
    *) MONOTONIC_DEFAULT=1 ;;
  esac
  export FAKETIME_DONT_FAKE_MONOTONIC="${FAKETIME_DONT_FAKE_MONOTONIC:-$MONOTONIC_DEFAULT}"
  # 0: the file is re-read on the first clock call of each new second, so a skew lands within a
  # second (with 1 it could take two). IMAGE_CACHE_DURATION_S in faketime-clock.ts waits for it.
  export FAKETIME_CACHE_DURATION="${FAKETIME_CACHE_DURATION:-0}"
  # Debian's build turns its pthread_cond_timedwait "monotonic fix" on at run time; with the JVM
  # that makes timed waits return early and spin (startup went from ~55 s to over 130 s).
  export FAKETIME_FORCE_MONOTONIC_FIX="${FAKETIME_FORCE_MONOTONIC_FIX:-0}"
fi

# Class-data sharing: the image's build records an archive (record-cds.sh); nodes map it. Java 17
# records a dynamic archive at exit; Java 11 has no dynamic archives, so its build lists the classes
# a start loads (record) and dumps a static archive of them (dump).
CDS_ARCHIVE=/opt/lockstorm/cassandra.jsa
CDS_CLASSES=/opt/lockstorm/cassandra.classlist
case "${LOCKSTORM_CDS:-use}" in
  record)
    if [ "$LOCKSTORM_JAVA" -ge 13 ]; then JVM_OPTS+=("-XX:ArchiveClassesAtExit=$CDS_ARCHIVE")
    else JVM_OPTS+=("-XX:DumpLoadedClassList=$CDS_CLASSES"); fi ;;
  dump)
    exec java "${JVM_OPTS[@]}" -Xshare:dump -XX:SharedClassListFile="$CDS_CLASSES" -XX:SharedArchiveFile="$CDS_ARCHIVE" \
      -cp "/opt/cassandra/lib/*" ;;
  *)
    if [ -s "$CDS_ARCHIVE" ]; then JVM_OPTS+=("-XX:SharedArchiveFile=$CDS_ARCHIVE"); fi ;;
esac

# The config directory stays off the class path (both files are named explicitly): class-data
# sharing refuses a non-empty directory there.
exec java "${JVM_OPTS[@]}" \
  -Dcassandra.config="file://$CONF/cassandra.yaml" \
  -Dcassandra.storagedir="$DATA" \
  -Dcassandra.logdir=/var/log/cassandra \
  -Dlogback.configurationFile="$CONF/logback.xml" \
  -cp "/opt/cassandra/lib/*" \
  org.apache.cassandra.service.CassandraDaemon
