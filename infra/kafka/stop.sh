#!/usr/bin/env bash
# Stop the local Kafka broker started by start.sh (SIGTERM, then SIGKILL after --timeout seconds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec "$ROOT/sidflow" kafka stop "$@"
