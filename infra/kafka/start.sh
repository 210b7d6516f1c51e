#!/usr/bin/env bash
# Start the local single-node Kafka broker (KRaft) on 127.0.0.1 and create sidflow's topics.
# Any option of `sidflow kafka start` passes through, e.g. ./infra/kafka/start.sh --port 19092
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec "$ROOT/sidflow" kafka start "$@"
