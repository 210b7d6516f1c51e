#!/usr/bin/env bash
# Stops the local standalone Flink cluster.
exec "$(dirname "$0")/../../sidflow" flink stop "$@"
