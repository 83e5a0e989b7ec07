#!/bin/sh
# Creates Likvärd's topics on a real Kafka cluster with the settings of ops/kafka/README.md.
# Usage: ops/kafka/create-topics.sh BOOTSTRAP_SERVERS   (needs kafka-topics.sh on PATH)
set -eu
bootstrap=${1:?usage: $0 BOOTSTRAP_SERVERS}
# max.message.bytes: the ingester's constants ingest::events_topic_message_bytes_max and
# ingest::dead_letter_topic_message_bytes_max (a test compares them with these lines). A dead
# letter is an event's bytes plus five headers, recompressed: its topic takes whatever the
# dead-letter producer may send (16 MiB + 64 KiB), so no letter is refused for its size.
events_message_bytes_max=1048576
dead_letter_message_bytes_max=16842752
common="--replication-factor 3 --config min.insync.replicas=2 --config unclean.leader.election.enable=false --config cleanup.policy=delete"
# shellcheck disable=SC2086
kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic likvard.events \
  --partitions 24 $common --config retention.ms=2592000000 --config max.message.bytes=$events_message_bytes_max
# shellcheck disable=SC2086
kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic likvard.dead-letter \
  --partitions 3 $common --config retention.ms=31536000000 --config max.message.bytes=$dead_letter_message_bytes_max
