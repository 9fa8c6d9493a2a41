#!/usr/bin/env bash
# Creates the platform's Kafka topics, each with its `.retry` and `.dlq` companions, on a real
# cluster. The services create missing topics themselves with broker defaults, which is fine for
# a laptop but not for production: there partitions, replication and retention must be chosen.
# Safe to re-run: existing topics are left as they are (change their settings with
# kafka-configs.sh, and partitions with kafka-topics.sh --alter).
#
#   KAFKA_BROKERS         bootstrap servers, comma-separated (required)
#   PARTITIONS            partitions per topic (default 6); the upper bound of consumer parallelism
#   REPLICATION_FACTOR    replicas per partition (default 3)
#   MIN_INSYNC_REPLICAS   replicas that must have a write before acks=all succeeds
#                         (default REPLICATION_FACTOR - 1, at least 1)
#   RAW_RETENTION_MS      retention of safecity.detections.raw.v1 and its retry topic
#                         (default 1 day): raw vendor payloads are only in transit
#   DLQ_RETENTION_MS      retention of the .dlq topics (default 14 days): time to look at a dead
#                         letter and replay it
#   KAFKA_COMMAND_CONFIG  client properties file (TLS, SASL) passed as --command-config
#   KAFKA_TOPICS          kafka-topics.sh to run (default: from PATH, else /opt/kafka/bin)
#
# Keep the list in step with libs/contracts/src/topics.ts.
set -euo pipefail

die() { echo "kafka/topics.sh: $*" >&2; exit 1; }

[[ -n "${KAFKA_BROKERS:-}" ]] || die "set KAFKA_BROKERS to the cluster's bootstrap servers, e.g. broker-1:9092,broker-2:9092"

PARTITIONS="${PARTITIONS:-6}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
RAW_RETENTION_MS="${RAW_RETENTION_MS:-86400000}"
DLQ_RETENTION_MS="${DLQ_RETENTION_MS:-1209600000}"

for name in PARTITIONS REPLICATION_FACTOR RAW_RETENTION_MS DLQ_RETENTION_MS; do
  [[ "${!name}" =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive integer (got '${!name}')"
done

if [[ -z "${MIN_INSYNC_REPLICAS:-}" ]]; then
  MIN_INSYNC_REPLICAS=$((REPLICATION_FACTOR > 1 ? REPLICATION_FACTOR - 1 : 1))
fi
[[ "$MIN_INSYNC_REPLICAS" =~ ^[1-9][0-9]*$ ]] || die "MIN_INSYNC_REPLICAS must be a positive integer (got '$MIN_INSYNC_REPLICAS')"
((MIN_INSYNC_REPLICAS <= REPLICATION_FACTOR)) ||
  die "MIN_INSYNC_REPLICAS ($MIN_INSYNC_REPLICAS) cannot exceed REPLICATION_FACTOR ($REPLICATION_FACTOR): every acks=all write would fail"

if [[ -n "${KAFKA_TOPICS:-}" ]]; then
  TOPICS_BIN="$KAFKA_TOPICS"
elif command -v kafka-topics.sh >/dev/null 2>&1; then
  TOPICS_BIN="kafka-topics.sh"
else
  TOPICS_BIN="/opt/kafka/bin/kafka-topics.sh"
fi
command -v "$TOPICS_BIN" >/dev/null 2>&1 || die "cannot run $TOPICS_BIN; set KAFKA_TOPICS to kafka-topics.sh"

CLIENT_ARGS=(--bootstrap-server "$KAFKA_BROKERS")
if [[ -n "${KAFKA_COMMAND_CONFIG:-}" ]]; then
  [[ -r "$KAFKA_COMMAND_CONFIG" ]] || die "KAFKA_COMMAND_CONFIG $KAFKA_COMMAND_CONFIG is not readable"
  CLIENT_ARGS+=(--command-config "$KAFKA_COMMAND_CONFIG")
fi

TOPICS=(
  safecity.cameras.v1
  safecity.camera-media.v1
  safecity.camera-status.v1
  safecity.camera-heartbeats.v1
  safecity.detections.raw.v1
  safecity.detections.v1
  safecity.matches.v1
  safecity.alerts.v1
  safecity.citizen-reports.v1
  safecity.incidents.v1
  safecity.prevention.v1
  safecity.audit.v1
)

# create TOPIC [--config key=value ...]
create() {
  local topic="$1"
  shift
  echo "kafka/topics.sh: $topic" >&2
  "$TOPICS_BIN" "${CLIENT_ARGS[@]}" --create --if-not-exists \
    --topic "$topic" \
    --partitions "$PARTITIONS" \
    --replication-factor "$REPLICATION_FACTOR" \
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS" \
    "$@"
}

for topic in "${TOPICS[@]}"; do
  source_config=()
  retry_config=()
  case "$topic" in
    # Latest state per camera: readers rebuild their camera directory from it, so it is kept
    # by key instead of by age.
    safecity.cameras.v1) source_config=(--config cleanup.policy=compact) ;;
    # Latest media source per camera; video-analytics instances read their partitions whole.
    safecity.camera-media.v1) source_config=(--config cleanup.policy=compact) ;;
    safecity.detections.raw.v1)
      source_config=(--config "retention.ms=$RAW_RETENTION_MS")
      retry_config=("${source_config[@]}")
      ;;
  esac

  create "$topic" ${source_config[@]+"${source_config[@]}"}
  # Retry and dead-letter topics are never compacted, even for a compacted source: two failed
  # records with the same key must both survive.
  create "$topic.retry" ${retry_config[@]+"${retry_config[@]}"}
  create "$topic.dlq" --config "retention.ms=$DLQ_RETENTION_MS"
done

echo "kafka/topics.sh: ${#TOPICS[@]} topics with their .retry and .dlq topics are in place" >&2
