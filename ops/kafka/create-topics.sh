#!/bin/sh
# Creates Likvärd's topics on a real Kafka cluster with the settings of ops/kafka/README.md.
# Usage: ops/kafka/create-topics.sh BOOTSTRAP_SERVERS   (needs kafka-topics.sh on PATH)
set -eu
bootstrap=${1:?usage: $0 BOOTSTRAP_SERVERS}
common="--replication-factor 3 --config min.insync.replicas=2 --config unclean.leader.election.enable=false --config cleanup.policy=delete --config max.message.bytes=1048576"
# shellcheck disable=SC2086
kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic likvard.events \
  --partitions 24 $common --config retention.ms=2592000000
# shellcheck disable=SC2086
kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic likvard.dead-letter \
  --partitions 3 $common --config retention.ms=31536000000
