#!/usr/bin/env bash
# Runs a single-node Kafka 3.9 broker (KRaft, broker+controller in one JVM) in the foreground
# for local development. Data survives restarts; delete the data directory for a clean slate.
#
#   KAFKA_PORT             client port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   KAFKA_DATA_DIR         data directory (default <repo>/.cache/kafka-data)
#   KAFKA_HEAP_OPTS        JVM heap flags (default -Xmx512m -Xms256m)
#   KAFKA_CACHE_DIR        where resolve.sh keeps the jars
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/.cache/kafka-data}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"

LIBS="$("$HERE/resolve.sh")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
LOG_DIR="$DATA_DIR/logs"
PROPS="$DATA_DIR/server.properties"

# Rewritten on every start so port changes take effect; the cluster id and the logs persist.
sed -e "s|@PORT@|$PORT|g" \
    -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
    -e "s|@LOG_DIR@|$LOG_DIR|g" \
    "$HERE/server.properties.template" >"$PROPS"

# HEAP_OPTS is split on purpose: it holds several flags.
# shellcheck disable=SC2206
JAVA_OPTS=(
  $HEAP_OPTS
  -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -XX:+ExitOnOutOfMemoryError
  -Djava.awt.headless=true
  -Dlog4j.configuration="file:$HERE/log4j.properties"
)

if [[ ! -f "$LOG_DIR/meta.properties" ]]; then
  # Generated once per data dir and kept outside logs/, so wiping logs/ for a clean slate
  # re-formats under the same cluster id.
  if [[ ! -s "$DATA_DIR/cluster.id" ]]; then
    "$JAVA" -cp "$LIBS/*" "${JAVA_OPTS[@]}" kafka.tools.StorageTool random-uuid >"$DATA_DIR/cluster.id"
  fi
  echo "kafka/start.sh: formatting $LOG_DIR" >&2
  "$JAVA" -cp "$LIBS/*" "${JAVA_OPTS[@]}" kafka.tools.StorageTool format \
    -t "$(cat "$DATA_DIR/cluster.id")" -c "$PROPS" >&2
fi

echo "kafka/start.sh: Kafka on 127.0.0.1:$PORT (data: $DATA_DIR), Ctrl-C to stop" >&2
exec "$JAVA" -cp "$LIBS/*" "${JAVA_OPTS[@]}" kafka.Kafka "$PROPS"
