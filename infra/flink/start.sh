#!/usr/bin/env bash
# Starts a local standalone Flink cluster (JobManager + TaskManager) on 127.0.0.1.
exec "$(dirname "$0")/../../sidflow" flink start "$@"
